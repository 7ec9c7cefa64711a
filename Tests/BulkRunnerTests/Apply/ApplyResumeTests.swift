import BulkRunner
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import TestSupport
import Testing

@Suite("Apply: dry run, resume, results fed back")
struct ApplyResumeTests {
    /// A sheet with three restricts and three re-grants.
    private func marked(_ world: ApplyWorld) async throws -> (sheet: URL, restrict: [String], reprice: [String]) {
        let exported = try await world.export(.resaleAuthorizations, statuses: ["Active"], to: "active.csv")
        let ids = try Sheet(exported).rows.map { $0["ResaleAuthorizationId"] }
        let restrict = Array(ids[0..<3]), reprice = Array(ids[3..<6])
        let sheet = try world.markUp(exported, as: "marked.csv") { rows in
            for i in rows.indices {
                let id = rows[i]["ResaleAuthorizationId"]
                if restrict.contains(id) { rows[i]["Action"] = "RESTRICT" }
                if reprice.contains(id) { rows[i]["Action"] = "REPRICE"; rows[i]["NewPrice"] = "BasicService=210" }
            }
        }
        return (sheet, restrict, reprice)
    }

    @Test func aDryRunChecksButSendsNothing() async throws {
        let world = try ApplyWorld()
        let (sheet, restrict, reprice) = try await marked(world)
        let applier = Applier(api: world.api, clock: world.clock, options: ApplyOptions(today: world.clock.now()))
        let plan = try await world.inVirtualTime { try await applier.check(sheet: sheet, identity: try RunIdentity("dry")) }
        let output = world.directory.path("dry.csv")
        try plan.writeDryRunResults(to: output)
        #expect(world.api.count(.startChangeSet) == 0)
        let results = try Sheet(output)
        for id in restrict + reprice { #expect(results.row(id)?["Outcome"] == "PLANNED") }
        #expect(results.row(reprice[0])?["ErrorMessage"].contains("then restrict \(reprice[0])") == true)
        #expect(results.rows.filter { $0["Outcome"] == "SKIPPED" }.count == results.rows.count - 6)
        // What would be sent: one packed first wave, one second-wave set per re-grant.
        #expect(plan.firstWave.count == 1 && plan.firstWave[0].rows.count == 6)
        #expect(plan.secondWave.count == 3)
        for set in plan.secondWave.values {
            #expect(set.request.changeSet.map(\.changeType) == ["RestrictResaleAuthorization"])
            #expect(set.changeSetName.hasPrefix("bulkrunner dry.w2 "))
        }
        let grant = try #require(plan.firstWave[0].request.changeSet.first { $0.changeType == "CreateResaleAuthorization" })
        #expect(grant.changeName?.allSatisfy { $0.isLetter || $0.isNumber } == true)
        #expect(!FileManager.default.fileExists(atPath: ApplyRecord.url(besideResults: output).path))
    }

    /// Killed while the first wave was open and again in the second, then run again: every row
    /// ends SUCCEEDED, each change set went out once, one new authorization per re-grant.
    @Test func aRunKilledInEitherWaveResumesWithoutSendingTwice() async throws {
        let world = try ApplyWorld()
        let (sheet, restrict, reprice) = try await marked(world)
        let applier = Applier(api: world.api, clock: world.clock, options: ApplyOptions(today: world.clock.now()))
        let plan = try await world.inVirtualTime { try await applier.check(sheet: sheet, identity: try RunIdentity("resume")) }
        let output = world.directory.path("results.csv")
        let recordURL = ApplyRecord.url(besideResults: output)
        try plan.record.write(to: recordURL)
        #expect(try ApplyRecord.read(from: recordURL) == plan.record)

        // Killed after the first wave's set was accepted (run, send, accepted are journaled).
        let first = MemoryJournal(crashAfter: 3), second = MemoryJournal(crashAfter: 3)
        let journals = ApplyJournals(first: first, second: second)
        await #expect(throws: BulkRunnerError.self) { try await world.inVirtualTime { try await applier.run(plan, journals: journals) } }
        world.clock.advance(by: 30)

        // Checked again now, the restricted rows would look STALE and the re-grants would be
        // planned afresh (their old authorizations are untouched so far): resuming rebuilds the
        // plan from the record instead, with the same tokens.
        let fresh = try await world.inVirtualTime { try await applier.check(sheet: sheet, identity: try RunIdentity("resume")) }
        #expect(fresh.summary.stale == 3 && fresh.summary.regrants == 3)
        let record = try #require(try ApplyRecord.read(from: recordURL))
        let rebuilt = try ApplyPlan.build(sheet: try ApplySheet.read(sheet, today: record.checkedAt), record: record)
        #expect(rebuilt.firstWave.map(\.clientRequestToken) == plan.firstWave.map(\.clientRequestToken))
        #expect(rebuilt.secondWave.mapValues(\.clientRequestToken) == plan.secondWave.mapValues(\.clientRequestToken))

        // Resumed: the first wave is followed to its end, the second is killed in turn.
        first.crash(after: nil)
        await #expect(throws: BulkRunnerError.self) { try await world.inVirtualTime { try await applier.run(rebuilt, journals: journals) } }
        world.clock.advance(by: 30)

        // Resumed again: done.
        second.crash(after: nil)
        let report = try await world.inVirtualTime { try await applier.run(rebuilt, journals: journals) }
        #expect(report.summary.succeeded == 6, "\(report.results.values.filter { $0.outcome != .skipped && $0.outcome != .succeeded })")
        try report.write(plan: rebuilt, to: output)
        let stats = await world.emulator.statistics()
        #expect(stats.changeSetsByStatus.values.reduce(0, +) == 1 + 3)
        let now = await world.authorizations()
        #expect(now.count == 300 + 3)
        for id in restrict + reprice { #expect(now[id]?.status == "Restricted") }
        let results = try Sheet(output)
        for id in reprice {
            let new = try #require(results.row(id))["EntityId"]
            #expect(now[new]?.status == "Active")
            #expect(try await world.document(new).ratePrices == ["BasicService": "210"])
        }

        // Once more: everything is concluded in the journals; nothing is sent.
        let starts = world.api.count(.startChangeSet)
        let again = try await world.inVirtualTime { try await applier.run(rebuilt, journals: journals) }
        #expect(world.api.count(.startChangeSet) == starts)
        #expect(again.results == report.results)
    }

    /// The results file applied again (to a new output) skips what SUCCEEDED; a re-grant whose
    /// restrict failed is not granted a second time.
    @Test func theResultsFileFedBackSkipsWhatIsDone() async throws {
        let world = try ApplyWorld()
        let (sheet, restrict, reprice) = try await marked(world)
        // The restrict of one re-grant is refused: its replacement is granted, it stays Active.
        let stuck = reprice[0]
        world.api.refuse { request in
            request.changeSet.count == 1 && request.changeSet[0].entity.identifier == stuck
                && request.changeSet[0].changeType == "RestrictResaleAuthorization"
        }
        let first = try await world.apply(sheet, output: "results.csv")
        world.api.refuseStarts(nil)
        let row = try #require(first.results.row(stuck))
        #expect(row["Outcome"] == "FAILED" && row["ErrorMessage"].contains("partner holds both prices"))
        let replacement = row["EntityId"]
        let statuses = await world.authorizations()
        #expect(replacement != stuck && statuses[replacement]?.status == "Active")
        #expect(first.report.summary.succeeded == 5)

        world.clock.advance(by: 5)
        let starts = world.api.count(.startChangeSet)
        let second = try await world.apply(world.directory.path("results.csv"), output: "again.csv", identity: "apply-again")
        #expect(world.api.count(.startChangeSet) == starts)
        for id in restrict + reprice.dropFirst() {
            #expect(second.results.row(id)?["Outcome"] == "SKIPPED")
            #expect(second.results.row(id)?["ErrorMessage"].contains("already SUCCEEDED") == true)
            #expect(second.results.row(id)?["ChangeSetId"] == first.results.row(id)?["ChangeSetId"])
        }
        #expect(second.results.row(stuck)?["Outcome"] == "INVALID" && second.results.row(stuck)?["ErrorCode"] == "ALREADY_GRANTED")
        // The old outcome columns were replaced, not duplicated.
        #expect(second.results.header == (try Sheet(sheet)).header + RowResult.columnNames)
    }
}
