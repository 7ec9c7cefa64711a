import BulkRunner
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

@Suite("BulkRun against the emulator")
struct BulkRunTests {
    @Test func allRowsSucceedWithinTheQuotas() async throws {
        let world = try await RunWorld()
        let plan = try world.plan(world.rows(12))
        let report = try await world.run(plan)
        #expect(report.summary.total == 12)
        #expect(report.summary.succeeded == 12, "\(report.summary) \(report.results.values.compactMap(\.errorMessage))")
        for result in report.results.values {
            #expect(result.changeSetId != nil)
            #expect(result.entityId?.hasPrefix("resaleauthz-") == true)
        }
        let stats = await world.emulator.statistics()
        #expect(stats.quotasRespected)
        #expect(stats[.startChangeSet].throttled == 0)
        #expect(Set((await world.authorizationCounts()).values) == [1])
    }
}

extension BulkRunTests {
    @Test func aHundredSetsGoOutAtTheQuotaAndNeverAbove() async throws {
        let world = try await RunWorld()
        let plan = try world.plan(world.rows(100), rowsPerChangeSet: 1)
        let start = world.clock.now()
        let report = try await world.run(plan)
        let elapsed = world.clock.now().timeIntervalSince(start)
        #expect(report.summary.succeeded == 100, "\(report.summary)")
        let stats = await world.emulator.statistics()
        #expect(stats.quotasRespected)
        for operation in CatalogOperation.allCases {
            #expect(stats[operation].throttled == 0, "\(operation) throttled")
        }
        #expect(stats[.startChangeSet].peakCallsInAnyWindow == 5)
        // 100 sets paced at one per 1.05 s ÷ 5 = 0.21 s: the last goes out at 20.79 s and
        // takes 5 s; it is seen final within a poll interval (1 s).
        // (A second of slack above: on a loaded machine the idle detection of the virtual clock
        // can let it run ahead while a poll is being scheduled.)
        #expect(elapsed >= 25.79 && elapsed <= 27.8, "took \(elapsed) s")
    }
}
