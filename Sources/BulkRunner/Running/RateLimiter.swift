import CatalogModels
import Clocks
import Foundation

/// The run's per-operation rate limits, shared by every task that calls the Catalog API:
/// one ``RateLimiterState`` per operation behind one lock, waiting on the injected clock.
///
/// ``acquire(_:)`` grants a call when the operation's window allows it and otherwise sleeps
/// until it might, so callers go out at the quota and never above it ("Service quotas for AWS Marketplace
/// Catalog API"). Report throttling with ``recordThrottle(_:)``: the operation's effective
/// rate halves, then recovers while calls go through. Cost: one lock, O(1) per call.
public final class RateLimiter: Sendable {
    private struct State {
        var limiters: [CatalogOperation: RateLimiterState]
        var recent: [CatalogOperation: [Date]] = [:]
    }

    private let clock: any TimeSource
    private let lock: LockedValue<State>

    /// Limits at `options.rates` (the published quotas by default) with its window slack.
    public init(options: RunOptions, clock: any TimeSource) {
        self.clock = clock
        var limiters: [CatalogOperation: RateLimiterState] = [:]
        for operation in CatalogOperation.allCases {
            limiters[operation] = RateLimiterState(quota: options.rate(of: operation), slack: options.rateWindowSlack, paced: options.pacesCalls)
        }
        lock = LockedValue(State(limiters: limiters))
    }

    /// Holds every operation for one window from now: a run resumed right after its earlier
    /// process was killed cannot see that process's last calls, which still count in the
    /// service's window; without the pause a rerun could reach twice the quota in one second.
    public func pauseForUnseenCalls() {
        let now = clock.now()
        lock.withLock { state in
            for operation in CatalogOperation.allCases {
                let window = state.limiters[operation]!.shape.window
                state.limiters[operation]!.pause(until: now.addingTimeInterval(window))
            }
        }
    }

    /// Waits until `operation` may be called, then counts the call. Throws
    /// `CancellationError` when cancelled while waiting.
    public func acquire(_ operation: CatalogOperation) async throws {
        while true {
            let now = clock.now()
            let wait = lock.withLock { state -> Date? in
                guard let wait = state.limiters[operation]!.tryGrant(now: now) else {
                    var times = state.recent[operation] ?? []
                    times.append(now)
                    let horizon = now.addingTimeInterval(-5)
                    if let first = times.firstIndex(where: { $0 > horizon }), first > 0 { times.removeFirst(first) }
                    state.recent[operation] = times
                    return nil
                }
                return wait
            }
            guard let wait else {
                try Task.checkCancellation()
                return
            }
            try await clock.sleep(until: wait)
        }
    }

    /// Reports that a call of `operation` was throttled.
    public func recordThrottle(_ operation: CatalogOperation) {
        let now = clock.now()
        lock.withLock { $0.limiters[operation]!.recordThrottle(now: now) }
    }

    /// Throttles seen, by operation.
    public var throttles: [CatalogOperation: Int] {
        lock.withLock { state in state.limiters.compactMapValues { $0.throttles > 0 ? $0.throttles : nil } }
    }

    /// Per operation: calls granted in the last 5 s divided by 5 (requests per second), the
    /// effective rate now, and the configured quota; only operations used lately.
    public func rates(now: Date) -> [OperationRate] {
        lock.withLock { state in
            CatalogOperation.allCases.compactMap { operation in
                guard let times = state.recent[operation], let limiter = state.limiters[operation] else { return nil }
                let from = now.addingTimeInterval(-5)
                let count = times.filter { $0 > from && $0 <= now }.count
                guard count > 0 || limiter.throttles > 0 else { return nil }
                return OperationRate(operation: operation, perSecond: Double(count) / 5,
                                     effectiveRate: limiter.currentRate, quota: limiter.quota,
                                     throttles: limiter.throttles)
            }
        }
    }
}

/// One operation's request rate as the progress line shows it.
public struct OperationRate: Sendable, Hashable {
    /// The operation.
    public var operation: CatalogOperation
    /// Requests per second over the last 5 seconds.
    public var perSecond: Double
    /// The rate the limiter allows now (lower than the quota after throttling).
    public var effectiveRate: Double
    /// The configured rate (by default the published quota).
    public var quota: Double
    /// Throttles seen so far.
    public var throttles: Int

    /// Creates a rate.
    public init(operation: CatalogOperation, perSecond: Double, effectiveRate: Double, quota: Double, throttles: Int) {
        self.operation = operation
        self.perSecond = perSecond
        self.effectiveRate = effectiveRate
        self.quota = quota
        self.throttles = throttles
    }
}

/// A value behind an `NSLock`: the one small lock for state shared by tasks.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
