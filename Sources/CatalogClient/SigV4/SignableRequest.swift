import Hashing
import Foundation

/// The parts of an HTTP request that AWS Signature Version 4 reads, in wire form.
///
/// `SigV4Signer` and `SigV4Verifier` work on this value; `HTTPRequest` is converted
/// to it with `init(_:)`. It exists on its own so that a request whose target cannot
/// be held in a Foundation `URL` as written (a test suite's raw `/example space/`, a
/// server's received request target) can still be signed or checked byte for byte.
///
/// Nothing here is canonical yet: `path` and `query` are exactly as they travel in
/// the request line (already percent-encoded once), and the signer canonicalizes
/// them (AWS "Create a canonical request for Signature Version 4").
public struct SignableRequest: Sendable, Equatable {
    /// The method, e.g. `GET`; upper-cased when canonicalized.
    public var method: String
    /// The path of the request target as sent, e.g. `/DescribeEntity` or `/a%20b`;
    /// empty means `/`.
    public var path: String
    /// The query as sent, without the `?`; `nil` (or empty) for none.
    public var query: String?
    /// Header fields in request order; names keep their case.
    public var headers: [(name: String, value: String)]
    /// The last line of the canonical request: the lowercase hex SHA-256 of the body,
    /// or the value of an `x-amz-content-sha256` header when the request has one
    /// (which is what botocore signs).
    public var payloadHash: String

    /// Creates a signable request from its parts and the hex hash of its payload.
    public init(method: String, path: String, query: String? = nil,
                headers: [(name: String, value: String)] = [], payloadHash: String) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }

    /// Creates a signable request from its parts and body; the payload hash is the
    /// `x-amz-content-sha256` header's value if present, else SHA-256 of `body`.
    public init(method: String, path: String, query: String? = nil,
                headers: [(name: String, value: String)] = [], body: Data) {
        let declared = headers.first { $0.name.caseInsensitiveCompare(Self.contentSHA256Header) == .orderedSame }
        self.init(method: method, path: path, query: query, headers: headers,
                  payloadHash: declared?.value ?? SHA256.hexHash(body))
    }

    /// The signable parts of `request`: its URL's percent-encoded path and query
    /// (untouched), its headers as they are (no `Host` is added), and its payload hash.
    public init(_ request: HTTPRequest) {
        self.init(method: request.method, path: request.url.path(percentEncoded: true),
                  query: request.url.query(percentEncoded: true), headers: request.headers, body: request.body)
    }

    /// The first value of a header, matched ignoring case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every value of a header, in request order, matched ignoring case.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    /// Replaces every header of that name (ignoring case) with one value, at the end.
    public mutating func setHeader(_ name: String, _ value: String) {
        removeHeader(name)
        headers.append((name, value))
    }

    /// Removes every header of that name, ignoring case.
    public mutating func removeHeader(_ name: String) {
        headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The payload-hash header name (`x-amz-content-sha256`).
    static let contentSHA256Header = "x-amz-content-sha256"

    /// Equal when every part is equal, headers compared in order.
    public static func == (lhs: SignableRequest, rhs: SignableRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.query == rhs.query
            && lhs.payloadHash == rhs.payloadHash
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }
}
