import CatalogClient
import CatalogModels
import Foundation
import Synchronization
import Testing

/// `RetryPolicy`: which errors are retried, the jittered backoff schedule, and
/// `withRetries` event by event with injected randomness and a recording sleeper.
@Suite("RetryPolicy")
struct RetryPolicyTests {
    /// Records events and sleeps; hands out scripted random draws.
    final class Recorder: Sendable {
        private let state: Mutex<(events: [RetryPolicy.Event], sleeps: [TimeInterval], draws: [Double])>

        init(draws: [Double]) { state = Mutex((events: [], sleeps: [], draws: draws)) }

        var events: [RetryPolicy.Event] { state.withLock { $0.events } }
        var sleeps: [TimeInterval] { state.withLock { $0.sleeps } }

        var environment: RetryPolicy.Environment {
            RetryPolicy.Environment(
                random: { self.state.withLock { $0.draws.isEmpty ? 0.5 : $0.draws.removeFirst() } },
                sleep: { seconds in self.state.withLock { $0.sleeps.append(seconds) } },
                makeToken: { "generated-token" },
                onEvent: { event in self.state.withLock { $0.events.append(event) } })
        }
    }

    /// Calls that fail with scripted errors, then succeed; remembers every request.
    final class ScriptedCalls<Request: CatalogRequest & Equatable>: Sendable {
        private let state: Mutex<(failures: [CatalogError], seen: [Request])>
        let success: Request.Response

        init(failures: [CatalogError], success: Request.Response) {
            state = Mutex((failures: failures, seen: []))
            self.success = success
        }

        var seen: [Request] { state.withLock { $0.seen } }

        func call(_ request: Request) throws -> Request.Response {
            try state.withLock { state in
                state.seen.append(request)
                if !state.failures.isEmpty { throw state.failures.removeFirst() }
                return success
            }
        }
    }

    static let throttled = CatalogError(.throttling, message: "Rate exceeded", httpStatus: 429)
    static let internalError = CatalogError(.internalService, message: "oops")
    static let badGateway = CatalogError(.unknown("HTTP 502"), message: "bad gateway", httpStatus: 502)
    static let timeout = CatalogError(.timeout, message: "no answer")
    static let reset = CatalogError(.connectionReset, message: "reset")
    static let validation = CatalogError(.validation, message: "bad")
    static let inUse = CatalogError(.resourceInUse, message: "locked")
    static let quota = CatalogError(.serviceQuotaExceeded, message: "too many")
    static let denied = CatalogError(.accessDenied, message: "no")
    static let signature = CatalogError(.invalidSignature, message: "Signature expired")

    @Test("retried: throttling, 5xx and network failures; not: validation, access, auth, back-pressure")
    func retryable() {
        let policy = RetryPolicy.standard
        for error in [Self.throttled, Self.internalError, Self.badGateway, Self.timeout, Self.reset,
                      CatalogError(.dnsFailure, message: ""), CatalogError(.connectionFailed, message: "")] {
            #expect(policy.isRetryable(error), "\(error)")
        }
        for error in [Self.validation, Self.inUse, Self.quota, Self.denied, Self.signature,
                      CatalogError(.resourceNotFound, message: ""), CatalogError(.unknown("Odd"), message: "", httpStatus: 400)] {
            #expect(!policy.isRetryable(error), "\(error)")
        }
    }

    @Test("backoff ceiling doubles from the base and stops at the cap")
    func ceiling() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 0.5, maxDelay: 5)
        #expect((1...7).map { policy.ceiling(beforeRetry: $0) } == [0.5, 1, 2, 4, 5, 5, 5])
        #expect(policy.ceiling(beforeRetry: 1000) == 5)
    }

    @Test("decide: full jitter within the ceiling, give up on the last attempt or a non-retryable error")
    func decide() {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 1, maxDelay: 10)
        #expect(policy.decide(after: Self.throttled, attempt: 1, random: 0) == .retry(after: 0))
        #expect(policy.decide(after: Self.throttled, attempt: 1, random: 0.25) == .retry(after: 0.25))
        #expect(policy.decide(after: Self.throttled, attempt: 2, random: 0.75) == .retry(after: 1.5))
        #expect(policy.decide(after: Self.throttled, attempt: 3, random: 0.5) == .giveUp(.attemptsExhausted))
        #expect(policy.decide(after: Self.validation, attempt: 1, random: 0.5) == .giveUp(.notRetryable))
        #expect(policy.decide(after: CancellationError(), attempt: 1, random: 0.5) == .giveUp(.notRetryable))
        #expect(RetryPolicy.none.decide(after: Self.throttled, attempt: 1, random: 0.5) == .giveUp(.attemptsExhausted))
    }

    @Test("withRetries: throttled, 500, timeout, then success — events and sleeps in order, one request value")
    func eventByEvent() async throws {
        let recorder = Recorder(draws: [0.5, 0.25, 1.0])
        let request = StartChangeSetRequest(changeSet: [], clientRequestToken: "tok-1")
        let calls = ScriptedCalls<StartChangeSetRequest>(failures: [Self.throttled, Self.internalError, Self.timeout],
                                                         success: StartChangeSetResponse(changeSetId: "cs-1"))
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 20)
        let response = try await policy.withRetries(request, environment: recorder.environment) { try calls.call($0) }
        #expect(response.changeSetId == "cs-1")
        #expect(recorder.events == [
            .attempt(1), .retryScheduled(attempt: 1, code: .throttling, delay: 0.25),
            .attempt(2), .retryScheduled(attempt: 2, code: .internalService, delay: 0.25),
            .attempt(3), .retryScheduled(attempt: 3, code: .timeout, delay: 2),
            .attempt(4), .succeeded(attempt: 4),
        ])
        #expect(recorder.sleeps == [0.25, 0.25, 2])
        #expect(calls.seen == Array(repeating: request, count: 4), "the same request, same ClientRequestToken, every time")
    }

    @Test("withRetries: a StartChangeSet without a token gets one before the first attempt, kept for all")
    func tokenFilledOnce() async throws {
        let recorder = Recorder(draws: [])
        let calls = ScriptedCalls<StartChangeSetRequest>(failures: [Self.reset, Self.throttled],
                                                         success: StartChangeSetResponse(changeSetId: "cs-2"))
        _ = try await RetryPolicy.standard.withRetries(StartChangeSetRequest(changeSet: []), environment: recorder.environment) {
            try calls.call($0)
        }
        #expect(calls.seen.map(\.clientRequestToken) == ["generated-token", "generated-token", "generated-token"])
    }

    @Test("withRetries: a non-retryable error stops at once and is rethrown")
    func stopsOnValidation() async throws {
        let recorder = Recorder(draws: [])
        let calls = ScriptedCalls<DescribeChangeSetRequest>(failures: [Self.throttled, Self.validation],
                                                            success: DescribeChangeSetResponse())
        let error = try await #require(throws: CatalogError.self) {
            _ = try await RetryPolicy.standard.withRetries(DescribeChangeSetRequest(changeSetId: "cs-1"),
                                                           environment: recorder.environment) { try calls.call($0) }
        }
        #expect(error.code == .validation)
        #expect(recorder.events == [
            .attempt(1), .retryScheduled(attempt: 1, code: .throttling, delay: 0.25),
            .attempt(2), .gaveUp(attempt: 2, reason: .notRetryable),
        ])
    }

    @Test("withRetries: back-pressure (423) is not retried here")
    func backPressureNotRetried() async throws {
        let recorder = Recorder(draws: [])
        let calls = ScriptedCalls<StartChangeSetRequest>(failures: [Self.inUse], success: StartChangeSetResponse())
        await #expect(throws: CatalogError.self) {
            _ = try await RetryPolicy.standard.withRetries(StartChangeSetRequest(changeSet: [], clientRequestToken: "t"),
                                                           environment: recorder.environment) { try calls.call($0) }
        }
        #expect(recorder.events == [.attempt(1), .gaveUp(attempt: 1, reason: .notRetryable)])
    }

    @Test("withRetries: attempts exhausted — the last error is rethrown after maxAttempts calls")
    func exhausted() async throws {
        let recorder = Recorder(draws: [1, 1, 1])
        let calls = ScriptedCalls<ListEntitiesRequest>(failures: Array(repeating: Self.throttled, count: 5),
                                                       success: ListEntitiesResponse())
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 1, maxDelay: 1.5)
        let error = try await #require(throws: CatalogError.self) {
            _ = try await policy.withRetries(ListEntitiesRequest(entityType: "Offer"), environment: recorder.environment) {
                try calls.call($0)
            }
        }
        #expect(error.code == .throttling)
        #expect(calls.seen.count == 3)
        #expect(recorder.sleeps == [1, 1.5])
        #expect(recorder.events.last == .gaveUp(attempt: 3, reason: .attemptsExhausted))
    }

    @Test("withRetries drives the real client: same signed body each attempt, then success")
    func withClient() async throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(429, #"{"Message":"Rate exceeded"}"#, headers: [(name: "x-amzn-ErrorType", value: "ThrottlingException")]),
            ScriptedTransport.json(503, "{}"),
            ScriptedTransport.json(200, #"{"ChangeSetId":"cs-9"}"#),
        ])
        let client = try RestJSONFixture.client(transport)
        let recorder = Recorder(draws: [0, 0])
        let request = StartChangeSetRequest(changeSet: [CatalogHTTPClientTests.change])
        let response = try await RetryPolicy.standard.withRetries(request, environment: recorder.environment) {
            try await client.startChangeSet($0)
        }
        #expect(response.changeSetId == "cs-9")
        let bodies = await transport.requests.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies.count == 3 && Set(bodies).count == 1)
        #expect(bodies.first?.contains(#""ClientRequestToken":"generated-token""#) == true)
    }
}
