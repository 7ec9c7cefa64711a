import Hashing
import CatalogClient
import Foundation
import TestSupport

/// One case of the AWS SigV4 test suite in `shared/testdata/sigv4/<name>/` (see its
/// README): the request, the signing context, and the expected output of each stage
/// for header signing (`header-*`) and query signing (`query-*`).
struct SigV4SuiteCase: Sendable {
    /// A parsed `*.txt` HTTP message: request line, headers in order (folded lines
    /// kept inside the value, joined with `\n`), body.
    struct Message: Sendable {
        var method: String
        var path: String
        var query: String?
        var headers: [(name: String, value: String)]
        var body: Data

        /// Parses the suite's text form: `METHOD TARGET HTTP/1.1`, `Name:value` lines,
        /// continuation lines starting with whitespace, a blank line, the body.
        init(text: String) throws {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard !lines.isEmpty else { throw ParseError("empty request") }
            let requestLine = lines.removeFirst()
            guard let firstSpace = requestLine.firstIndex(of: " "),
                  let lastSpace = requestLine.lastIndex(of: " "), firstSpace < lastSpace
            else { throw ParseError("bad request line \(requestLine)") }
            method = String(requestLine[..<firstSpace])
            let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
            if let question = target.firstIndex(of: "?") {
                path = String(target[..<question])
                query = String(target[target.index(after: question)...])
            } else {
                path = target
                query = nil
            }
            headers = []
            var bodyLines: [String] = []
            var inBody = false
            for line in lines {
                if inBody {
                    bodyLines.append(line)
                } else if line.isEmpty {
                    inBody = true
                } else if line.first == " " || line.first == "\t" {
                    guard !headers.isEmpty else { throw ParseError("continuation before any header") }
                    headers[headers.count - 1].value += "\n" + line
                } else {
                    guard let colon = line.firstIndex(of: ":") else { throw ParseError("bad header line \(line)") }
                    headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
                }
            }
            // Signed-request files end with extra blank lines; only a real body counts.
            let bodyText = bodyLines.joined(separator: "\n")
            body = bodyText.allSatisfy(\.isNewline) ? Data() : Data(bodyText.utf8)
        }

        /// Every header value of `name` (ignoring case), in order.
        func values(_ name: String) -> [String] {
            headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
        }

        /// The query's parameters as raw `name=value` strings, sorted (order-insensitive comparison).
        var queryParameterSet: [String] {
            (query ?? "").split(separator: "&").map(String.init).sorted()
        }
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    let name: String
    let request: Message
    let accessKeyId: String
    let secretAccessKey: String
    let sessionToken: String?
    let region: String
    let service: String
    let date: Date
    let expires: Int
    let options: SigV4Signer.Options
    private let folder: URL

    /// The folder of the whole suite.
    static let root = TestData.url("sigv4")

    /// The names of all cases, sorted (the test arguments).
    static let names: [String] = {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return entries.filter { name in
            FileManager.default.fileExists(atPath: root.appendingPathComponent(name).appendingPathComponent("context.json").path)
        }.sorted()
    }()

    init(named name: String) throws {
        self.name = name
        folder = Self.root.appendingPathComponent(name)
        let contextData = try Data(contentsOf: folder.appendingPathComponent("context.json"))
        guard let context = try JSONSerialization.jsonObject(with: contextData) as? [String: Any],
              let credentials = context["credentials"] as? [String: Any]
        else { throw ParseError("bad context.json") }
        accessKeyId = credentials["access_key_id"] as? String ?? ""
        secretAccessKey = credentials["secret_access_key"] as? String ?? ""
        sessionToken = credentials["token"] as? String
        region = context["region"] as? String ?? ""
        service = context["service"] as? String ?? ""
        expires = context["expiration_in_seconds"] as? Int ?? 0
        options = SigV4Signer.Options(
            normalizePath: context["normalize"] as? Bool ?? true,
            omitSessionToken: context["omit_session_token"] as? Bool ?? false,
            addContentSHA256Header: context["sign_body"] as? Bool ?? false)
        let timestamp = context["timestamp"] as? String ?? ""
        guard let date = ISO8601DateFormatter().date(from: timestamp) else { throw ParseError("bad timestamp \(timestamp)") }
        self.date = date
        let requestData = try Data(contentsOf: folder.appendingPathComponent("request.txt"))
        request = try Message(text: String(decoding: requestData, as: UTF8.self))
    }

    /// The bytes of one of the case's files, as text.
    func text(_ file: String) throws -> String {
        try String(decoding: Data(contentsOf: folder.appendingPathComponent(file)), as: UTF8.self)
    }

    /// The signer the context describes.
    var signer: SigV4Signer {
        SigV4Signer(credentials: AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken),
                    region: region, service: service, options: options)
    }

    /// The request in signable form, path and query exactly as the suite writes them.
    var signable: SignableRequest {
        SignableRequest(method: request.method, path: request.path, query: request.query,
                        headers: request.headers, body: request.body)
    }
}
