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
        let transport = api ?? CallTap(emulator, clock: clock)
        let run = BulkRun(api: transport, clock: clock, options: options, journal: journal, control: control) { event in
            events?.append(event)
        }
        let busy = transport as? CallTap
        return try await clock.run(idle: { (busy?.inFlight ?? 0) == 0 }) { try await run.run(plan: plan) }
    }

    /// Watches `events` every `interval` of virtual time and, once `setsAccepted` change sets are
    /// accepted, asks `control` to stop (the first Ctrl-C) or to abort (the second, or a kill).
    func interrupt(_ control: RunControl, abort: Bool, whenAccepted setsAccepted: Int, in events: EventLog,
                   every interval: Double = 0.1) -> Task<Void, any Error> {
        let clock = clock
        return Task {
            while !Task.isCancelled {
                try await clock.sleep(seconds: interval)
                if events.events.contains(where: { if case .progress(let p) = $0 { p.setsAccepted >= setsAccepted } else { false } }) {
                    if abort { control.requestAbort() } else { control.requestStop() }
                    return
                }
            }
        }
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

/// Drives an operation in virtual time like `VirtualTimeSource.run`, but never moves the
/// clock while a call to the service is in progress (`idle` says so) — the emulator, an
/// actor, may still be working through queued calls in a debug build when the executor looks
/// quiet, and time must not jump under them.
