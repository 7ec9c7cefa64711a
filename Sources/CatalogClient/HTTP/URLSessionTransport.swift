import CatalogModels
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends requests with one `URLSession` (FoundationNetworking on Linux), reusing its connections.
///
/// - Timeouts: `requestTimeout` bounds connecting and every wait for data
///   (`timeoutIntervalForRequest`); `resourceTimeout` bounds the whole exchange.
/// - Redirects are never followed: a 3xx comes back as the response. A signed request
///   must not be replayed, with its `Authorization` and session token, to wherever a
///   `Location` header points.
/// - No cookies, no cache, no credential storage: each request stands alone.
/// - Failures are `CatalogError` network codes (`URLSessionTransport.networkError(for:)`);
///   cancelling the calling task cancels the request and throws `CancellationError`.
/// - Response headers come back sorted by lower-cased name: URLSession does not keep
///   the wire order, and merges repeated headers into one comma-separated value.
///
/// The session lives as long as the transport; create one transport and share it.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: every stored property is immutable and URLSession is thread-safe.
    private let session: URLSession
    /// The connect/idle timeout in seconds.
    public let requestTimeout: TimeInterval
    /// The whole-exchange timeout in seconds.
    public let resourceTimeout: TimeInterval

    /// Creates a transport with its own session.
    public init(requestTimeout: TimeInterval = 30, resourceTimeout: TimeInterval = 120, maximumConnectionsPerHost: Int = 16) {
        self.requestTimeout = requestTimeout
        self.resourceTimeout = resourceTimeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout
        configuration.timeoutIntervalForResource = resourceTimeout
        configuration.httpMaximumConnectionsPerHost = maximumConnectionsPerHost
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends `request` and returns the whole response; throws `CatalogError` network failures.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let urlRequest = Self.urlRequest(for: request, timeout: requestTimeout)
        let box = TaskBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    if let error {
                        continuation.resume(throwing: Self.mapError(error))
                        return
                    }
                    guard let http = response as? HTTPURLResponse else {
                        continuation.resume(throwing: CatalogError(.connectionReset, message: "the server's answer was not HTTP"))
                        return
                    }
                    continuation.resume(returning: Self.response(from: http, body: data ?? Data()))
                }
                box.set(task)
                task.resume()
            }
        } onCancel: {
            box.cancel()
        }
    }

    /// The `URLRequest` for `request`: method, URL, headers in order (repeats appended), body.
    static func urlRequest(for request: HTTPRequest, timeout: TimeInterval) -> URLRequest {
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for header in request.headers {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        if !request.body.isEmpty { urlRequest.httpBody = request.body }
        urlRequest.httpShouldHandleCookies = false
        return urlRequest
    }

    /// The `HTTPResponse` for a URLSession answer, headers sorted by lower-cased name.
    static func response(from http: HTTPURLResponse, body: Data) -> HTTPResponse {
        let headers = http.allHeaderFields.compactMap { key, value -> (name: String, value: String)? in
            guard let name = key as? String else { return nil }
            return (name: name, value: "\(value)")
        }.sorted { $0.name.lowercased() < $1.name.lowercased() }
        return HTTPResponse(status: http.statusCode, headers: headers, body: body)
    }

    private static func mapError(_ error: any Error) -> any Error {
        if let urlError = error as? URLError {
            if urlError.code == .cancelled { return CancellationError() }
            return networkError(for: urlError)
        }
        return CatalogError(.connectionReset, message: "the request failed: \(error.localizedDescription)")
    }

    /// The `CatalogError` network failure for a `URLError`.
    ///
    /// timedOut → `timeout`; networkConnectionLost, secureConnectionFailed → `connectionReset`;
    /// cannotFindHost, dnsLookupFailed → `dnsFailure`; failures that happen before a byte of
    /// the request can leave (cannotConnectToHost, notConnectedToInternet, certificate
    /// problems, a bad URL …) → `connectionFailed`. Everything else (badServerResponse,
    /// cannotParseResponse, zeroByteResource, unknown …) may strike after the request was
    /// sent, so it is `connectionReset`: "may or may not have been applied", never "not
    /// sent". The message names the host, never headers or body.
    public static func networkError(for error: URLError) -> CatalogError {
        let host = error.failingURL?.host.map { " to \($0)" } ?? ""
        switch error.code {
        case .timedOut:
            return CatalogError(.timeout, message: "the request\(host) timed out")
        case .networkConnectionLost, .secureConnectionFailed:
            return CatalogError(.connectionReset, message: "the connection\(host) was lost (URLError \(error.code.rawValue))")
        case .cannotFindHost, .dnsLookupFailed:
            return CatalogError(.dnsFailure, message: "the host name\(host.replacingOccurrences(of: " to ", with: " ")) did not resolve")
        case .cannotConnectToHost, .notConnectedToInternet, .internationalRoamingOff, .dataNotAllowed, .callIsActive:
            return CatalogError(.connectionFailed, message: "could not connect\(host) (URLError \(error.code.rawValue))")
        case .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
             .serverCertificateHasUnknownRoot, .clientCertificateRejected, .clientCertificateRequired,
             .badURL, .unsupportedURL, .appTransportSecurityRequiresSecureConnection:
            return CatalogError(.connectionFailed, message: "the request\(host) could not be sent (URLError \(error.code.rawValue))")
        default:
            return CatalogError(.connectionReset, message: "the request\(host) failed (URLError \(error.code.rawValue))")
        }
    }
}

/// Refuses every redirect, so the 3xx response itself is returned.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

/// The running task, for cancellation from another thread; a cancel before the task exists cancels it on arrival.
private final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionTask?
    private var cancelled = false

    func set(_ task: URLSessionTask) {
        let cancelNow = lock.withLock { () -> Bool in
            self.task = task
            return cancelled
        }
        if cancelNow { task.cancel() }
    }

    func cancel() {
        let task = lock.withLock { () -> URLSessionTask? in
            cancelled = true
            return self.task
        }
        task?.cancel()
    }
}
