import CatalogModels
import Foundation

/// Carrying out a `RetryPolicy`: the same request is sent again after each retryable
/// failure, so a retried StartChangeSet keeps its `ClientRequestToken` and the service
/// can recognise it as the same call.
extension RetryPolicy {
    /// What happened, in order: for logs and for tests.
    public enum Event: Sendable, Equatable {
        /// Attempt number `n` (1-based) is about to be sent.
        case attempt(Int)
        /// Attempt `attempt` failed with `code`; the next one follows after `delay` seconds.
        case retryScheduled(attempt: Int, code: CatalogError.Code, delay: TimeInterval)
        /// Attempt `attempt` succeeded.
        case succeeded(attempt: Int)
        /// Attempt `attempt` failed and the policy stopped, for `reason`.
        case gaveUp(attempt: Int, reason: Reason)
    }

    /// What `withRetries` needs from the world, injected so tests run instantly and deterministically.
    public struct Environment: Sendable {
        /// A uniform draw from [0, 1) for the jitter.
        public var random: @Sendable () -> Double
        /// Waits this many seconds (throws on cancellation).
        public var sleep: @Sendable (TimeInterval) async throws -> Void
        /// A fresh `ClientRequestToken` for a StartChangeSet request that has none.
        public var makeToken: @Sendable () -> String
        /// Told every event.
        public var onEvent: @Sendable (Event) -> Void

        /// Creates an environment; the defaults are the system's random numbers, `Task.sleep`,
        /// random UUIDs, and no event log.
        public init(random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                    sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { seconds in
                        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
                    },
                    makeToken: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
                    onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
            self.random = random
            self.sleep = sleep
            self.makeToken = makeToken
            self.onEvent = onEvent
        }
    }

    /// Sends `request` with `call`, again after each retryable failure, at most
    /// `maxAttempts` times; returns the first success or throws the last error.
    ///
    /// Every attempt gets the very same request value. A `StartChangeSetRequest` without
    /// a `ClientRequestToken` is given one (`environment.makeToken`) before the first
    /// attempt, so all attempts carry the same token — as the AWS SDKs do.
    public func withRetries<Request: CatalogRequest>(
        _ request: Request,
        environment: Environment = Environment(),
        _ call: (Request) async throws -> Request.Response
    ) async throws -> Request.Response {
        var request = request
        if let start = request as? StartChangeSetRequest, start.clientRequestToken == nil {
            var withToken = start
            withToken.clientRequestToken = environment.makeToken()
            if let filled = withToken as? Request { request = filled }
        }
        var attempt = 1
        while true {
            environment.onEvent(.attempt(attempt))
            do {
                let response = try await call(request)
                environment.onEvent(.succeeded(attempt: attempt))
                return response
            } catch {
                switch decide(after: error, attempt: attempt, random: environment.random()) {
                case .giveUp(let reason):
                    environment.onEvent(.gaveUp(attempt: attempt, reason: reason))
                    throw error
                case .retry(let delay):
                    let code = (error as? CatalogError)?.code ?? .unknown("\(type(of: error))")
                    environment.onEvent(.retryScheduled(attempt: attempt, code: code, delay: delay))
                    try await environment.sleep(delay)
                    attempt += 1
                }
            }
        }
    }
}
