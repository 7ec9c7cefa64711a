import Foundation

extension CatalogError {
    /// Reads an error response per the rest-json protocol: the type from header
    /// `x-amzn-ErrorType`, else the body's `__type` or `code`; the message from the body's
    /// `Message` or `message`; the request id from `x-amzn-RequestId` (or `x-amz-request-id`).
    ///
    /// Header names match case-insensitively. With no type anywhere, the status decides:
    /// 429 throttling, 5xx internal, otherwise ``Code/unknown(_:)`` named `HTTP <status>`.
    public init(status: Int, headers: [(name: String, value: String)], body: Data) {
        func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        let json = (try? JSONValue(parsing: body))?.objectValue
        var typeName = header("x-amzn-ErrorType")
        if typeName?.isEmpty ?? true { typeName = json?["__type"]?.stringValue ?? json?["code"]?.stringValue ?? json?["Code"]?.stringValue }
        let code: Code
        if let typeName, !typeName.isEmpty {
            code = Code(wireName: typeName)
        } else if status == 429 {
            code = .throttling
        } else if status >= 500 {
            code = .internalService
        } else {
            code = .unknown("HTTP \(status)")
        }
        var message = json?["Message"]?.stringValue ?? json?["message"]?.stringValue ?? header("x-amzn-ErrorMessage")
        if message == nil, json == nil, !body.isEmpty {
            message = String(decoding: body.prefix(512), as: UTF8.self)
        }
        self.init(
            code,
            message: Self.redactingSecurityTokens(message ?? "HTTP \(status) with no message"),
            requestId: header("x-amzn-RequestId") ?? header("x-amz-request-id"),
            httpStatus: status
        )
    }

    /// `text` with the value of every `x-amz-security-token:` header line and
    /// `X-Amz-Security-Token=` query parameter replaced by `<redacted>` (any case).
    ///
    /// The AWS front door answers a signature mismatch with the canonical request it
    /// expected, which holds the caller's session token in clear; the message of a
    /// ``CatalogError`` ends up in terminals, logs and results files, so it must not.
    public static func redactingSecurityTokens(_ text: String) -> String {
        let patterns = [Array("x-amz-security-token:".utf8), Array("x-amz-security-token=".utf8)]
        let bytes = Array(text.utf8)
        let lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var changed = false
        scan: while i < bytes.count {
            for pattern in patterns {
                if lowered[i...].starts(with: pattern) {
                    out.append(contentsOf: bytes[i..<(i + pattern.count)])
                    i += pattern.count
                    var end = i
                    // A token is base64 (letters, digits, `+/=`), maybe percent-encoded in a query.
                    while end < bytes.count, !Self.endsToken(bytes[end]) { end += 1 }
                    if end > i {
                        out.append(contentsOf: Array("<redacted>".utf8))
                        changed = true
                    }
                    i = end
                    continue scan
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }

    private static func endsToken(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x0A, 0x0D, 0x20, 0x09, UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "&"),
             UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "<"), UInt8(ascii: "\\"), UInt8(ascii: "#"):
            return true
        default:
            return false
        }
    }

    /// Reads an error response whose headers are a dictionary; see ``init(status:headers:body:)``.
    public init(status: Int, headers: [String: String], body: Data) {
        self.init(status: status, headers: headers.map { (name: $0.key, value: $0.value) }, body: body)
    }

    /// The error as the service would send it, for the emulator's HTTP front: the status
    /// (``httpStatus``, else the code's, else 400), headers `x-amzn-ErrorType` (bare name),
    /// `x-amzn-RequestId` when known and `Content-Type: application/json`, and the body
    /// `{"Message": …}`, the model's member name (``init(status:headers:body:)`` reads
    /// both spellings).
    public var httpResponse: (status: Int, headers: [(name: String, value: String)], body: Data) {
        var headers: [(name: String, value: String)] = [
            (name: "Content-Type", value: "application/json"),
            (name: "x-amzn-ErrorType", value: code.wireName),
        ]
        if let requestId { headers.append((name: "x-amzn-RequestId", value: requestId)) }
        let body: JSONValue = ["Message": .string(message)]
        return (status: httpStatus ?? code.httpStatus ?? 400, headers: headers, body: body.compactData)
    }
}
