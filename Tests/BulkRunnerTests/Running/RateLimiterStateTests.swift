@testable import BulkRunner
import Clocks
import Foundation
import Testing

@Suite("RateLimiterState: a sliding window with AIMD, event by event")
struct RateLimiterStateTests {
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    /// Grants every call as soon as the window allows, like a caller that asks again when told.
    func drain(_ state: inout RateLimiterState, calls: Int, from start: Date) -> [Date] {
        var now = start
        var times: [Date] = []
        while times.count < calls {
            if let wait = state.tryGrant(now: now) { now = wait } else { times.append(now) }
        }
        return times
    }

    @Test func grantsAtMostTheQuotaInAnyWindow() {
        var state = RateLimiterState(quota: 5, slack: 0, paced: false)
        let slots = drain(&state, calls: 12, from: t0)
        // Five at once, then five a second later, then two more.
        #expect(slots.prefix(5).allSatisfy { $0 == t0 })
        #expect(slots[5..<10].allSatisfy { $0 == t0.addingTimeInterval(1) })
        #expect(slots[10] == t0.addingTimeInterval(2))
        for slot in slots {
            let inWindow = slots.filter { $0 > slot.addingTimeInterval(-1) && $0 <= slot }.count
            #expect(inWindow <= 5)
        }
    }

    @Test func aLateCallerIsCheckedAtItsRealTime() {
        var state = RateLimiterState(quota: 2, slack: 0, paced: false)
        #expect(state.tryGrant(now: t0) == nil)
        #expect(state.tryGrant(now: t0.addingTimeInterval(0.5)) == nil)
        // Told to come back at t0+1; it wakes late at t0+1.2: still granted, and the window
        // moves with the real grant times.
        #expect(state.tryGrant(now: t0.addingTimeInterval(0.6)) == t0.addingTimeInterval(1))
        #expect(state.tryGrant(now: t0.addingTimeInterval(1.2)) == nil)
        #expect(state.tryGrant(now: t0.addingTimeInterval(1.2)) == t0.addingTimeInterval(1.5))
    }

    @Test func slackWidensTheWindow() {
        var state = RateLimiterState(quota: 2, slack: 0.001, paced: false)
        #expect(state.tryGrant(now: t0) == nil)
        #expect(state.tryGrant(now: t0) == nil)
        #expect(state.tryGrant(now: t0) == t0.addingTimeInterval(1.001))
    }

    @Test func aThrottleHalvesTheRateAndPausesOneWindow() {
        var state = RateLimiterState(quota: 10, slack: 0, paced: false)
        state.recordThrottle(now: t0)
        #expect(state.currentRate == 5)
        #expect(state.throttles == 1)
        // Paused for one window, then 5 per second.
        let slots = drain(&state, calls: 6, from: t0)
        #expect(slots.prefix(5).allSatisfy { $0 == t0.addingTimeInterval(1) })
        #expect(slots[5] == t0.addingTimeInterval(2))
    }

    @Test func theRateRecoversAdditivelyUpToTheQuota() {
        var state = RateLimiterState(quota: 10, slack: 0)
        state.recordThrottle(now: t0)
        state.recordThrottle(now: t0)
        #expect(state.currentRate == 2.5)
        // The pause ends at t0+1; then +1 per second.
        _ = state.earliestGrant(now: t0.addingTimeInterval(1.5))
        #expect(state.currentRate == 2.5)
        _ = state.earliestGrant(now: t0.addingTimeInterval(3))
        #expect(state.currentRate == 4.5)
        _ = state.earliestGrant(now: t0.addingTimeInterval(60))
        #expect(state.currentRate == 10)
    }

    @Test func pacedGrantsAreEvenlySpread() {
        var state = RateLimiterState(quota: 5, slack: 0.05)
        let slots = drain(&state, calls: 11, from: t0)
        for (i, slot) in slots.enumerated() {
            #expect(abs(slot.timeIntervalSince(t0) - Double(i) * 0.21) < 1e-6)
        }
    }

    @Test func neverBelowTheFloor() {
        var state = RateLimiterState(quota: 5, slack: 0)
        for _ in 0..<10 { state.recordThrottle(now: t0) }
        #expect(state.currentRate == 1)
    }

    @Test func slowRatesSpaceSingleGrants() {
        var state = RateLimiterState(quota: 0.5, slack: 0)
        #expect(state.tryGrant(now: t0) == nil)
        #expect(state.tryGrant(now: t0) == t0.addingTimeInterval(2))
    }
}

@Suite("CallRetry: backoff with full jitter, event by event")
struct CallRetryTests {
    let error500 = CatalogErrorFactory.internalError
    @Test func ceilingsDoubleUpToTheCap() {
        #expect(CallRetry.ceiling(retry: 1, base: 0.5, cap: 20) == 0.5)
        #expect(CallRetry.ceiling(retry: 2, base: 0.5, cap: 20) == 1)
        #expect(CallRetry.ceiling(retry: 5, base: 0.5, cap: 20) == 8)
        #expect(CallRetry.ceiling(retry: 7, base: 0.5, cap: 20) == 20)
        #expect(CallRetry.ceiling(retry: 70, base: 0.5, cap: 20) == 20)
    }

    @Test func seededJitterIsRepeatableAndWithinTheCeiling() {
        var a = SplitMix64.stream(seed: 42, label: "token-1 0")
        var b = SplitMix64.stream(seed: 42, label: "token-1 0")
        var c = SplitMix64.stream(seed: 42, label: "token-2 0")
        let first = (1...6).map { CallRetry.delay(retry: $0, base: 0.5, cap: 20, using: &a) }
        let again = (1...6).map { CallRetry.delay(retry: $0, base: 0.5, cap: 20, using: &b) }
        let other = (1...6).map { CallRetry.delay(retry: $0, base: 0.5, cap: 20, using: &c) }
        #expect(first == again)
        #expect(first != other)
        for (n, delay) in first.enumerated() {
            #expect(delay >= 0 && delay <= CallRetry.ceiling(retry: n + 1, base: 0.5, cap: 20))
        }
    }

    @Test func transientFailuresRetryUntilTheAttemptsAreUsed() {
        var retry = CallRetry(maxAttempts: 3, maxThrottledAttempts: 10, base: 1, cap: 10)
        var generator = SplitMix64(seed: 1)
        guard case .retry(let d1) = retry.decide(after: CatalogErrorFactory.internalError, using: &generator) else {
            Issue.record("first failure should retry"); return
        }
        #expect(d1 <= 1)
        guard case .retry(let d2) = retry.decide(after: CatalogErrorFactory.timeout, using: &generator) else {
            Issue.record("second failure should retry"); return
        }
        #expect(d2 <= 2)
        #expect(retry.decide(after: CatalogErrorFactory.internalError, using: &generator) == .giveUp)
    }

    @Test func throttlesCountSeparately() {
        var retry = CallRetry(maxAttempts: 2, maxThrottledAttempts: 3, base: 1, cap: 10)
        var generator = SplitMix64(seed: 1)
        for _ in 0..<2 {
            guard case .retry = retry.decide(after: CatalogErrorFactory.throttling, using: &generator) else {
                Issue.record("throttles retry"); return
            }
        }
        guard case .retry = retry.decide(after: CatalogErrorFactory.internalError, using: &generator) else {
            Issue.record("a transient failure still has its own attempts"); return
        }
        #expect(retry.decide(after: CatalogErrorFactory.throttling, using: &generator) == .giveUp)
    }

    @Test func backPressureAndRefusalsSurface() {
        var retry = CallRetry(maxAttempts: 5, maxThrottledAttempts: 5, base: 1, cap: 10)
        var generator = SplitMix64(seed: 1)
        #expect(retry.decide(after: CatalogErrorFactory.quota, using: &generator) == .surface)
        #expect(retry.decide(after: CatalogErrorFactory.locked, using: &generator) == .surface)
        #expect(retry.decide(after: CatalogErrorFactory.validation, using: &generator) == .surface)
        #expect(retry.decide(after: CatalogErrorFactory.expired, using: &generator) == .surface)
    }
}

import CatalogModels

enum CatalogErrorFactory {
    static let internalError = CatalogError(.internalService, message: "boom")
    static let timeout = CatalogError(.timeout, message: "no answer")
    static let throttling = CatalogError(.throttling, message: "Rate exceeded")
    static let quota = CatalogError(.serviceQuotaExceeded, message: "too many open")
    static let locked = CatalogError(.resourceInUse, message: "locked")
    static let validation = CatalogError(.validation, message: "bad")
    static let expired = CatalogError(.expiredToken, message: "expired")
}
