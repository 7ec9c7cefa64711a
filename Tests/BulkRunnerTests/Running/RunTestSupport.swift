import BulkRunner
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import TestSupport

/// One grant row of a test input.
struct GrantRow: Sendable {
    var reseller: String
    var name: String
    var product: String? = nil
    var price: String = "100.00"
}

/// A virtual clock, an emulator on it, a temporary folder, and helpers to plan and run grant
/// rows against it: the world every runner test lives in.
struct RunWorld: Sendable {
    let clock: VirtualTimeSource
    let emulator: CatalogEmulator
    let directory: TemporaryDirectory
    let product: String
    let dimension: String
    private let cleanup: Cleanup

    /// Removes the world's folder when the last copy of the world goes.
    final class Cleanup: Sendable {
        let url: URL
        init(_ url: URL) { self.url = url }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    init(seed: UInt64 = 7, faults: FaultPlan = FaultPlan(), prepare: Double = 2, apply: Double = 3, jitter: Double = 0,
         limits: ChangeSetLimits = .published, quotas: RequestQuotas = .published) async throws {
        clock = VirtualTimeSource()
        let configuration = EmulatorConfiguration(
            seed: seed, quotas: quotas, limits: limits,
            lifecycle: LifecycleTiming(prepareSeconds: prepare, applySeconds: apply, jitter: jitter),
            seeding: SeedPlan(amiProducts: 0, containerProducts: 0, saasProducts: 1, foreignProducts: 0,
                              resaleAuthorizations: 0, offers: 0, agreements: 0),
            faults: faults)
        emulator = CatalogEmulator(configuration: configuration, clock: clock)
        directory = try TemporaryDirectory(prefix: "runner-test")
        cleanup = Cleanup(directory.url)
        let saas = await emulator.inventory().ownedProducts(.saasProduct)
        product = saas.first?.id ?? "prod-missing"
        dimension = saas.first?.dimensionKeys.first ?? "BasicService"
    }

    /// `count` valid rows: resellers 1000000000NN, names "Partner NN".
    func rows(_ count: Int, from start: Int = 0) -> [GrantRow] {
        (start..<(start + count)).map { i in
            GrantRow(reseller: String(100_000_000_000 + i), name: "Partner \(i)")
        }
    }

    /// Writes `rows` as a grant CSV and plans it.
    func plan(_ rows: [GrantRow], rowsPerChangeSet: Int? = nil, identity: String = "test-run", file: String = "input.csv") throws -> Plan {
        var text = "RESELLER_ACCOUNT_ID,PRODUCT_ID,NAME,PRICE,DIMENSION_KEY\n"
        for row in rows {
            text += "\(row.reseller),\(row.product ?? product),\(row.name),\(row.price),\(dimension)\n"
        }
        let url = directory.path(file)
        try text.write(to: url, atomically: true, encoding: .utf8)
        let template = try BuiltInTemplate.named("grant-draft")!.template()
        return try Planner.analyze(input: url, template: template,
                                   options: PlanOptions(today: clock.now(), rowsPerChangeSet: rowsPerChangeSet),
                                   runIdentity: try RunIdentity(identity))
    }

    /// Runs `plan` in virtual time.
    func run(_ plan: Plan, options: RunOptions = RunOptions(), journal: any JournalStore = MemoryJournal(),
             control: RunControl = RunControl(), events: EventLog? = nil, api: (any CatalogAPI)? = nil) async throws -> RunReport {
        let transport = api ?? Transport(emulator, clock: clock)
        let run = BulkRun(api: transport, clock: clock, options: options, journal: journal, control: control) { event in
            events?.append(event)
        }
        let busy = transport as? Transport
        return try await clock.run(idle: { (busy?.inFlight ?? 0) == 0 }) { try await run.run(plan: plan) }
    }

    /// Resale authorizations in the emulator, counted by reseller account (each test row has
    /// its own reseller): more than one is a duplicate. Read from the emulator's inventory, so
    /// neither quotas nor injected faults get in the way.
    func authorizationCounts() async -> [String: Int] {
        var counts: [String: Int] = [:]
        for authorization in await emulator.inventory().resaleAuthorizations {
            counts[authorization.resellerAccountId, default: 0] += 1
        }
        return counts
    }
}

/// Collects a run's events.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [RunEvent] = []

    func append(_ event: RunEvent) {
        lock.withLock { items.append(event) }
    }

    var events: [RunEvent] { lock.withLock { items } }

    var notices: [RunNotice] {
        events.compactMap { if case .notice(let notice) = $0 { notice } else { nil } }
    }
}

/// Passes every call through to the emulator, noting the clock time it was made at and
/// optionally losing responses (the call is processed, the answer never arrives: a
/// timeout), as a flaky network would. It never answers on the service's behalf.
final class Transport: CatalogAPI, @unchecked Sendable {
    let base: CatalogEmulator
    let clock: any TimeSource
    private let lock = NSLock()
    private var log: [(CatalogOperation, Date)] = []
    private var active = 0
    private var loseStarts: Set<Int> = []
    private var startCount = 0

    init(_ base: CatalogEmulator, clock: any TimeSource, loseStartResponses: Set<Int> = []) {
        self.base = base
        self.clock = clock
        loseStarts = loseStartResponses
    }

    var calls: [(CatalogOperation, Date)] { lock.withLock { log } }

    /// Calls in progress (entered, not yet answered).
    var inFlight: Int { lock.withLock { active } }

    private func done() { lock.withLock { active -= 1 } }

    private func note(_ operation: CatalogOperation) -> Int {
        lock.withLock {
            active += 1
            log.append((operation, clock.now()))
            if operation == .startChangeSet { startCount += 1 }
            return startCount
        }
    }

    func startChangeSet(_ request: StartChangeSetRequest) async throws -> StartChangeSetResponse {
        let n = note(.startChangeSet)
        defer { done() }
        let response = try await base.startChangeSet(request)
        if lock.withLock({ loseStarts.contains(n) }) {
            throw CatalogError(.timeout, message: "no response within the deadline (simulated lost acknowledgement)")
        }
        return response
    }
    func describeChangeSet(_ request: DescribeChangeSetRequest) async throws -> DescribeChangeSetResponse {
        _ = note(.describeChangeSet); defer { done() }; return try await base.describeChangeSet(request)
    }
    func listChangeSets(_ request: ListChangeSetsRequest) async throws -> ListChangeSetsResponse {
        _ = note(.listChangeSets); defer { done() }; return try await base.listChangeSets(request)
    }
    func cancelChangeSet(_ request: CancelChangeSetRequest) async throws -> CancelChangeSetResponse {
        _ = note(.cancelChangeSet); defer { done() }; return try await base.cancelChangeSet(request)
    }
    func describeEntity(_ request: DescribeEntityRequest) async throws -> DescribeEntityResponse {
        _ = note(.describeEntity); defer { done() }; return try await base.describeEntity(request)
    }
    func listEntities(_ request: ListEntitiesRequest) async throws -> ListEntitiesResponse {
        _ = note(.listEntities); defer { done() }; return try await base.listEntities(request)
    }
    func batchDescribeEntities(_ request: BatchDescribeEntitiesRequest) async throws -> BatchDescribeEntitiesResponse {
        _ = note(.batchDescribeEntities); defer { done() }; return try await base.batchDescribeEntities(request)
    }
}

/// Drives an operation in virtual time like `VirtualTimeSource.run`, but never moves the
/// clock while a call to the service is in progress (`idle` says so) — the emulator, an
/// actor, may still be working through queued calls in a debug build when the executor looks
/// quiet, and time must not jump under them.
