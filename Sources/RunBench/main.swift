// run-bench: BulkRunner's engine against the in-process Catalog emulator at the published
// quotas, beside the one-change-set-per-row, one-at-a-time loop of the public samples.
//
//   swift run -c release run-bench [--rows N] [--no-real-time]
//
// 1. Virtual time with realistic processing (PREPARING ~20 s, APPLYING ~40 s, ±25 %):
//    deterministic; the engine's time against the quota-bound minimum (change sets ÷ 5/s
//    plus the mean processing time), and the baseline measured in the same run.
// 2. Real time with short processing (0.3 s + 0.7 s): the same engine on the system clock,
//    with the file journal (fsync at every step).
import BulkRunner
import CSVKit
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation

struct Bench {
    var rows = 400
    var realTime = true

    static func parse(_ arguments: [String]) -> Bench {
        var bench = Bench()
        var index = 1
        while index < arguments.count {
            switch arguments[index] {
            case "--rows":
                index += 1
                if index < arguments.count, let n = Int(arguments[index]), n > 0 { bench.rows = n }
            case "--no-real-time":
                bench.realTime = false
            case "-h", "--help":
                print("usage: run-bench [--rows N] [--no-real-time]")
                exit(0)
            default:
                FileHandle.standardError.write(Data("run-bench: unknown argument \(arguments[index])\n".utf8))
                exit(2)
            }
            index += 1
        }
        return bench
    }
}

func emulator(clock: any TimeSource, prepare: Double, apply: Double, jitter: Double) -> CatalogEmulator {
    let configuration = EmulatorConfiguration(
        seed: 2030,
        lifecycle: LifecycleTiming(prepareSeconds: prepare, applySeconds: apply, jitter: jitter),
        seeding: SeedPlan(amiProducts: 0, containerProducts: 0, saasProducts: 1, foreignProducts: 0,
                          resaleAuthorizations: 0, offers: 0, agreements: 0))
    return CatalogEmulator(configuration: configuration, clock: clock)
}

/// Writes `count` grant rows for the emulator's product and plans them with the built-in
/// `grant` template (create, pricing, EULA, release: 4 changes a row, 5 rows a set).
func plan(rows count: Int, product: String, dimension: String, folder: URL, today: Date, identity: String) throws -> Plan {
    var text = "RESELLER_ACCOUNT_ID,PRODUCT_ID,NAME,PRICE,DIMENSION_KEY\n"
    for i in 0..<count {
        text += "\(100_000_000_000 + i),\(product),Partner \(i),\(100 + i % 50).00,\(dimension)\n"
    }
    let url = folder.appendingPathComponent("grants-\(identity).csv")
    try text.write(to: url, atomically: true, encoding: .utf8)
    let template = try BuiltInTemplate.named("grant")!.template()
    return try Planner.analyze(input: url, template: template, options: PlanOptions(today: today),
                               runIdentity: try RunIdentity(identity))
}

/// The public samples' loop: one row per change set, StartChangeSet, then DescribeChangeSet
/// every `pollSeconds` until final, then the next row.
func baseline(api: CatalogEmulator, clock: any TimeSource, plan: Plan, pollSeconds: Double) async throws -> (seconds: Double, failed: Int) {
    let start = clock.now()
    var failed = 0
    let iterator = try plan.changeSets()
    var sets: [PlannedChangeSet] = []
    while let set = try iterator.next() { sets.append(set) }
    for set in sets {
        for row in set.rows {
            let one = set.subset(rows: [row.rowIndex])
            var request = one.request
            request.clientRequestToken = UUID().uuidString
            var response: StartChangeSetResponse?
            while response == nil {
                do {
                    response = try await api.startChangeSet(request)
                } catch let error as CatalogError where error.isRetryable {
                    try await clock.sleep(seconds: 1)
                }
            }
            guard let id = response?.changeSetId else { continue }
            while true {
                try await clock.sleep(seconds: pollSeconds)
                guard let described = try? await api.describeChangeSet(DescribeChangeSetRequest(changeSetId: id)),
                      let status = described.status else { continue }
                if status.isFinal {
                    if status != .succeeded { failed += 1 }
                    break
                }
            }
        }
    }
    return (clock.now().timeIntervalSince(start), failed)
}


struct EngineResult {
    var api: CatalogEmulator
    var start: Date
    var seconds: Double
    var sets: Int
    var summary: RunSummary
    var quotasRespected: Bool
    var peakStarts: Int
    var throttled: Int
}

func runEngine(rows: Int, clock: any TimeSource, virtual: VirtualTimeSource?, prepare: Double, apply: Double,
               jitter: Double, folder: URL, journal: any JournalStore, identity: String) async throws -> EngineResult {
    let api = emulator(clock: clock, prepare: prepare, apply: apply, jitter: jitter)
    let product = await api.inventory().ownedProducts(.saasProduct)[0]
    let plan = try plan(rows: rows, product: product.id, dimension: product.dimensionKeys[0], folder: folder,
                        today: clock.now(), identity: identity)
    let counter = CallTap(api, clock: clock)
    let run = BulkRun(api: counter, clock: clock, options: RunOptions(), journal: journal)
    let start = clock.now()
    let report: RunReport
    if let virtual {
        report = try await virtual.run(idle: { counter.inFlight == 0 }) { try await run.run(plan: plan) }
    } else {
        report = try await run.run(plan: plan)
    }
    let seconds = clock.now().timeIntervalSince(start)
    let stats = await api.statistics()
    let throttled = stats.operations.values.reduce(0) { $0 + $1.throttled + $1.burstThrottled }
    return EngineResult(api: api, start: start, seconds: seconds, sets: plan.changeSetCount, summary: report.summary,
                        quotasRespected: stats.quotasRespected, peakStarts: stats[.startChangeSet].peakCallsInAnyWindow,
                        throttled: throttled)
}

func format(_ seconds: Double) -> String { String(format: "%.1f s", seconds) }

/// The quota-bound minimum for the durations the emulator actually drew: sets sent 5 per
/// second from the start, in the order they were sent, each taking its own processing time
/// (from its StartTime and EndTime, whole seconds: ±1 s).
func drawnMinimum(_ api: CatalogEmulator, start: Date) async throws -> Double {
    var items: [ChangeSetSummaryListItem] = []
    var next: String?
    repeat {
        let page = try await api.listChangeSets(ListChangeSetsRequest(maxResults: 20, nextToken: next))
        items += page.changeSetSummaryList ?? []
        next = page.nextToken
    } while next != nil
    let spans = items.compactMap { item -> (Date, Double)? in
        guard let s = item.startTime, let e = item.endTime, let a = CatalogTime.parseTimestamp(s),
              let b = CatalogTime.parseTimestamp(e) else { return nil }
        return (a, b.timeIntervalSince(a))
    }.sorted { $0.0 < $1.0 }
    var minimum = 0.0
    for (i, span) in spans.enumerated() {
        minimum = max(minimum, Double(i / 5) + span.1)
    }
    return minimum
}

let bench = Bench.parse(CommandLine.arguments)
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("run-bench-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
var ok = true

print("run-bench: \(bench.rows) grant rows (built-in 'grant': create, pricing, EULA, release) against the in-process emulator at the published quotas")
print("")
print("1. virtual time (deterministic), realistic fixed processing: PREPARING 20 s + APPLYING 40 s per set")
do {
    let clock = VirtualTimeSource()
    let prepare = 20.0, apply = 40.0
    let wall = Date()
    let engine = try await runEngine(rows: bench.rows, clock: clock, virtual: clock, prepare: prepare, apply: apply,
                                     jitter: 0, folder: folder, journal: MemoryJournal(), identity: "bench-virtual")
    let minimum = Double(engine.sets) / 5 + prepare + apply
    let ratio = engine.seconds / minimum
    // Exactly, as the engine paces them (one per 1.05 s ÷ 5 = 0.21 s, 5 % under the quota
    // against network jitter): the last set leaves at (sets − 1) × 0.21 s.
    let exact = Double(engine.sets - 1) * 0.21 + prepare + apply
    print("   engine:   \(format(engine.seconds)) for \(engine.sets) change sets — \(engine.summary)")
    print("             quota-bound minimum \(format(minimum)) (\(engine.sets) sets ÷ 5/s + \(format(prepare + apply)) processing)")
    print("             ratio \(String(format: "%.3f", ratio)) (target ≤ 1.15); against the engine's own pacing bound \(format(exact)) (last set sent at \(format(exact - prepare - apply))): \(String(format: "%.3f", engine.seconds / exact))")
    print("             StartChangeSet peak \(engine.peakStarts) in any one-second window; throttled calls \(engine.throttled); quotas respected: \(engine.quotasRespected)")
    print("             (computed in \(format(Date().timeIntervalSince(wall))) of real time)")
    if ratio > 1.15 || !engine.quotasRespected || engine.summary.succeeded != bench.rows || engine.throttled > 0 { ok = false }

    let baselineClock = VirtualTimeSource()
    let baselineAPI = emulator(clock: baselineClock, prepare: prepare, apply: apply, jitter: 0)
    let product = await baselineAPI.inventory().ownedProducts(.saasProduct)[0]
    let baselinePlan = try plan(rows: bench.rows, product: product.id, dimension: product.dimensionKeys[0], folder: folder,
                                today: baselineClock.now(), identity: "bench-baseline")
    let base = try await baselineClock.run(idle: { true }) {
        try await baseline(api: baselineAPI, clock: baselineClock, plan: baselinePlan, pollSeconds: 5)
    }
    print("   baseline: \(format(base.seconds)) (\(String(format: "%.1f", base.seconds / 3600)) h) — one change set per row, one at a time, DescribeChangeSet every 5 s; \(base.failed) failed")
    print("   engine vs baseline: \(String(format: "%.0f", base.seconds / engine.seconds))× faster")
}

print("")
print("2. virtual time (deterministic), the same with ±25 % jitter per set (the slowest set takes up to 75 s)")
do {
    let clock = VirtualTimeSource()
    let engine = try await runEngine(rows: bench.rows, clock: clock, virtual: clock, prepare: 20, apply: 40,
                                     jitter: 0.25, folder: folder, journal: MemoryJournal(), identity: "bench-jitter")
    let minimum = try await drawnMinimum(engine.api, start: engine.start)
    let ratio = engine.seconds / minimum
    print("   engine:   \(format(engine.seconds)) — \(engine.summary); throttled calls \(engine.throttled)")
    print("             quota-bound minimum for the drawn durations \(format(minimum)) (sets at 5/s, each its own processing time, ±1 s)")
    print("             ratio \(String(format: "%.3f", ratio))")
    if ratio > 1.15 || !engine.quotasRespected || engine.summary.succeeded != bench.rows { ok = false }
}

if bench.realTime {
    print("")
    print("3. real time, short processing: PREPARING 0.3 s + APPLYING 0.7 s; file journal with fsync at every step")
    let clock = SystemTimeSource()
    let journal = FileJournal(url: folder.appendingPathComponent("results.csv.journal"))
    let engine = try await runEngine(rows: bench.rows, clock: clock, virtual: nil, prepare: 0.3, apply: 0.7, jitter: 0,
                                     folder: folder, journal: journal, identity: "bench-real")
    let minimum = Double(engine.sets) / 5 + 1.0
    let ratio = engine.seconds / minimum
    print("   engine:   \(format(engine.seconds)) for \(engine.sets) change sets — \(engine.summary)")
    print("             quota-bound minimum \(format(minimum)) (\(engine.sets) sets ÷ 5/s + 1.0 s processing); ratio \(String(format: "%.3f", ratio))")
    print("             throttled calls \(engine.throttled); quotas respected: \(engine.quotasRespected)")
    print("             baseline (not run in real time): \(bench.rows) × (1.0 s processing + ~1 poll) ≈ \(format(Double(bench.rows) * 1.5)) at best")
    if ratio > 1.15 || !engine.quotasRespected || engine.summary.succeeded != bench.rows { ok = false }
}
print("")
print(ok ? "run-bench: PASS" : "run-bench: FAIL")
exit(ok ? 0 : 1)
