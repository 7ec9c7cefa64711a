import CatalogModels
import Foundation

/// When and how long to wait before sending a failed Catalog API call again:
/// capped exponential backoff with full jitter ("Exponential Backoff And Jitter",
/// AWS Architecture Blog, 2015; the AWS SDKs' standard retry mode).
///
/// Retries only what can succeed unchanged: throttling (`ThrottlingException`, 429, and
/// the SDKs' other throttling codes), server errors (`InternalServiceException`, any 5xx,
/// `RequestTimeoutException`) and network failures (no response). Never validation,
/// access, not-found or authentication errors — nor back-pressure (423
/// `ResourceInUseException`, 402 `ServiceQuotaExceededException`), which asks for
/// waiting on open change sets, not for hammering.
///
/// A pure value: `decide(after:attempt:random:)` says what to do next, so the whole
/// schedule can be tested event by event; `withRetries(_:environment:_:)` carries it out with an injected
/// random source and sleeper. The client itself never retries: this is for one-off
/// callers such as `bulkrunner api` (the engine has its own scheduling).
public struct RetryPolicy: Sendable, Equatable {
    /// Most attempts in total, the first included (at least 1).
    public var maxAttempts: Int
    /// The backoff ceiling before the first retry, in seconds; it doubles per retry.
    public var baseDelay: TimeInterval
    /// The largest backoff ceiling, in seconds.
    public var maxDelay: TimeInterval

    /// Creates a policy; `maxAttempts` below 1 counts as 1.
    public init(maxAttempts: Int = 5, baseDelay: TimeInterval = 0.5, maxDelay: TimeInterval = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
    }

    /// Five attempts, 0.5 s doubling up to 20 s.
    public static let standard = RetryPolicy()
    /// One attempt: never retry.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// What to do after a failed attempt.
    public enum Decision: Sendable, Equatable {
        /// Wait this many seconds, then send the same request again.
        case retry(after: TimeInterval)
        /// Stop and report the error.
        case giveUp(Reason)
    }

    /// Why a policy stops.
    public enum Reason: Sendable, Equatable {
        /// The error is not one that a resend can cure.
        case notRetryable
        /// `maxAttempts` attempts have been made.
        case attemptsExhausted
    }

    /// Whether `error` may go away if the same request is sent again later: throttling,
    /// internal and network errors, the throttling and transient codes of the AWS SDKs'
    /// standard retry mode (`TooManyRequestsException`, `RequestTimeoutException` …, at any
    /// status), and any 5xx or 429 — but never back-pressure or authentication failures.
    public func isRetryable(_ error: CatalogError) -> Bool {
        if error.isBackPressure || error.code.isAuthentication { return false }
        if error.code.isRetryable { return true }
        if let status = error.httpStatus { return status >= 500 || status == 429 }
        return false
    }

    /// The backoff ceiling before retry number `retry` (1 for the first retry):
    /// `min(maxDelay, baseDelay × 2^(retry − 1))`.
    public func ceiling(beforeRetry retry: Int) -> TimeInterval {
        let exponent = Double(max(0, min(retry - 1, 62)))
        return min(maxDelay, baseDelay * pow(2, exponent))
    }

    /// The decision after attempt number `attempt` (1-based) failed with `error`;
    /// `random` is a uniform draw from [0, 1) — the delay is `random × ceiling` (full jitter).
    public func decide(after error: any Error, attempt: Int, random: Double) -> Decision {
        guard let error = error as? CatalogError, isRetryable(error) else { return .giveUp(.notRetryable) }
        guard attempt < maxAttempts else { return .giveUp(.attemptsExhausted) }
        // Clamped into [0, 1] (NaN counts as 0), so the delay always lies within [0, ceiling]:
        // an injected random source can never make it negative, infinite or NaN.
        let unit = random.isNaN ? 0 : min(max(random, 0), 1)
        return .retry(after: unit * ceiling(beforeRetry: attempt))
    }
}
