@testable import BulkRunner
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing
import TestSupport

@Suite("Crash, kill, rerun: no duplicate, no lost row")
struct ResumeTests {
    /// Rows that exercise every path: a refusal at submission (cut in halves), a failure while
    /// processed (isolated, neighbours resent after their creates are looked up), and a
    /// partially applied failed set.
    static func mixedRows(_ world: RunWorld) -> [GrantRow] {
        var rows = world.rows(8)
        rows[2].reseller = "900000000002"
        rows[6].product = "prod-doesnotexist00"
        return rows
    }

    static func makeWorld() async throws -> RunWorld {
        try await RunWorld(seed: 11, faults: FaultPlan(partialApplyOnFailure: true))
    }

    /// Outcome and whether an entity id is known, per row.
    static func fingerprint(_ report: RunReport) -> [Int: String] {
        report.results.mapValues { "\($0.outcome.rawValue) \($0.entityId == nil ? "-" : "id") \($0.errorCode ?? "")" }
    }

    @Test func aCrashAtEveryJournalStepResumesToTheSameOutcome() async throws {
        let reference = try await Self.makeWorld()
        let referenceJournal = MemoryJournal()
        let referencePlan = try reference.plan(Self.mixedRows(reference))
        let expected = try await reference.run(referencePlan, journal: referenceJournal)
        let expectedCounts = await reference.authorizationCounts()
        #expect(expected.summary.succeeded == 6)
        #expect(expected.summary.failed == 2)
        let steps = referenceJournal.records.count
        #expect(steps > 20)

        for k in 0..<steps {
            let world = try await Self.makeWorld()
            let plan = try world.plan(Self.mixedRows(world))
            let journal = MemoryJournal(crashAfter: k)
            await #expect(throws: BulkRunnerError.self, "crash after \(k) records") {
                _ = try await world.run(plan, journal: journal)
            }
            #expect(journal.records.count == k)
            journal.crash(after: nil)
            let resumed = try await world.run(plan, journal: journal)
            #expect(Self.fingerprint(resumed) == Self.fingerprint(expected), "crash after record \(k): \(resumed.summary)")
            let counts = await world.authorizationCounts()
            #expect(counts == expectedCounts, "crash after record \(k): entities \(counts)")
            // Running it a third time sends nothing new.
            let before = await world.emulator.statistics()[.startChangeSet].calls
            let again = try await world.run(plan, journal: journal)
            #expect(Self.fingerprint(again) == Self.fingerprint(expected))
            #expect(await world.emulator.statistics()[.startChangeSet].calls == before, "crash after record \(k): a finished run sent again")
        }
    }

    @Test func aLostAcknowledgementIsAnsweredWithTheOriginalChangeSet() async throws {
        let world = try await RunWorld()
        let plan = try world.plan(world.rows(3))
        let transport = CallTap(world.emulator, clock: world.clock, loseStartResponses: [1])
        let report = try await world.run(plan, api: transport)
        #expect(report.summary.succeeded == 3)
        #expect(transport.count(.startChangeSet) == 2)
        #expect(await world.emulator.statistics().changeSetsByStatus["SUCCEEDED"] == 1)
        #expect(Set((await world.authorizationCounts()).values) == [1])
    }

    @Test func aChangedInputIsAStopNotASilentResend() async throws {
        let world = try await RunWorld()
        let journal = MemoryJournal(crashAfter: 4)
        let plan = try world.plan(world.rows(6))
        await #expect(throws: BulkRunnerError.self) { _ = try await world.run(plan, journal: journal) }
        journal.crash(after: nil)
        var changed = world.rows(6)
        changed[0].price = "250.00"
        let replanned = try world.plan(changed)
        let before = await world.emulator.statistics()[.startChangeSet].calls
        do {
            _ = try await world.run(replanned, journal: journal)
            Issue.record("a changed input must stop the run")
        } catch let error as BulkRunnerError {
            #expect(error.code == .inputChanged)
            #expect(error.description.contains("row 1"), "\(error)")
        }
        #expect(await world.emulator.statistics()[.startChangeSet].calls == before)
    }

    @Test func aJournalOfAnotherRunIsRefused() async throws {
        let world = try await RunWorld()
        let journal = MemoryJournal()
        _ = try await world.run(try world.plan(world.rows(2)), journal: journal)
        let other = try world.plan(world.rows(2), identity: "another-run", file: "other.csv")
        await #expect(throws: BulkRunnerError.self) { _ = try await world.run(other, journal: journal) }
    }

    @Test func theFileJournalResumesAfterAKill() async throws {
        let world = try await RunWorld()
        let plan = try world.plan(world.rows(10), rowsPerChangeSet: 2)
        let output = world.directory.path("results.csv")
        let control = RunControl()
        let events = EventLog()
        // Abort (second Ctrl-C) as soon as two sets are accepted.
        let watcher = world.interrupt(control, abort: true, whenAccepted: 2, in: events)
        let first = try await world.run(plan, journal: FileJournal(besideResults: output), control: control, events: events)
        watcher.cancel()
        #expect(first.summary.stopReason == .aborted)
        #expect(first.summary.pending > 0)
        try plan.writeRunResults(first, to: output)
        let second = try await world.run(plan, journal: FileJournal(besideResults: output))
        #expect(second.summary.succeeded == 10, "\(second.summary)")
        try plan.writeRunResults(second, to: output)
        let text = try String(contentsOf: output, encoding: .utf8)
        #expect(text.hasPrefix("RESELLER_ACCOUNT_ID,PRODUCT_ID,NAME,PRICE,DIMENSION_KEY,Outcome,ChangeSetId,ChangeSetArn,ChangeSetStatus,EntityId,FailureCode,ErrorCode,ErrorMessage,Attempts"))
        #expect(text.components(separatedBy: "SUCCEEDED").count - 1 >= 10)
        #expect(Set((await world.authorizationCounts()).values) == [1])
        #expect(await world.authorizationCounts().count == 10)
    }
}

extension ResumeTests {
    /// A rerun right after a kill cannot see the killed process's last calls, which still count in
    /// the service's one-second window: it waits one window before its first call.
    @Test func aRerunRightAfterAKillStaysWithinTheQuota() async throws {
        let world = try await RunWorld()
        let plan = try world.plan(world.rows(40), rowsPerChangeSet: 1)
        let journal = MemoryJournal()
        let control = RunControl()
        let events = EventLog()
        // Abort (as a kill would) while StartChangeSet goes out at the full quota.
        let watcher = world.interrupt(control, abort: true, whenAccepted: 8, in: events, every: 0.05)
        let first = try await world.run(plan, journal: journal, control: control, events: events)
        watcher.cancel()
        #expect(first.summary.stopReason == .aborted)
        // The same instant: the rerun resumes at once.
        let second = try await world.run(plan, journal: journal)
        #expect(second.summary.succeeded == 40, "\(second.summary)")
        let stats = await world.emulator.statistics()
        #expect(stats.quotasRespected, "StartChangeSet peak \(stats[.startChangeSet].peakCallsInAnyWindow) in one window")
        #expect(stats[.startChangeSet].peakCallsInAnyWindow <= 5)
        #expect(Set((await world.authorizationCounts()).values) == [1])
    }
}
