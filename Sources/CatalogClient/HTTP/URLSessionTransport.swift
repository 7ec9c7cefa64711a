import CatalogModels
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends requests with one `URLSession` (FoundationNetworking on Linux), reusing its connections.
///
/// - Timeouts: `requestTimeout` bounds connecting and every wait for data
///   (`timeoutIntervalForRequest`); `resourceTimeout` bounds the whole exchange. A request's
///   own ``HTTPRequest/timeout`` replaces `requestTimeout` for that request (a per-attempt
///   deadline; FoundationNetworking on Linux applies it to the whole attempt, in whole seconds).
/// - A request with a body is never re-sent behind the caller's back (Linux): when a reused
///   keep-alive connection dies before any answer (a reset or a close), libcurl re-sends the
///   request on a fresh connection by itself. FoundationNetworking cannot rewind an `httpBody`
///   for that: it sends the headers again and then no body, so the server waits for the body and
///   the client for the answer until the timeout (measured: the whole 30 s, a core spinning).
///   Handing libcurl the body again would instead make a call the caller's rate limiter never
///   counted, and repeat a request the server may already have processed. So on Linux a body
///   goes as a stream with its `Content-Length` (bytes on the wire as for `httpBody`), and when
///   libcurl asks for it again the task's delegate gives it one that fails
///   (``NoSilentResend``): the call ends at once with `connectionReset` ("may have been
///   applied"), and the caller retries it — rate-limited, with the same idempotency token.
///   (Requests without a body are re-sent by libcurl as it likes; nothing here can stop that.)
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
        let deadline = request.timeout ?? requestTimeout
        let urlRequest = Self.urlRequest(for: request, timeout: deadline)
        let box = TaskBox()
        // A backstop for the deadline: under load FoundationNetworking can miss a request's own
        // interval and wait the session's instead (measured: 37 s for a 1-s deadline).
        let watchdog = DispatchWorkItem { box.expire() }
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline + 0.25, execute: watchdog)
        defer { watchdog.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    if let error {
                        continuation.resume(throwing: box.hasExpired
                            ? CatalogError(.timeout, message: "no answer from \(request.url.host ?? "the server") within \(Int(deadline.rounded(.up))) s")
                            : Self.mapError(error))
                        return
                    }
                    guard let http = response as? HTTPURLResponse else {
                        continuation.resume(throwing: CatalogError(.connectionReset, message: "the server's answer was not HTTP"))
                        return
                    }
                    continuation.resume(returning: Self.response(from: http, body: data ?? Data()))
                }
                #if canImport(FoundationNetworking)
                if !request.body.isEmpty { task.delegate = NoSilentResend() }
                #endif
                box.set(task)
                task.resume()
            }
        } onCancel: {
            box.cancel()
        }
    }

    /// The `URLRequest` for `request`: method, URL, headers in order (repeats appended), body.
    ///
    /// On Linux the body is an `httpBodyStream` with an explicit `Content-Length` and a blank
    /// `Transfer-Encoding` (libcurl's way to turn off the chunked encoding it would otherwise
    /// choose for a stream of unknown length; a blank header is not sent), so the bytes on the
    /// wire are those of an `httpBody`, and a re-send libcurl tries on its own fails at once
    /// (``NoSilentResend``) instead of hanging.
    static func urlRequest(for request: HTTPRequest, timeout: TimeInterval) -> URLRequest {
        #if canImport(FoundationNetworking)
        // Whole seconds: FoundationNetworking truncates the interval, and 0 would time out at once.
        let timeout = max(1, timeout.rounded(.up))
        #endif
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        // Set again through the property: FoundationNetworking heeds a request's own interval
        // only once it has been assigned (the initialiser's is ignored for the session's).
        urlRequest.timeoutInterval = timeout
        urlRequest.httpMethod = request.method
        for header in request.headers {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        if !request.body.isEmpty {
            #if canImport(FoundationNetworking)
            urlRequest.httpBodyStream = InputStream(data: request.body)
            urlRequest.setValue(String(request.body.count), forHTTPHeaderField: "Content-Length")
            urlRequest.setValue(" ", forHTTPHeaderField: "Transfer-Encoding")
            #else
            urlRequest.httpBody = request.body
            #endif
        }
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

#if canImport(FoundationNetworking)
/// The delegate of one task with a body (Linux): when libcurl wants to send the request again
/// on a new connection by itself (the reused one died before any answer), gives it a body that
/// fails at the first read, so the task fails at once (`URLError.unknown`, hence
/// `connectionReset`) and the caller decides about a retry. Like the session's delegate, it
/// refuses redirects (a task's own delegate is asked instead of the session's).
///
/// Why not replay the body: that call would escape the caller's rate limiter and repeat a
/// request the server may have processed. Why not leave it: FoundationNetworking answers the
/// rewind with success without rewinding a body it holds as data, or a stream nobody replaces,
/// and the request hangs. It replaces the stream only with the one this delegate hands over.
final class NoSilentResend: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    // @unchecked: no state.

    func urlSession(_ session: URLSession, task: URLSessionTask,
                    needNewBodyStream completionHandler: @escaping @Sendable (InputStream?) -> Void) {
        completionHandler(RefusedBody())
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

/// A request body stream that fails at its first read: libcurl aborts the transfer it feeds.
final class RefusedBody: InputStream, @unchecked Sendable {
    // @unchecked: used by one libcurl transfer at a time, on its queue.
    private var status: Stream.Status = .notOpen

    /// A stream that will fail.
    init() { super.init(data: Data()) }

    override var streamStatus: Stream.Status { status }
    override var streamError: (any Error)? { status == .error ? URLError(.networkConnectionLost) : nil }
    override var hasBytesAvailable: Bool { status == .open }
    override func open() { status = .open }
    override func close() { status = .closed }
    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength len: Int) -> Int {
        status = .error
        return -1
    }
}
#endif

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

    /// Cancels the task because its deadline passed (``hasExpired`` then says so).
    func expire() {
        lock.withLock { expired = true }
        cancel()
    }

    var hasExpired: Bool { lock.withLock { expired } }
    private var expired = false
}
