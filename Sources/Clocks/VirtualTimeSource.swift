import Foundation

/// A clock for tests: time moves only when the test (or `runUntil`) advances it.
///
/// Sleepers are woken in deadline order, ties in the order they went to sleep, so a
/// run is the same every time. `advance(by:)` moves time and wakes every sleeper
/// whose deadline has come; `advanceToNextDeadline()` jumps straight to the earliest
/// sleeper, which lets a driver run hours of polling in milliseconds.
///
/// Cost: one lock; sleepers kept in an array sorted on insertion (fine for the
/// hundreds of concurrent sleepers tests use).
public final class VirtualTimeSource: TimeSource, @unchecked Sendable {
    private struct Sleeper {
        let id: UInt64
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    private var current: Date
    private var sleepers: [Sleeper] = []
    private var nextID: UInt64 = 0
    private var cancelled: Set<UInt64> = []

    /// A clock standing at `start` (by default 2030-01-01T00:00:00Z).
    public init(start: Date = Date(timeIntervalSince1970: 1_893_456_000)) {
        current = start
    }

    /// The virtual time.
    public func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// The number of tasks sleeping now.
    public var sleeperCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return sleepers.count
    }

    /// The earliest deadline among sleepers, if any.
    public var nextDeadline: Date? {
        lock.lock()
        defer { lock.unlock() }
        return sleepers.first?.deadline
    }

    /// Suspends until virtual time reaches `deadline`.
    public func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        let id: UInt64 = lock.withLock {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                if cancelled.remove(id) != nil {
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                    return
                }
                if deadline <= current {
                    lock.unlock()
                    continuation.resume()
                    return
                }
                let sleeper = Sleeper(id: id, deadline: deadline, continuation: continuation)
                let index = sleepers.firstIndex { $0.deadline > deadline } ?? sleepers.endIndex
                sleepers.insert(sleeper, at: index)
                lock.unlock()
            }
        } onCancel: {
            lock.lock()
            if let index = sleepers.firstIndex(where: { $0.id == id }) {
                let sleeper = sleepers.remove(at: index)
                lock.unlock()
                sleeper.continuation.resume(throwing: CancellationError())
            } else {
                cancelled.insert(id)
                lock.unlock()
            }
        }
    }

    /// Moves time forward by `seconds`, waking every sleeper whose deadline has come.
    public func advance(by seconds: Double) {
        advance(to: now().addingTimeInterval(seconds))
    }

    /// Moves time forward to `date` (never backward), waking sleepers in deadline order.
    public func advance(to date: Date) {
        let due: [Sleeper] = lock.withLock {
            if date > current { current = date }
            let count = sleepers.prefix { $0.deadline <= current }.count
            let due = Array(sleepers.prefix(count))
            sleepers.removeFirst(count)
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Jumps to the earliest sleeper's deadline and wakes it (and any others due then).
    /// Returns false when nobody sleeps.
    @discardableResult
    public func advanceToNextDeadline() -> Bool {
        guard let deadline = nextDeadline else { return false }
        advance(to: deadline)
        return true
    }

    /// Drives `operation` to completion in virtual time: whenever every task is waiting on
    /// this clock, jumps to the next deadline.
    ///
    /// "Every task is waiting" is detected by letting the executor drain (`Task.yield`
    /// rounds) until the set of sleepers stops changing and `idle()` holds, then confirming
    /// it after a short real pause (a task woken on the other core gets to run in it), so
    /// time never moves while woken work has yet to run. Pass an `idle` that says whether
    /// calls are still in flight (e.g. a counter around an in-process service), or the
    /// default when there are none. Operations must wait only on this clock or on work
    /// that completes without real time (in-process services), never on real I/O.
    public func run<T: Sendable>(
        idle: @escaping @Sendable () -> Bool = { true },
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let task = Task { try await operation() }
        let finished = Flag()
        let watcher = Task {
            _ = try? await task.value
            finished.set()
        }
        defer { watcher.cancel() }
        while !finished.isSet {
            var stable = 0
            var last = -1
            var confirmed = false
            while !confirmed && !finished.isSet {
                while stable < 64 && !finished.isSet {
                    await Task.yield()
                    let count = sleeperCount
                    if count == last && idle() { stable += 1 } else { stable = 0; last = count }
                }
                try await Task.sleep(nanoseconds: 50_000)
                confirmed = sleeperCount == last && idle()
                if !confirmed { stable = 0 }
            }
            if finished.isSet { break }
            if !advanceToNextDeadline() {
                // Nothing sleeps yet the operation is not done: it waits on something else; give it real time.
                try await Task.sleep(nanoseconds: 200_000)
            }
        }
        return try await task.value
    }
}

/// A thread-safe one-way switch.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
