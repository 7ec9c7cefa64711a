import Foundation

/// An HTTP request as the signer and the transports see it.
///
/// Headers are an ordered list, not a dictionary: repeated headers keep the order
/// they were added in, which SigV4 needs (their values are joined in that order).
public struct HTTPRequest: Sendable, Equatable {
    /// The method, upper case (`GET`, `POST`, `PATCH`).
    public var method: String
    /// The full URL: scheme, host, optional port, path and query.
    public var url: URL
    /// Header fields in order; names keep the caller's case.
    public var headers: [(name: String, value: String)]
    /// The body bytes (empty for none).
    public var body: Data
    /// How long one attempt of this request may take, in seconds; `nil` leaves it to the
    /// transport's own timeout. Not part of what is signed.
    public var timeout: TimeInterval?

    /// Creates a request.
    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data = Data(),
                timeout: TimeInterval? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The first value of a header, matched ignoring case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Replaces every header of that name (ignoring case) with one value.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body && lhs.timeout == rhs.timeout
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }
}

/// An HTTP response as a transport returns it.
public struct HTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields in order.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: Data

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, matched ignoring case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Sends one HTTP request and returns its response: URLSession in production, anything in tests.
///
/// A transport throws `CatalogError` network failures (timeout, reset, DNS); it never
/// interprets status codes.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and waits for the whole response.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
