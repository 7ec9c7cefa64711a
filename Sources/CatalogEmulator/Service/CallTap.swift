import CatalogModels
import Clocks
import Foundation

/// Passes every call through to a service (usually the emulator), keeping what a harness
/// needs to drive it in virtual time and to judge a run: the calls in flight (a virtual
/// clock must not move while one is), and each call's operation and clock time.
///
/// It can also stand for a failing network on StartChangeSet — refusing a request before it
/// reaches the service (``refuseStarts(_:)``), or losing the answer of one the service took
/// (``loseStartResponses``) — but it never answers on the service's behalf.
public final class CallTap: CatalogAPI, @unchecked Sendable {
    /// The service the calls go to.
    public let base: any CatalogAPI
    private let clock: any TimeSource
    private let lock = NSLock()
    private var log: [(operation: CatalogOperation, at: Date)] = []
    private var counts: [CatalogOperation: Int] = [:]
    private var active = 0
    private var refusal: (@Sendable (StartChangeSetRequest) -> CatalogError?)?
    private let lost: Set<Int>

    /// A tap on `base`, timing calls on `clock`; the StartChangeSet calls numbered (from 1) in
    /// `loseStartResponses` are processed by the service and then fail with a timeout.
    public init(_ base: any CatalogAPI, clock: any TimeSource, loseStartResponses: Set<Int> = []) {
        self.base = base
        self.clock = clock
        lost = loseStartResponses
    }

    /// Calls in progress (made, not yet answered).
    public var inFlight: Int { lock.withLock { active } }

    /// Every call so far: its operation and the clock time it was made at.
    public var calls: [(operation: CatalogOperation, at: Date)] { lock.withLock { log } }

    /// The number of calls of `operation` so far.
    public func count(_ operation: CatalogOperation) -> Int { lock.withLock { counts[operation, default: 0] } }

    /// From now on, StartChangeSet requests for which `rule` returns an error fail with it
    /// without reaching the service; `nil` lifts the rule.
    public func refuseStarts(_ rule: (@Sendable (StartChangeSetRequest) -> CatalogError?)?) { lock.withLock { refusal = rule } }

    private func enter(_ operation: CatalogOperation) -> Int {
        lock.withLock {
            active += 1
            log.append((operation, clock.now()))
            counts[operation, default: 0] += 1
            return counts[operation]!
        }
    }

    private func leave() { lock.withLock { active -= 1 } }

    /// Passes the call on (see ``refuseStarts(_:)`` and ``init(_:clock:loseStartResponses:)``).
    public func startChangeSet(_ request: StartChangeSetRequest) async throws -> StartChangeSetResponse {
        let number = enter(.startChangeSet)
        defer { leave() }
        if let error = lock.withLock({ refusal })?(request) { throw error }
        let response = try await base.startChangeSet(request)
        if lost.contains(number) {
            throw CatalogError(.timeout, message: "no response within the deadline (a lost acknowledgement)")
        }
        return response
    }

    /// Passes the call on.
    public func describeChangeSet(_ request: DescribeChangeSetRequest) async throws -> DescribeChangeSetResponse {
        _ = enter(.describeChangeSet); defer { leave() }; return try await base.describeChangeSet(request)
    }

    /// Passes the call on.
    public func listChangeSets(_ request: ListChangeSetsRequest) async throws -> ListChangeSetsResponse {
        _ = enter(.listChangeSets); defer { leave() }; return try await base.listChangeSets(request)
    }

    /// Passes the call on.
    public func cancelChangeSet(_ request: CancelChangeSetRequest) async throws -> CancelChangeSetResponse {
        _ = enter(.cancelChangeSet); defer { leave() }; return try await base.cancelChangeSet(request)
    }

    /// Passes the call on.
    public func describeEntity(_ request: DescribeEntityRequest) async throws -> DescribeEntityResponse {
        _ = enter(.describeEntity); defer { leave() }; return try await base.describeEntity(request)
    }

    /// Passes the call on.
    public func listEntities(_ request: ListEntitiesRequest) async throws -> ListEntitiesResponse {
        _ = enter(.listEntities); defer { leave() }; return try await base.listEntities(request)
    }

    /// Passes the call on.
    public func batchDescribeEntities(_ request: BatchDescribeEntitiesRequest) async throws -> BatchDescribeEntitiesResponse {
        _ = enter(.batchDescribeEntities); defer { leave() }; return try await base.batchDescribeEntities(request)
    }
}
