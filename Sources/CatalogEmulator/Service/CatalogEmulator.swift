import CatalogModels
import Clocks
import Foundation

/// The AWS Marketplace Catalog API in process: one seller account's products, resale
/// authorizations, offers and change sets, with the service's rules — per-operation request
/// quotas, 250 open change sets, 20 offers in progress, entity locks, synchronous validation,
/// idempotent ClientRequestTokens, the asynchronous PREPARING → APPLYING → SUCCEEDED | FAILED
/// lifecycle with per-change errors, and seeded fault injection.
///
/// Time comes only from the injected ``TimeSource``: with a `VirtualTimeSource`, advance the
/// clock to move change sets through their lifecycle (a set started at `t` is PREPARING until
/// `t + prepare`, APPLYING until `t + prepare + apply`, then final; statuses are computed when
/// the next call arrives). Randomness comes only from ``EmulatorConfiguration/seed``.
///
/// Every method throws ``CatalogError`` (with a request id) and nothing else. The loopback
/// HTTP front (``EmulatorServer``) serves this same actor.
///
/// ## Where the real service is silent, the emulator does this
/// - **Resellers**: every 12-digit account id is a registered reseller unless it starts with
///   `9` (``ResellerDirectory``); the seller's own account never is. An invalid one fails the
///   set with `INVALID_RESELLER_ACCOUNT`.
/// - **Reused ClientRequestToken** with a different request (any member but the token differs):
///   `ValidationException` naming the original change set. Tokens are remembered for the life
///   of the emulator, as is change-set history.
/// - **Ids**: change sets 25 lower-case letters and digits; entities `resaleauthz-`, `offer-`,
///   `prod-` + 13; agreements `agmt-` + 25. Entities carry a revision that starts at 1 and grows
///   by one per successful change set that changes them: DescribeEntity's EntityIdentifier and a
///   SUCCEEDED set's `Entity.Identifier` read `id@revision`; ListChangeSets' EntityIdList and
///   ListEntities give bare ids; every input accepts either. New ids appear only on success.
/// - **Timing**: PREPARING 2 s, APPLYING 3 s, ±25 % seeded jitter (``LifecycleTiming``).
///   Synchronous checks fail StartChangeSet (422/404/403, no set created); asynchronous checks
///   run at the end of PREPARING (FAILED then, nothing applied) and again when applying.
/// - **Ordering inside a set**: creates, then updates, then releases/restrictions; within each,
///   products, then authorizations, then offers; then request order.
/// - **Cancel**: PREPARING → CANCELLED; APPLYING → `ResourceInUseException`; SUCCEEDED/FAILED →
///   `ValidationException`; an already CANCELLED set answers as the first cancel did.
/// - **Limits**: the 20-offers-in-progress limit answers `ServiceQuotaExceededException` (402),
///   like the 250 open sets; BatchDescribeEntities allows 10 requests per second.
/// - **Asynchronous error codes** besides the documented `INVALID_RESELLER_ACCOUNT`,
///   `INCOMPATIBLE_STATUS`, `MISSING_MANDATORY_TERMS`, `INVALID_AVAILABILITY_END_DATE`:
///   `OFFERS_MAX_QUANTITY_REACHED` (one-time authorization used up), `INVALID_OFFERS_MAX_QUANTITY`,
///   `DUPLICATE_DIMENSION_KEY`, `INCOMPATIBLE_OFFER_TYPE`, `INVALID_RESALE_AUTHORIZATION`, and
///   `INVALID_DIMENSION_KEY`: a `DimensionKey` in the pricing terms of an authorization or an
///   offer (rate cards, grants), or a `Key` of UpdateDimensions, that is not a dimension of the
///   product at that point of the set (an AddDimensions earlier in the set counts; an
///   authorization for all products is not checked). The service checks dimension keys, but
///   publishes neither the code nor the message for it.
/// - **OfferExtendedStatus**: `NoOffersCreated`, `OffersCreated`, `MaxOffersCreated`.
/// - **Listing**: default sort LastModifiedDate (ListEntities) / StartTime (ListChangeSets),
///   ascending; default page 20; NextToken continues strictly after the last item returned
///   and only for the same filters and sort (``PageCursor``). Wildcard filters match
///   case-insensitive substrings; date ranges are inclusive; ListChangeSets' Before/After
///   filters are strict.
/// - **Not modelled**: dimension types (Metered/Entitled) against the pricing term that uses
///   them; OfferSet, Solution and DataProduct change sets are refused with a message
///   saying so (they list as empty); SHARED ownership lists nothing.
public actor CatalogEmulator: CatalogAPI {
    /// The configuration the emulator started with (faults may change later, see ``setFaults(_:)``).
    public nonisolated let configuration: EmulatorConfiguration
    let clock: any TimeSource
    var faults: FaultPlan
    var store: EntityStore
    var changeSets: [String: ChangeSetRecord] = [:]
    /// Open (PREPARING or APPLYING) change set ids, in start order.
    var openChangeSetIds: [String] = []
    var changeSetSequence = 0
    /// ClientRequestToken → (request fingerprint, change set id).
    var tokens: [String: (fingerprint: String, changeSetId: String)] = [:]
    var counters: [CatalogOperation: OperationCounters] = [:]
    var serverFaultCount = 0
    var connectionResetCount = 0
    var lostAcknowledgementCount = 0
    var blackHoleCount = 0
    var authenticationFailureCount = 0

    // Independent seeded streams, so one purpose never shifts another.
    var entityIds: SplitMix64
    var changeSetIds: SplitMix64
    var lifecycleJitter: SplitMix64
    var serverFaultDraws: SplitMix64
    var internalErrorDraws: SplitMix64
    var burstDraws: SplitMix64
    var latencyDraws: SplitMix64
    var transportDraws: SplitMix64
    var requestIds: SplitMix64

    /// An emulator for `configuration`, seeded at the clock's current time.
    public init(configuration: EmulatorConfiguration = EmulatorConfiguration(), clock: any TimeSource) {
        self.configuration = configuration
        self.clock = clock
        self.faults = configuration.faults
        let seed = configuration.seed
        store = EntityStore.seeded(configuration, now: clock.now())
        entityIds = .stream(seed: seed, label: "entity-ids")
        changeSetIds = .stream(seed: seed, label: "change-set-ids")
        lifecycleJitter = .stream(seed: seed, label: "lifecycle")
        serverFaultDraws = .stream(seed: seed, label: "server-fault")
        internalErrorDraws = .stream(seed: seed, label: "internal-error")
        burstDraws = .stream(seed: seed, label: "throttle-burst")
        latencyDraws = .stream(seed: seed, label: "latency")
        transportDraws = .stream(seed: seed, label: "transport")
        requestIds = .stream(seed: seed, label: "request-ids")
    }

    /// Replaces the injected faults from now on (e.g. a test turns lost acknowledgements on
    /// for one call, then off again).
    public func setFaults(_ plan: FaultPlan) {
        faults = plan
    }

    /// The faults in force.
    public var currentFaults: FaultPlan { faults }

    // MARK: Admission: quotas, faults, latency

    /// A fresh request id (UUID-shaped, from the seeded stream).
    func nextRequestId() -> String {
        let hex = requestIds.string(count: 32, alphabet: Array("0123456789abcdef"))
        let c = Array(hex)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }

    /// Counts the call, enforces the operation's quota and injected throttling bursts and
    /// internal errors, waits the injected latency, and brings change sets up to date.
    /// Returns the time the call is served at and its request id.
    func admit(_ operation: CatalogOperation) async throws(CatalogError) -> (now: Date, requestId: String) {
        let requestId = nextRequestId()
        let arrival = clock.now().timeIntervalSince1970
        var counter = counters[operation] ?? OperationCounters()
        counter.calls += 1
        counter.attempted.record(at: arrival)
        counter.countCalendarSecond(arrival)
        if let quota = configuration.quotas[operation], counter.accepted.count(at: arrival) >= quota {
            counter.throttled += 1
            counters[operation] = counter
            throw CatalogError(.throttling, message: "Rate exceeded for \(operation.name): the quota is \(quota) requests per second",
                               requestId: requestId)
        }
        let burstStarts = burstDraws.chance(faults.throttleBurstRate)
        if burstStarts { counter.burstUntil = arrival + faults.throttleBurstSeconds }
        if arrival < counter.burstUntil {
            counter.burstThrottled += 1
            counters[operation] = counter
            throw CatalogError(.throttling, message: "Rate exceeded", requestId: requestId)
        }
        counter.accepted.record(at: arrival)
        if internalErrorDraws.chance(faults.internalErrorRate) {
            counter.internalErrors += 1
            counters[operation] = counter
            throw CatalogError(.internalService, message: "An internal error occurred; try again", requestId: requestId)
        }
        counters[operation] = counter
        let latency = faults.latencySeconds > 0 ? latencyDraws.nextUnit() * faults.latencySeconds : 0
        if latency > 0 {
            try? await clock.sleep(seconds: latency)
        }
        let now = clock.now()
        advanceLifecycle(to: now)
        return (now, requestId)
    }

    /// Runs an admitted call's body, counting the outcome and stamping errors with the request id.
    func serve<T>(_ operation: CatalogOperation, _ body: (Date, String) throws(CatalogError) -> T) async throws(CatalogError) -> T {
        let (now, requestId) = try await admit(operation)
        do throws(CatalogError) {
            let result = try body(now, requestId)
            counters[operation, default: OperationCounters()].succeeded += 1
            return result
        } catch {
            counters[operation, default: OperationCounters()].failed += 1
            throw CatalogError(error.code, message: error.message, requestId: requestId, httpStatus: error.httpStatus)
        }
    }

    // MARK: CatalogAPI

    /// `StartChangeSet`: validates synchronously, then creates a PREPARING change set.
    public func startChangeSet(_ request: StartChangeSetRequest) async throws -> StartChangeSetResponse {
        try await serve(.startChangeSet) { now, _ throws(CatalogError) in try start(request, now: now) }
    }

    /// `DescribeChangeSet`.
    public func describeChangeSet(_ request: DescribeChangeSetRequest) async throws -> DescribeChangeSetResponse {
        try await serve(.describeChangeSet) { _, _ throws(CatalogError) in try describe(request) }
    }

    /// `ListChangeSets`.
    public func listChangeSets(_ request: ListChangeSetsRequest) async throws -> ListChangeSetsResponse {
        try await serve(.listChangeSets) { _, _ throws(CatalogError) in try list(request) }
    }

    /// `CancelChangeSet`: only while PREPARING.
    public func cancelChangeSet(_ request: CancelChangeSetRequest) async throws -> CancelChangeSetResponse {
        try await serve(.cancelChangeSet) { now, _ throws(CatalogError) in try cancel(request, now: now) }
    }

    /// `DescribeEntity`.
    public func describeEntity(_ request: DescribeEntityRequest) async throws -> DescribeEntityResponse {
        try await serve(.describeEntity) { _, _ throws(CatalogError) in try describe(request) }
    }

    /// `ListEntities`.
    public func listEntities(_ request: ListEntitiesRequest) async throws -> ListEntitiesResponse {
        try await serve(.listEntities) { _, _ throws(CatalogError) in try list(request) }
    }

    /// `BatchDescribeEntities`.
    public func batchDescribeEntities(_ request: BatchDescribeEntitiesRequest) async throws -> BatchDescribeEntitiesResponse {
        try await serve(.batchDescribeEntities) { _, _ throws(CatalogError) in try batchDescribe(request) }
    }

    // MARK: Observation

    /// What the emulator has seen so far: calls, throttles and peak rates per operation,
    /// change sets by status, entities by type, injected transport faults.
    public func statistics() -> EmulatorStatistics {
        advanceLifecycle(to: clock.now())
        var operations: [String: EmulatorStatistics.Operation] = [:]
        for operation in CatalogOperation.allCases {
            let c = counters[operation] ?? OperationCounters()
            operations[operation.name] = EmulatorStatistics.Operation(
                quota: configuration.quotas[operation], calls: c.calls, throttled: c.throttled, burstThrottled: c.burstThrottled,
                internalErrors: c.internalErrors, succeeded: c.succeeded, failed: c.failed,
                peakCallsInAnyWindow: c.attempted.peak, peakAcceptedInAnyWindow: c.accepted.peak,
                peakCallsInAnyCalendarSecond: c.peakPerCalendarSecond)
        }
        var byStatus: [String: Int] = ["PREPARING": 0, "APPLYING": 0, "SUCCEEDED": 0, "FAILED": 0, "CANCELLED": 0]
        for record in changeSets.values { byStatus[record.status.rawValue, default: 0] += 1 }
        return EmulatorStatistics(
            operations: operations, changeSetsByStatus: byStatus, serverFaults: serverFaultCount,
            entitiesByType: store.countsByType, connectionResets: connectionResetCount,
            lostAcknowledgements: lostAcknowledgementCount, blackHoles: blackHoleCount,
            authenticationFailures: authenticationFailureCount)
    }

    /// The entities that exist now, for tests and demos that need real ids.
    public func inventory() -> EmulatorInventory {
        advanceLifecycle(to: clock.now())
        return EmulatorInventory(store: store, sellerAccountId: configuration.accountId)
    }
}
