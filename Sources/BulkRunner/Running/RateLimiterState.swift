import Foundation

/// The pure decision logic of one operation's rate limit: a sliding window that never lets
/// more than the quota through in any one second, with an effective rate that halves on
/// throttling and climbs back to the quota while calls go through (AIMD).
///
/// Calls are also paced (one every window ÷ capacity, see ``paced``) so that a burst never
/// queues up on its way and reaches the service closer together than it was sent.
///
/// Why a sliding window rather than a token bucket: a bucket of capacity N refilled at N/s
/// lets 2N calls through in one second (a full bucket, then its refill), and the service
/// counts calls per second ("Service quotas for AWS Marketplace Catalog API": StartChangeSet
/// 5 per second …). Here a grant at time t is allowed only when the c-th most recent grant
/// is at least one window (1 s plus a slack) earlier, c being the current whole rate, so any
/// one-second interval holds at most c ≤ quota grants.
///
/// Grants are recorded at the moment they are made (``tryGrant(now:)``), never booked ahead:
/// a caller that wakes late (a busy machine, a virtual clock that jumped) checks the window
/// again at its real time, so late wakers can never bunch up above the quota. Time is passed
/// in: the state never reads a clock. Cost: O(quota) memory, O(1) per grant.
public struct RateLimiterState: Sendable, Hashable {
    /// The configured rate (requests per second): the ceiling of the effective rate.
    public let quota: Double
    /// The effective rate now: the quota, lower after throttling.
    public private(set) var currentRate: Double
    /// Seconds added to each window (clock and network skew).
    public let slack: Double
    /// The lowest effective rate throttling can push it to.
    public let floorRate: Double
    /// How much the effective rate grows per second without throttling.
    public let increasePerSecond: Double
    /// Whether grants are spread evenly (one every window ÷ capacity) rather than let out in
    /// bursts: the same rate, but calls never queue up behind each other on their way, so the
    /// service sees them as evenly as they were sent.
    public let paced: Bool
    /// Throttles seen.
    public private(set) var throttles = 0
    /// Grants so far.
    public private(set) var grants = 0

    /// Grant times, ascending (only the last `capacity(quota)` matter).
    private var granted: [Date] = []
    /// No grant before this (a pause after throttling).
    private var notBefore: Date = .distantPast
    /// When the effective rate last changed (for the additive increase).
    private var lastAdjustment: Date?

    /// A limiter at `quota` requests per second. The effective rate halves on each throttle
    /// (never below `floorRate`) and grows by `increasePerSecond` (default a tenth of the
    /// quota, at least 0.5/s) for each second without one.
    public init(quota: Double, slack: Double = 0.05, paced: Bool = true, floorRate: Double? = nil,
                increasePerSecond: Double? = nil) {
        precondition(quota > 0, "a rate limit needs a positive quota")
        self.quota = quota
        self.paced = paced
        self.currentRate = quota
        self.slack = max(0, slack)
        self.floorRate = min(quota, floorRate ?? min(1, quota))
        self.increasePerSecond = increasePerSecond ?? max(0.5, quota / 10)
    }

    /// The window shape for a rate: `capacity` grants per `window` seconds. Whole requests
    /// per second for rates of 1 or more (2.5 → 2 per second), one per 1/rate seconds below.
    static func shape(rate: Double, slack: Double) -> (capacity: Int, window: Double) {
        if rate >= 1 { return (Int(rate.rounded(.down)), 1 + slack) }
        return (1, 1 / rate + slack)
    }

    /// The current shape.
    public var shape: (capacity: Int, window: Double) { Self.shape(rate: currentRate, slack: slack) }

    /// The earliest time at or after `now` a grant is allowed.
    public mutating func earliestGrant(now: Date) -> Date {
        recover(now: now)
        let (capacity, window) = shape
        var time = max(now, notBefore)
        if granted.count >= capacity {
            time = max(time, granted[granted.count - capacity].addingTimeInterval(window))
        }
        if paced, let last = granted.last {
            time = max(time, last.addingTimeInterval(window / Double(capacity)))
        }
        return time
    }

    /// Grants a call at `now` when the window allows it (returns `nil`), else returns the
    /// time to wait until before asking again.
    public mutating func tryGrant(now: Date) -> Date? {
        let earliest = earliestGrant(now: now)
        guard earliest <= now else { return earliest }
        granted.append(now)
        let keep = Self.shape(rate: quota, slack: slack).capacity
        if granted.count > keep { granted.removeFirst(granted.count - keep) }
        grants += 1
        return nil
    }

    /// Lets no grant through before `time` (at least one window after calls this state never
    /// saw, such as those of an earlier process of the same run).
    public mutating func pause(until time: Date) {
        notBefore = max(notBefore, time)
    }

    /// Reports a `ThrottlingException` at `now`: halves the effective rate and pauses new
    /// grants for one window, so the service's window clears.
    public mutating func recordThrottle(now: Date) {
        throttles += 1
        currentRate = max(floorRate, currentRate / 2)
        notBefore = max(notBefore, now.addingTimeInterval(shape.window))
        // Recovery starts when the pause ends.
        lastAdjustment = notBefore
    }

    /// Grows the effective rate back toward the quota: `increasePerSecond` for each whole
    /// second since the last change.
    mutating func recover(now: Date) {
        guard currentRate < quota else {
            lastAdjustment = nil
            return
        }
        guard let last = lastAdjustment else {
            lastAdjustment = now
            return
        }
        guard now > last else { return }
        let seconds = now.timeIntervalSince(last).rounded(.down)
        guard seconds >= 1 else { return }
        currentRate = min(quota, currentRate + seconds * increasePerSecond)
        lastAdjustment = last.addingTimeInterval(seconds)
    }
}
