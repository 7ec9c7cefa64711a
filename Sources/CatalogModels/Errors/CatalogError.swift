/// The one error of every ``CatalogAPI`` call: a service exception (rest-json error shapes
/// such as `ThrottlingException`), an authentication failure, or a network failure.
///
/// Decide what to do from ``isRetryable`` and ``isBackPressure``, not from the message.
/// Build one from an HTTP response with ``init(status:headers:body:)``; the emulator turns
/// one back into a response with ``httpResponse``. Equal when code, message, request id and
/// status are equal.
public struct CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    private struct Storage: Sendable, Hashable {
        var code: Code
        var message: String
        var requestId: String?
        var httpStatus: Int?
    }

    private var storage: Storage

    /// Creates an error. `httpStatus` defaults to the code's usual status (``Code/httpStatus``).
    public init(_ code: Code, message: String, requestId: String? = nil, httpStatus: Int? = nil) {
        storage = Storage(code: code, message: message, requestId: requestId, httpStatus: httpStatus ?? code.httpStatus)
    }

    /// What went wrong, e.g. ``Code/throttling``.
    public var code: Code { storage.code }

    /// The service's message (`Message` in the error body), or a local explanation.
    public var message: String { storage.message }

    /// The `x-amzn-RequestId` of the failed call, when there was a response.
    public var requestId: String? { storage.requestId }

    /// The HTTP status of the response; `nil` for network failures that had none.
    public var httpStatus: Int? { storage.httpStatus }

    /// Whether the same request may succeed if sent again later: throttling, internal
    /// errors, any 5xx, network failures, and back-pressure (``isBackPressure``).
    /// Validation, access, not-found and authentication errors are not retryable.
    public var isRetryable: Bool {
        if code.isRetryable { return true }
        if code.isAuthentication || code == .validation || code == .accessDenied
            || code == .resourceNotFound || code == .resourceNotSupported || code == .serialization {
            return false
        }
        if let status = httpStatus { return status >= 500 || status == 429 }
        return false
    }

    /// Whether the service is pushing back rather than refusing: an entity locked by another
    /// open change set (`ResourceInUseException`, 423) or too many open change sets
    /// (`ServiceQuotaExceededException`, 402). Wait for open sets to finish, then retry.
    public var isBackPressure: Bool { code.isBackPressure }

    /// `ThrottlingException: Rate exceeded (request id 4d6b…, HTTP 429)`.
    public var description: String {
        var text = "\(code.wireName): \(message)"
        var extras: [String] = []
        if let requestId { extras.append("request id \(requestId)") }
        if let httpStatus, httpStatus != code.httpStatus, code.wireName != "HTTP \(httpStatus)" { extras.append("HTTP \(httpStatus)") }
        if !extras.isEmpty { text += " (" + extras.joined(separator: ", ") + ")" }
        return text
    }
}
