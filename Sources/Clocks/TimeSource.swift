import Foundation

/// The current time and a way to wait: the one clock every time-dependent part takes.
///
/// Production code uses `SystemTimeSource`; tests use `VirtualTimeSource`, so rate limits,
/// backoff, polling and the emulator's change-set lifecycle run instantly and deterministically.
public protocol TimeSource: Sendable {
    /// The current wall-clock time.
    func now() -> Date
    /// Suspends until `deadline` (returns at once if it has passed). Throws `CancellationError` when cancelled.
    func sleep(until deadline: Date) async throws
}

extension TimeSource {
    /// Suspends for `seconds` (nothing for zero or less).
    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else {
            try Task.checkCancellation()
            return
        }
        try await sleep(until: now().addingTimeInterval(seconds))
    }
}

/// The real clock: `Date()` and `Task.sleep`.
public struct SystemTimeSource: TimeSource {
    /// Creates the system clock.
    public init() {}

    /// `Date()`.
    public func now() -> Date { Date() }

    /// Sleeps with `Task.sleep` until `deadline`.
    public func sleep(until deadline: Date) async throws {
        let interval = deadline.timeIntervalSinceNow
        if interval <= 0 {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
    }
}
