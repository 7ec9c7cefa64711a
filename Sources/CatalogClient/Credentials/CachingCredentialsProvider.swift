import Foundation

/// Keeps the credentials of another provider and refreshes them before they expire.
///
/// Credentials without an expiration are kept for good. Temporary ones are fetched
/// again once the clock is within `refreshWindow` of their expiration (five minutes
/// by default, as the AWS SDKs do). Refreshing is single-flight: callers that arrive
/// while a refresh runs wait for that one instead of starting their own. When a
/// refresh fails while the old credentials have not yet expired, they are still
/// returned; once expired, the failure is thrown. The clock is injected.
public actor CachingCredentialsProvider: CredentialsProvider {
    /// The provider that actually fetches credentials.
    public nonisolated let base: any CredentialsProvider
    /// How long before expiration a refresh starts, in seconds.
    public nonisolated let refreshWindow: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?
    private var generation = 0

    /// Creates a cache over `base`.
    public init(wrapping base: any CredentialsProvider, refreshWindow: TimeInterval = 300,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.base = base
        self.refreshWindow = refreshWindow
        self.now = now
    }

    /// Cached credentials, or fresh ones when they are missing or about to expire.
    public func credentials() async throws -> AWSCredentials {
        let current = now()
        if let cached, !needsRefresh(cached, at: current) { return cached }
        let task: Task<AWSCredentials, any Error>
        let myGeneration: Int
        if let inFlight {
            task = inFlight
            myGeneration = generation
        } else {
            let base = self.base
            task = Task { try await base.credentials() }
            inFlight = task
            generation += 1
            myGeneration = generation
        }
        do {
            let fresh = try await task.value
            if generation == myGeneration {
                cached = fresh
                inFlight = nil
            }
            return fresh
        } catch {
            if generation == myGeneration { inFlight = nil }
            if let cached, let expiration = cached.expiration, expiration > now() { return cached }
            throw error
        }
    }

    /// Forgets the cached credentials: the next call fetches new ones.
    public func invalidate() {
        cached = nil
    }

    private func needsRefresh(_ credentials: AWSCredentials, at date: Date) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(date) <= refreshWindow
    }
}
