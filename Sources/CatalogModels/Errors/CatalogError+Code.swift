extension CatalogError {
    /// The kind of a ``CatalogError``: the exception's wire name (e.g. `ThrottlingException`),
    /// or a local name for failures that never reached the service (``timeout`` …).
    ///
    /// Any wire name is accepted (``unknown(_:)``); equality compares names exactly.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The exception name as the service spells it, e.g. `"ThrottlingException"`.
        public let wireName: String

        private init(name: String) {
            wireName = name
        }

        /// Reads a wire name as found in `x-amzn-ErrorType` or a body's `__type`/`code`:
        /// drops a `:namespace` suffix (`ThrottlingException:http://internal.amazon.com/…`)
        /// and a `namespace#` prefix (`aws.marketplace#ThrottlingException`), trims spaces.
        public init(wireName: String) {
            var name = Substring(wireName)
            if let colon = name.firstIndex(of: ":") { name = name[..<colon] }
            if let hash = name.lastIndex(of: "#") { name = name[name.index(after: hash)...] }
            while let first = name.first, first.isWhitespace { name = name.dropFirst() }
            while let last = name.last, last.isWhitespace { name = name.dropLast() }
            self.init(name: String(name))
        }

        /// Any other exception name, kept as given.
        public static func unknown(_ wireName: String) -> Code { Code(name: wireName) }

        // MARK: Service exceptions (botocore model, `error.httpStatusCode`)

        /// `ThrottlingException` (429): over the per-operation rate; slow down and retry.
        public static let throttling = Code(name: "ThrottlingException")
        /// `ResourceInUseException` (423): an entity is locked by another open change set.
        public static let resourceInUse = Code(name: "ResourceInUseException")
        /// `ServiceQuotaExceededException` (402): too many open change sets for the account.
        public static let serviceQuotaExceeded = Code(name: "ServiceQuotaExceededException")
        /// `ValidationException` (422): the request is wrong; do not resend it unchanged.
        public static let validation = Code(name: "ValidationException")
        /// `AccessDeniedException` (403): permissions, or an entity the account does not own.
        public static let accessDenied = Code(name: "AccessDeniedException")
        /// `ResourceNotFoundException` (404): unknown change set, entity or product.
        public static let resourceNotFound = Code(name: "ResourceNotFoundException")
        /// `ResourceNotSupportedException` (415): DescribeEntity of an unsupported entity type.
        public static let resourceNotSupported = Code(name: "ResourceNotSupportedException")
        /// `InternalServiceException` (500): transient; retry.
        public static let internalService = Code(name: "InternalServiceException")
        /// `SerializationException` (400): a body that is not JSON or has a member of the
        /// wrong type (rest-json protocol error; also used for unreadable responses).
        public static let serialization = Code(name: "SerializationException")

        // MARK: Authentication (AWS front door; 403, or 400 for `IncompleteSignatureException`)

        /// `InvalidSignatureException`: the SigV4 signature does not match.
        public static let invalidSignature = Code(name: "InvalidSignatureException")
        /// `UnrecognizedClientException`: unknown access key id or invalid session token.
        public static let unrecognizedClient = Code(name: "UnrecognizedClientException")
        /// `MissingAuthenticationTokenException`: the request was not signed.
        public static let missingAuthenticationToken = Code(name: "MissingAuthenticationTokenException")
        /// `ExpiredTokenException`: the session credentials have expired.
        public static let expiredToken = Code(name: "ExpiredTokenException")
        /// `InvalidClientTokenId` (STS spelling): unknown access key id.
        public static let invalidClientTokenId = Code(name: "InvalidClientTokenId")
        /// `SignatureDoesNotMatch` (STS spelling): the signature does not match.
        public static let signatureDoesNotMatch = Code(name: "SignatureDoesNotMatch")
        /// `IncompleteSignatureException` (400): a malformed `Authorization` header.
        public static let incompleteSignature = Code(name: "IncompleteSignatureException")

        // MARK: Network failures (no response; local names, never sent by the service)

        /// No response within the deadline. The request may or may not have been applied.
        public static let timeout = Code(name: "NetworkTimeout")
        /// The connection dropped mid-request. The request may or may not have been applied.
        public static let connectionReset = Code(name: "NetworkConnectionReset")
        /// The endpoint's host name did not resolve.
        public static let dnsFailure = Code(name: "NetworkDNSFailure")
        /// No connection could be made (refused, unreachable, TLS handshake failed).
        public static let connectionFailed = Code(name: "NetworkConnectionFailed")

        /// The HTTP status the service gives this code (from the model's `error` traits:
        /// 429, 423, 402, 422, 403, 404, 415, 500; 400 for serialization; 403 for
        /// authentication, 400 for an incomplete signature); `nil` for network failures
        /// and unknown codes.
        public var httpStatus: Int? {
            switch self {
            case .throttling: return 429
            case .resourceInUse: return 423
            case .serviceQuotaExceeded: return 402
            case .validation: return 422
            case .accessDenied: return 403
            case .resourceNotFound: return 404
            case .resourceNotSupported: return 415
            case .internalService: return 500
            case .serialization, .incompleteSignature: return 400
            case .invalidSignature, .unrecognizedClient, .missingAuthenticationToken, .expiredToken,
                 .invalidClientTokenId, .signatureDoesNotMatch:
                return 403
            default: return nil
            }
        }

        /// Whether the code alone makes a call worth retrying: throttling, internal errors,
        /// back-pressure and network failures, plus the throttling and transient error codes
        /// the AWS SDKs' standard retry mode retries whatever the HTTP status
        /// (`TooManyRequestsException`, `RequestTimeoutException`, `PriorRequestNotComplete` …,
        /// botocore `retries/standard.py`).
        public var isRetryable: Bool {
            isBackPressure || isNetwork || self == .throttling || self == .internalService
                || Self.standardModeRetryableNames.contains(wireName)
        }

        /// The codes botocore's standard retry mode treats as throttling
        /// (`ThrottledRetryableChecker`) or transient (`TransientRetryableChecker`).
        static let standardModeRetryableNames: Set<String> = [
            "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
            "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
            "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
            "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
            "RequestTimeout", "RequestTimeoutException",
        ]

        /// `ResourceInUseException` or `ServiceQuotaExceededException`: wait, then retry.
        public var isBackPressure: Bool { self == .resourceInUse || self == .serviceQuotaExceeded }

        /// An authentication failure: fix credentials or the clock; never retry unchanged.
        public var isAuthentication: Bool {
            switch self {
            case .invalidSignature, .unrecognizedClient, .missingAuthenticationToken, .expiredToken,
                 .invalidClientTokenId, .signatureDoesNotMatch, .incompleteSignature:
                return true
            default: return false
            }
        }

        /// A failure without a response (``timeout``, ``connectionReset``, ``dnsFailure``,
        /// ``connectionFailed``).
        public var isNetwork: Bool {
            self == .timeout || self == .connectionReset || self == .dnsFailure || self == .connectionFailed
        }

        /// Whether this is one of the named codes above rather than ``unknown(_:)``.
        public var isKnown: Bool {
            httpStatus != nil || isNetwork
        }

        /// The wire name.
        public var description: String { wireName }
    }
}
