import BulkRunner
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

@Suite("One bad row never takes its neighbours down")
struct SplittingTests {
    @Test func aRowRefusedAtSubmissionIsIsolated() async throws {
        let world = try await RunWorld()
        var rows = world.rows(5)
        rows[2].product = "prod-doesnotexist00"
        let plan = try world.plan(rows)
        #expect(plan.changeSetCount == 1)
        let events = EventLog()
        let report = try await world.run(plan, events: events)
        #expect(report.summary.succeeded == 4, "\(report.summary)")
        #expect(report.summary.failed == 1)
        let bad = report.result(for: 2)
        #expect(bad.outcome == .failed)
        #expect(bad.errorCode == "ResourceNotFoundException")
        #expect(bad.errorMessage?.contains("prod-doesnotexist00") == true, "\(bad.errorMessage ?? "")")
        #expect(bad.changeSetId == nil)
        for row in [0, 1, 3, 4] {
            let good = report.result(for: row)
            #expect(good.outcome == .succeeded)
            #expect(good.changeSetId != nil)
            #expect(good.entityId?.hasPrefix("resaleauthz-") == true)
            #expect(good.errorMessage == nil)
        }
        #expect(events.notices.contains { $0.kind == .split })
        #expect(Set((await world.authorizationCounts()).values) == [1])
        #expect(await world.emulator.statistics().quotasRespected)
    }

    @Test func aRowFailingWhileProcessedIsIsolatedByItsErrorDetails() async throws {
        let world = try await RunWorld()
        var rows = world.rows(5)
        rows[3].reseller = "900000000003" // not a registered reseller: FAILED, CLIENT_ERROR
        let plan = try world.plan(rows)
        #expect(plan.changeSetCount == 1)
        let events = EventLog()
        let report = try await world.run(plan, events: events)
        #expect(report.summary.succeeded == 4, "\(report.summary) \(report.results)")
        let bad = report.result(for: 3)
        #expect(bad.outcome == .failed)
        #expect(bad.failureCode == "CLIENT_ERROR")
        #expect(bad.errorCode == "INVALID_RESELLER_ACCOUNT")
        #expect(bad.changeSetStatus == "FAILED")
        #expect(bad.changeSetId != nil)
        #expect(bad.attempts == 1)
        var ids: Set<String> = []
        for row in [0, 1, 2, 4] {
            let good = report.result(for: row)
            #expect(good.outcome == .succeeded)
            #expect(good.attempts == 2)
            #expect(good.changeSetId != bad.changeSetId)
            if let id = good.changeSetId { ids.insert(id) }
        }
        #expect(ids.count == 1) // the four went again together
        #expect(events.notices.contains { $0.kind == .isolated })
        #expect(Set((await world.authorizationCounts()).values) == [1])
    }

    @Test func partiallyAppliedFailedSetsNeverDuplicate() async throws {
        let world = try await RunWorld(faults: FaultPlan(partialApplyOnFailure: true))
        var rows = world.rows(10)
        rows[1].reseller = "900000000001"
        rows[7].reseller = "900000000007"
        let plan = try world.plan(rows)
        let events = EventLog()
        let report = try await world.run(plan, events: events)
        #expect(report.summary.succeeded == 8, "\(report.summary) \(report.results.values.compactMap(\.errorMessage))")
        #expect(report.summary.failed == 2)
        let counts = await world.authorizationCounts()
        #expect(counts.values.allSatisfy { $0 == 1 }, "duplicates: \(counts.filter { $0.value > 1 })")
        #expect(counts.count == 8)
        for row in [0, 2, 3, 4, 5, 6, 8, 9] {
            #expect(report.result(for: row).entityId?.hasPrefix("resaleauthz-") == true)
        }
        #expect(report.summary.existingEntities > 0)
        #expect(events.notices.contains { $0.kind == .existingEntity })
    }

    @Test func serverFaultsAreResubmitted() async throws {
        let world = try await RunWorld(faults: FaultPlan(serverFaultRate: 0.3))
        let plan = try world.plan(world.rows(30), rowsPerChangeSet: 1)
        let report = try await world.run(plan)
        #expect(report.summary.succeeded == 30, "\(report.summary)")
        #expect(report.summary.resubmissions > 0)
        #expect(await world.emulator.statistics().serverFaults > 0)
        #expect(Set((await world.authorizationCounts()).values) == [1])
    }

    @Test func serverFaultsPastTheLimitFailTheRow() async throws {
        let world = try await RunWorld(faults: FaultPlan(serverFaultRate: 1))
        let plan = try world.plan(world.rows(1))
        var options = RunOptions()
        options.serverFaultResubmissions = 2
        let report = try await world.run(plan, options: options)
        let result = report.result(for: 0)
        #expect(result.outcome == .failed)
        #expect(result.failureCode == "SERVER_FAULT")
        #expect(result.attempts == 3)
        #expect(result.errorMessage?.contains("bulkrunner retry") == true, "the way out: \(result.errorMessage ?? "")")
        #expect(await world.emulator.statistics().serverFaults == 3)
    }
}
