import CatalogModels
import Clocks

/// The retry decision for one Catalog API call, as a pure state machine fed one failure at
/// a time: retry after a delay (exponential backoff with full jitter, capped), hand the
/// error up (back-pressure or a refusal that only the caller can act on), or give up.
///
/// | error | decision |
/// | --- | --- |
/// | ThrottlingException (429) | retry; up to `maxThrottledAttempts` throttles |
/// | InternalServiceException, any 5xx, timeouts, resets, unreachable | retry; up to `maxAttempts` tries in all |
/// | ResourceInUseException (423), ServiceQuotaExceededException (402) | ``Decision/surface`` (back-pressure: the run waits) |
/// | ValidationException, not found, access denied, authentication … | ``Decision/surface`` (not retryable unchanged) |
///
/// Retried StartChangeSet calls reuse the same ClientRequestToken, so a retry after a
/// timeout whose request did reach the service returns the original ChangeSetId (Catalog
/// API reference, StartChangeSet `ClientRequestToken`).
///
/// Full jitter (the delay is uniform in 0…min(cap, base × 2ⁿ⁻¹) before retry n) spreads
/// retries of many callers best ("Exponential Backoff And Jitter", AWS Architecture Blog).
public struct CallRetry: Sendable, Hashable {
    /// What to do after a failure.
    public enum Decision: Sendable, Hashable {
        /// Wait this many seconds, then try again (same request, same token).
        case retry(after: Double)
        /// Stop retrying here and let the caller decide (back-pressure or a refusal).
        case surface
        /// Retryable, but the attempts are used up: the call's fate is unknown if the last
        /// failure was a timeout or a reset.
        case giveUp
    }

    /// Tries allowed for transient failures (the first included).
    public let maxAttempts: Int
    /// Throttles allowed.
    public let maxThrottledAttempts: Int
    /// Backoff base in seconds.
    public let base: Double
    /// Backoff cap in seconds.
    public let cap: Double
    /// Tries made so far (failed ones).
    public private(set) var failures = 0
    /// Throttled tries so far.
    public private(set) var throttles = 0
    /// Transient (non-throttle) failures so far.
    public private(set) var transientFailures = 0

    /// A fresh call.
    public init(maxAttempts: Int, maxThrottledAttempts: Int, base: Double, cap: Double) {
        self.maxAttempts = maxAttempts
        self.maxThrottledAttempts = maxThrottledAttempts
        self.base = base
        self.cap = cap
    }

    /// A fresh call with the options' numbers.
    public init(options: RunOptions) {
        self.init(maxAttempts: options.maxAttempts, maxThrottledAttempts: options.maxThrottledAttempts,
                  base: options.backoffBase, cap: options.backoffCap)
    }

    /// The upper bound of the delay before retry `n` (n ≥ 1): min(cap, base × 2ⁿ⁻¹).
    public static func ceiling(retry n: Int, base: Double, cap: Double) -> Double {
        let exponent = Double(max(0, min(n - 1, 62)))
        return min(cap, base * pow2(exponent))
    }

    /// A full-jitter delay before retry `n`: uniform in 0…``ceiling(retry:base:cap:)``.
    public static func delay(retry n: Int, base: Double, cap: Double, using generator: inout SplitMix64) -> Double {
        ceiling(retry: n, base: base, cap: cap) * generator.nextUnit()
    }

    /// Records `error` and decides.
    public mutating func decide(after error: CatalogError, using generator: inout SplitMix64) -> Decision {
        failures += 1
        if error.isBackPressure || !error.isRetryable || error.code.isAuthentication { return .surface }
        if error.code == .throttling {
            throttles += 1
            guard throttles < maxThrottledAttempts else { return .giveUp }
            return .retry(after: Self.delay(retry: throttles, base: base, cap: cap, using: &generator))
        }
        transientFailures += 1
        guard transientFailures < maxAttempts else { return .giveUp }
        return .retry(after: Self.delay(retry: transientFailures, base: base, cap: cap, using: &generator))
    }

    private static func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        var n = Int(exponent)
        while n > 0 {
            value *= 2
            n -= 1
        }
        return value
    }
}
