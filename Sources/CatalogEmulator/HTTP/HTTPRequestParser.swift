import Foundation

/// One HTTP/1.1 request as received: the request line and headers exactly as sent (the
/// target keeps its percent-encoding, which SigV4 verification needs), and the body.
struct ReceivedRequest: Sendable {
    var method: String
    /// The path part of the request target, still percent-encoded.
    var path: String
    /// The query part of the target without `?`, still percent-encoded; `nil` when absent.
    var query: String?
    /// `HTTP/1.1` or `HTTP/1.0`.
    var version: String
    var headers: [(name: String, value: String)]
    var body: Data

    /// The first value of a header, matched ignoring case.
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Whether the client wants the connection kept open after the response.
    var keepAlive: Bool {
        let connection = header("Connection")?.lowercased() ?? ""
        if version == "HTTP/1.0" { return connection.contains("keep-alive") }
        return !connection.contains("close")
    }

    /// The query items, percent-decoded (`+` is kept: AWS clients encode spaces as `%20`).
    var queryItems: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = HTTPRequestParser.percentDecode(pieces[0])
            let value = pieces.count > 1 ? HTTPRequestParser.percentDecode(pieces[1]) : ""
            return (name: name, value: value)
        }
    }
}

/// Why bytes are not an acceptable HTTP request; the status to answer before closing.
struct HTTPParseError: Error, Sendable {
    var status: Int
    var reason: String
}

/// Reads HTTP/1.1 requests from a byte buffer: request line, headers (CRLF, or bare LF),
/// a `Content-Length` or `chunked` body. Pure and incremental: give it what has arrived;
/// it answers with a request and the bytes used, "need more", or an error.
enum HTTPRequestParser {
    /// The most header bytes accepted.
    static let maxHeaderBytes = 64 * 1024
    /// The most body bytes accepted (the Catalog API's largest requests are far smaller).
    static let maxBodyBytes = 4 * 1024 * 1024

    /// The outcome of one parse attempt.
    enum Outcome {
        case request(ReceivedRequest, consumed: Int)
        case needMore
        /// The head is complete and announces `Expect: 100-continue` but the body has not come.
        case expectsContinue
    }

    static func parse(_ buffer: [UInt8], continueSent: Bool = true) throws(HTTPParseError) -> Outcome {
        guard let headEnd = findHeadEnd(buffer) else {
            if buffer.count > maxHeaderBytes { throw HTTPParseError(status: 431, reason: "request header fields too large") }
            return .needMore
        }
        // Split on bytes: in Swift "\r\n" is one Character, so a String split on "\n" would miss it.
        var lines = buffer[0..<headEnd.start].split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> Substring in
            let bytes = line.last == 0x0D ? line.dropLast() : line
            return Substring(String(decoding: bytes, as: UTF8.self))
        }
        while let first = lines.first, first.isEmpty { lines.removeFirst() }
        guard let requestLine = lines.first else { throw HTTPParseError(status: 400, reason: "empty request") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            throw HTTPParseError(status: 400, reason: "malformed request line")
        }
        var target = String(parts[1])
        if target.hasPrefix("http://") || target.hasPrefix("https://") {
            let afterScheme = target.range(of: "://")!.upperBound
            target = target[afterScheme...].firstIndex(of: "/").map { String(target[$0...]) } ?? "/"
        }
        var path = target
        var query: String?
        if let q = target.firstIndex(of: "?") {
            path = String(target[..<q])
            query = String(target[target.index(after: q)...])
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPParseError(status: 400, reason: "malformed header line") }
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            headers.append((name: name, value: value))
        }
        var request = ReceivedRequest(method: String(parts[0]), path: path, query: query, version: String(parts[2]),
                                      headers: headers, body: Data())
        let bodyStart = headEnd.end
        let available = buffer.count - bodyStart
        if request.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            switch try decodeChunked(buffer, from: bodyStart) {
            case nil:
                if available == 0, !continueSent, request.header("Expect")?.lowercased() == "100-continue" { return .expectsContinue }
                return .needMore
            case let (body, end)?:
                request.body = Data(body)
                return .request(request, consumed: end)
            }
        }
        let length: Int
        if let text = request.header("Content-Length") {
            guard let value = Int(text), value >= 0 else { throw HTTPParseError(status: 400, reason: "malformed Content-Length") }
            length = value
        } else {
            length = 0
        }
        guard length <= maxBodyBytes else { throw HTTPParseError(status: 413, reason: "request body too large") }
        guard available >= length else {
            if available == 0, length > 0, !continueSent, request.header("Expect")?.lowercased() == "100-continue" {
                return .expectsContinue
            }
            return .needMore
        }
        request.body = Data(buffer[bodyStart..<(bodyStart + length)])
        return .request(request, consumed: bodyStart + length)
    }

    /// The end of the head: after `\r\n\r\n` (or `\n\n`).
    private static func findHeadEnd(_ buffer: [UInt8]) -> (start: Int, end: Int)? {
        var i = 0
        while i < buffer.count {
            if buffer[i] == 0x0A {
                if i + 1 < buffer.count, buffer[i + 1] == 0x0A { return (i, i + 2) }
                if i + 2 < buffer.count, buffer[i + 1] == 0x0D, buffer[i + 2] == 0x0A { return (i, i + 3) }
            }
            i += 1
        }
        return nil
    }

    /// A chunked body from `start`: the bytes and where it ends, or `nil` when incomplete.
    private static func decodeChunked(_ buffer: [UInt8], from start: Int) throws(HTTPParseError) -> ([UInt8], Int)? {
        var body: [UInt8] = []
        var i = start
        while true {
            guard let lineEnd = buffer[i...].firstIndex(of: 0x0A) else { return nil }
            var sizeText = String(decoding: buffer[i..<lineEnd], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if let semicolon = sizeText.firstIndex(of: ";") { sizeText = String(sizeText[..<semicolon]) }
            guard let size = Int(sizeText, radix: 16), size >= 0 else { throw HTTPParseError(status: 400, reason: "malformed chunk size") }
            i = lineEnd + 1
            if size == 0 {
                // Trailers until an empty line.
                while true {
                    guard let end = buffer[i...].firstIndex(of: 0x0A) else { return nil }
                    let line = buffer[i..<end].filter { $0 != 0x0D }
                    i = end + 1
                    if line.isEmpty { return (body, i) }
                }
            }
            guard body.count + size <= maxBodyBytes else { throw HTTPParseError(status: 413, reason: "request body too large") }
            guard buffer.count >= i + size else { return nil }
            body.append(contentsOf: buffer[i..<(i + size)])
            i += size
            guard let crlfEnd = buffer[i...].firstIndex(of: 0x0A) else { return nil }
            i = crlfEnd + 1
        }
    }

    /// `%XX` decoded as UTF-8; malformed escapes are kept as they are.
    static func percentDecode<S: StringProtocol>(_ text: S) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == 0x25, i + 2 < utf8.count, let high = hex(utf8[i + 1]), let low = hex(utf8[i + 2]) {
                bytes.append(high << 4 | low)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }

    /// The bytes of a response: status line, headers (with `Content-Length`), body.
    static func responseBytes(status: Int, headers: [(name: String, value: String)], body: Data, keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\n"
        for header in headers where header.name.lowercased() != "content-length" && header.name.lowercased() != "connection" {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "Content-Length: \(body.count)\r\n"
        head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        return Array(head.utf8) + Array(body)
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 400: return "Bad Request"
        case 402: return "Payment Required"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 413: return "Payload Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Entity"
        case 423: return "Locked"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        default: return "Status \(status)"
        }
    }
}
