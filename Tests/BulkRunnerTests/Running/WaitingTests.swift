import BulkRunner
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing
import TestSupport

@Suite("Back-pressure, locks, dependencies, timeouts, stopping")
struct WaitingTests {
    /// A template that updates an existing resale authorization's description.
    static let describeTemplate = """
        {
          "Catalog": "AWSMarketplace",
          "ChangeSet": [
            {
              "ChangeType": "UpdateInformation",
              "Entity": { "Type": "ResaleAuthorization@1.0", "Identifier": "{{RESALE_AUTHORIZATION_ID}}" },
              "DetailsDocument": { "Description": "{{DESCRIPTION}}" }
            }
          ]
        }
        """

    static func updatePlan(_ world: RunWorld, _ rows: [(String, String)], file: String = "updates.csv") throws -> Plan {
        var text = "RESALE_AUTHORIZATION_ID,DESCRIPTION\n"
        for (id, description) in rows { text += "\(id),\(description)\n" }
        let url = world.directory.path(file)
        try text.write(to: url, atomically: true, encoding: .utf8)
        let template = try Template(json: describeTemplate, file: "describe.json")
        return try Planner.analyze(input: url, template: template, options: PlanOptions(today: world.clock.now()),
                                   runIdentity: try RunIdentity("updates"))
    }

    static func worldWithAuthorizations() async throws -> (RunWorld, [String]) {
        let world = try await RunWorld()
        // Three drafts of our own, created through the emulator directly.
        let plan = try world.plan(world.rows(3, from: 50), identity: "setup", file: "setup.csv")
        let report = try await world.run(plan)
        let ids = (0..<3).compactMap { report.result(for: $0).entityId }
        #expect(ids.count == 3)
        return (world, ids)
    }

    @Test func tooManyOpenChangeSetsIsWaitedOut() async throws {
        let world = try await RunWorld(limits: ChangeSetLimits(maxOpenChangeSets: 4))
        let plan = try world.plan(world.rows(20), rowsPerChangeSet: 1)
        let events = EventLog()
        let report = try await world.run(plan, events: events)
        #expect(report.summary.succeeded == 20, "\(report.summary)")
        #expect(events.notices.contains { $0.kind == .backPressure })
        let stats = await world.emulator.statistics()
        #expect(stats.quotasRespected)
        #expect(Set((await world.authorizationCounts()).values) == [1])
    }

    @Test func ourOwnBoundOnOpenSetsIsKept() async throws {
        let world = try await RunWorld()
        let plan = try world.plan(world.rows(12), rowsPerChangeSet: 1)
        var options = RunOptions()
        options.maxOpenChangeSets = 2
        let events = EventLog()
        let report = try await world.run(plan, options: options, events: events)
        #expect(report.summary.succeeded == 12)
        let open = events.events.compactMap { if case .progress(let p) = $0 { p.setsOpen } else { nil } }
        #expect(open.max() ?? 0 <= 2)
        #expect(!events.notices.contains { $0.kind == .backPressure })
    }

    @Test func aLockedEntityWaitsForTheOtherChangeSet() async throws {
        let (world, ids) = try await Self.worldWithAuthorizations()
        // Someone else's change set holds ids[0] for 5 s.
        _ = try await world.emulator.startChangeSet(StartChangeSetRequest(changeSet: [
            Change(changeType: "UpdateInformation", entity: Entity(type: "ResaleAuthorization@1.0", identifier: ids[0]),
                   detailsDocument: ["Description": "edited by hand"]),
        ], changeSetName: "someone else"))
        let plan = try Self.updatePlan(world, [(ids[0], "first"), (ids[1], "second")])
        let events = EventLog()
        let report = try await world.run(plan, events: events)
        #expect(report.summary.succeeded == 2, "\(report.summary) \(report.results)")
        #expect(events.notices.contains { $0.kind == .lockWait })
        #expect(report.result(for: 0).entityId == ids[0])
    }

    @Test func rowsOnTheSameEntityAreNeverOpenTogether() async throws {
        let (world, ids) = try await Self.worldWithAuthorizations()
        let plan = try Self.updatePlan(world, [(ids[0], "one"), (ids[0], "two"), (ids[0], "three"), (ids[1], "other")])
        let transport = CallTap(world.emulator, clock: world.clock)
        let report = try await world.run(plan, api: transport)
        #expect(report.summary.succeeded == 4, "\(report.summary)")
        let stats = await world.emulator.statistics()
        #expect(stats[.startChangeSet].failed == 0) // no ResourceInUseException
        // Three sets (the row on ids[1] shares the first): the ones on ids[0] went out one
        // after the other, each after the one before was final (5 s of processing).
        #expect(plan.changeSetCount == 3)
        let starts = transport.calls.filter { $0.operation == .startChangeSet }.map(\.at).sorted()
        try #require(starts.count == 3)
        #expect(starts[1].timeIntervalSince(starts[0]) >= 5)
        #expect(starts[2].timeIntervalSince(starts[1]) >= 5)
    }

    @Test func aWaitTimeoutLeavesRowsPendingAndRefreshFinishesThem() async throws {
        let world = try await RunWorld(prepare: 100, apply: 200)
        let plan = try world.plan(world.rows(6), rowsPerChangeSet: 2)
        let journal = MemoryJournal()
        var options = RunOptions()
        options.waitTimeout = 30
        let first = try await world.run(plan, options: options, journal: journal)
        #expect(first.summary.stopReason == .timedOut)
        #expect(first.summary.pending == 6)
        for result in first.results.values {
            #expect(result.changeSetId != nil)
            #expect(result.changeSetStatus == "PREPARING")
            #expect(result.errorMessage?.contains("check its status") == true, "\(result.errorMessage ?? "")")
        }
        let sent = await world.emulator.statistics()[.startChangeSet].calls
        var refresh = RunOptions()
        refresh.sendsChangeSets = false
        let second = try await world.run(plan, options: refresh, journal: journal)
        #expect(second.summary.succeeded == 6, "\(second.summary)")
        #expect(second.summary.stopReason == .completed)
        #expect(await world.emulator.statistics()[.startChangeSet].calls == sent)
    }

    @Test func refreshSendsNothingNew() async throws {
        let world = try await RunWorld(prepare: 50, apply: 50)
        let plan = try world.plan(world.rows(4), rowsPerChangeSet: 1)
        var options = RunOptions()
        options.maxOpenChangeSets = 2
        options.waitTimeout = 0
        let journal = MemoryJournal()
        let first = try await world.run(plan, options: options, journal: journal)
        // Two sent and open (PENDING), two never sent (NOT_SENT).
        #expect(first.summary.pending == 2 && first.summary.notSent == 2, "\(first.summary)")
        #expect(first.results.values.filter { $0.changeSetId != nil }.count == 2)
        var refresh = RunOptions()
        refresh.sendsChangeSets = false
        let second = try await world.run(plan, options: refresh, journal: journal)
        #expect(second.summary.succeeded == 2)
        #expect(second.summary.notSent == 2, "a status check sends nothing: \(second.summary)")
        #expect(await world.emulator.statistics()[.startChangeSet].calls == 2)
        let third = try await world.run(plan, journal: journal)
        #expect(third.summary.succeeded == 4)
    }

    @Test func aStopRequestFinishesOpenSetsAndSendsNothingNew() async throws {
        let world = try await RunWorld()
        let plan = try world.plan(world.rows(40), rowsPerChangeSet: 1)
        let control = RunControl()
        let events = EventLog()
        let journal = MemoryJournal()
        let watcher = world.interrupt(control, abort: false, whenAccepted: 7, in: events)
        let first = try await world.run(plan, journal: journal, control: control, events: events)
        watcher.cancel()
        #expect(first.summary.stopReason == .stopped)
        #expect(first.summary.succeeded >= 7)
        #expect(first.summary.succeeded < 40)
        #expect(first.summary.succeeded + first.summary.notSent == 40, "\(first.summary)")
        // Everything that was sent is final: no row is left with an open change set.
        #expect(first.results.values.allSatisfy { $0.outcome == .succeeded || $0.changeSetId == nil })
        let second = try await world.run(plan, journal: journal)
        #expect(second.summary.succeeded == 40)
        #expect(Set((await world.authorizationCounts()).values) == [1])
    }

    @Test func transientFaultsAndThrottlingBurstsFailNoRow() async throws {
        let world = try await RunWorld(faults: FaultPlan(internalErrorRate: 0.15, throttleBurstRate: 0.03, throttleBurstSeconds: 1))
        let plan = try world.plan(world.rows(40), rowsPerChangeSet: 2)
        let report = try await world.run(plan)
        #expect(report.summary.succeeded == 40, "\(report.summary) \(report.results.values.compactMap(\.errorMessage))")
        let stats = await world.emulator.statistics()
        let injected = stats.operations.values.reduce(0) { $0 + $1.internalErrors + $1.burstThrottled }
        #expect(injected > 0)
        #expect(Set((await world.authorizationCounts()).values) == [1])
    }
}
