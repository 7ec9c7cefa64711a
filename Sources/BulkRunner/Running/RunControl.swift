import Foundation

/// The caller's hand on a running ``BulkRun``: the CLI calls ``requestStop()`` on the first
/// Ctrl-C (send nothing new, follow open sets to a final status, return a report) and
/// ``requestAbort()`` on the second (return at once). Either way the journal is intact and
/// running the same command again resumes. Thread-safe; call from a signal handler's task.
public final class RunControl: Sendable {
    private struct State {
        var stop = false
        var abort = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = LockedValue(State())

    /// A control with nothing requested.
    public init() {}

    /// Stops sending new change sets; open ones are still followed to a final status.
    public func requestStop() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.stop = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Stops at once: calls in flight are cancelled, open sets are left open.
    public func requestAbort() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.stop = true
            state.abort = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Whether a stop was requested.
    public var isStopRequested: Bool { state.withLock { $0.stop } }

    /// Whether an abort was requested.
    public var isAbortRequested: Bool { state.withLock { $0.abort } }

    /// Returns when the next request arrives (at once if `seen` is behind the current one),
    /// or when the waiting task is cancelled.
    func waitForRequest(seen: (stop: Bool, abort: Bool)) async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.stop != seen.stop || state.abort != seen.abort || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
