import Foundation

/// Call times within the last second, for one operation: the sliding window a quota is
/// enforced on and the peak that statistics report.
///
/// The window at time `t` is `(t − 1 s, t]`: a client that sends at most N requests in any
/// one-second interval (e.g. one every 1/N s) is never throttled; the N+1st request within
/// one second always is. Cost: O(calls in the last second) memory; amortised O(1) per call.
struct SlidingWindow: Sendable {
    private var times: [Double] = []
    private var head = 0
    /// The largest number of calls ever seen within one window.
    private(set) var peak = 0

    /// A tolerance of one microsecond: times are seconds since 1970 in a `Double`, whose
    /// resolution there is about 0.2 µs, so 20 steps of 0.05 s do not add up to 1 s exactly.
    static let epsilon = 1e-6

    /// Calls within `(now − 1 s, now]`, after forgetting older ones.
    mutating func count(at now: Double) -> Int {
        while head < times.count, times[head] <= now - 1 + Self.epsilon { head += 1 }
        if head > 64, head * 2 > times.count {
            times.removeFirst(head)
            head = 0
        }
        return times.count - head
    }

    /// Records a call at `now` and updates the peak.
    mutating func record(at now: Double) {
        let current = count(at: now) + 1
        times.append(now)
        peak = max(peak, current)
    }
}

/// The counters of one operation.
struct OperationCounters: Sendable {
    var attempted = SlidingWindow()
    var accepted = SlidingWindow()
    var calls = 0
    var throttled = 0
    var burstThrottled = 0
    var internalErrors = 0
    var succeeded = 0
    var failed = 0
    /// Calls per whole second of the clock (the last 600 seconds seen), for the busiest second.
    var perSecond: [Int64: Int] = [:]
    var peakPerCalendarSecond = 0
    /// When the current throttling burst (a fault) ends.
    var burstUntil: Double = -.infinity

    mutating func countCalendarSecond(_ now: Double) {
        let second = Int64(now.rounded(.down))
        let count = (perSecond[second] ?? 0) + 1
        perSecond[second] = count
        peakPerCalendarSecond = max(peakPerCalendarSecond, count)
        if perSecond.count > 600, let oldest = perSecond.keys.min() { perSecond[oldest] = nil }
    }
}
