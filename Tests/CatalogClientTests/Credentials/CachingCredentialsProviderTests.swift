@testable import CatalogClient
import Foundation
import Testing

/// A provider that counts calls, hands out numbered credentials expiring `lifetime` after the clock, and can be held.
actor CountingProvider: CredentialsProvider {
    private(set) var calls = 0
    let clock: TestClock
    let lifetime: TimeInterval?
    var failNext = false
    private var gate: CheckedContinuation<Void, Never>?
    private var holding = false

    init(clock: TestClock, lifetime: TimeInterval?) {
        self.clock = clock
        self.lifetime = lifetime
    }

    func hold() { holding = true }
    func release() {
        holding = false
        gate?.resume()
        gate = nil
    }
    func setFailNext(_ value: Bool) { failNext = value }

    func credentials() async throws -> AWSCredentials {
        calls += 1
        let number = calls
        if holding { await withCheckedContinuation { gate = $0 } }
        if failNext {
            failNext = false
            throw CatalogClientError.metadataFailed("test", "refresh failed")
        }
        return AWSCredentials(
            accessKeyId: "ASIA\(number)", secretAccessKey: "s", sessionToken: "t",
            expiration: lifetime.map { clock.now + $0 })
    }
}

@Suite("Caching and refresh")
struct CachingCredentialsProviderTests {
    @Test func longTermCredentialsAreFetchedOnce() async throws {
        let clock = TestClock()
        let base = CountingProvider(clock: clock, lifetime: nil)
        let cache = CachingCredentialsProvider(wrapping: base, now: clock.function)
        for _ in 0..<5 { _ = try await cache.credentials() }
        clock.advance(86_400 * 365)
        #expect(try await cache.credentials().accessKeyId == "ASIA1")
        #expect(await base.calls == 1)
    }

    @Test func temporaryCredentialsRefreshFiveMinutesBeforeExpiry() async throws {
        let clock = TestClock()
        let base = CountingProvider(clock: clock, lifetime: 3600)
        let cache = CachingCredentialsProvider(wrapping: base, now: clock.function)
        #expect(try await cache.credentials().accessKeyId == "ASIA1")
        clock.advance(3600 - 301)  // 5 min 1 s left: still fresh
        #expect(try await cache.credentials().accessKeyId == "ASIA1")
        clock.advance(2)  // 4 min 59 s left: refresh
        #expect(try await cache.credentials().accessKeyId == "ASIA2")
        #expect(try await cache.credentials().accessKeyId == "ASIA2")
        #expect(await base.calls == 2)
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        let clock = TestClock()
        let base = CountingProvider(clock: clock, lifetime: 3600)
        await base.hold()
        let cache = CachingCredentialsProvider(wrapping: base, now: clock.function)
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<25 { group.addTask { try await cache.credentials().accessKeyId } }
            while await base.calls == 0 { await Task.yield() }
            try await Task.sleep(for: .milliseconds(50))  // let the other callers queue up behind the refresh
            await base.release()
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(keys.count == 25)
        #expect(Set(keys) == ["ASIA1"])
        #expect(await base.calls == 1)
    }

    @Test func failedRefreshKeepsStillValidCredentialsThenFails() async throws {
        let clock = TestClock()
        let base = CountingProvider(clock: clock, lifetime: 3600)
        let cache = CachingCredentialsProvider(wrapping: base, now: clock.function)
        _ = try await cache.credentials()
        clock.advance(3600 - 60)
        await base.setFailNext(true)
        #expect(try await cache.credentials().accessKeyId == "ASIA1", "one minute left: keep using them")
        clock.advance(120)
        await base.setFailNext(true)
        await #expect(throws: CatalogClientError.self) { try await cache.credentials() }
        #expect(try await cache.credentials().accessKeyId == "ASIA4", "the next call tries again")
    }

    @Test func resolvedConfigurationRefreshesAssumedRoles() async throws {
        let clock = TestClock()
        try await withHome(config: "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n") { home async throws in
            let sts = FakeTransport { request in
                assumeRoleResponse(accessKeyId: "ASIA", expiration: "2024-05-01T13:00:00Z")
            }
            let resolved = try AWSConfiguration.resolve(
                .init(profile: "default"),
                in: testEnvironment(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"], home: home, transport: sts, clock: clock))
            _ = try await resolved.credentialsProvider.credentials()
            _ = try await resolved.credentialsProvider.credentials()
            #expect(sts.requests.count == 1)
            clock.advance(3600 - 200)
            _ = try await resolved.credentialsProvider.credentials()
            #expect(sts.requests.count == 2)
        }
    }

    @Test func invalidateForcesAFetch() async throws {
        let clock = TestClock()
        let base = CountingProvider(clock: clock, lifetime: nil)
        let cache = CachingCredentialsProvider(wrapping: base, now: clock.function)
        _ = try await cache.credentials()
        await cache.invalidate()
        #expect(try await cache.credentials().accessKeyId == "ASIA2")
    }
}
