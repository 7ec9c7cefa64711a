import BulkRunner
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing
import TestSupport

@Suite("Results file: every row, fed back in")
struct ResultsFileTests {
    @Test func theResultsFileHoldsEveryRowInInputOrder() async throws {
        let world = try await RunWorld()
        var rows = world.rows(6)
        rows[1].reseller = "12345" // INVALID: not 12 digits
        rows[4].reseller = "900000000004" // FAILED while processed
        let plan = try world.plan(rows)
        let report = try await world.run(plan)
        #expect(report.summary.total == 6)
        #expect(report.summary.succeeded == 4)
        #expect(report.summary.invalid == 1)
        #expect(report.summary.failed == 1)
        #expect(report.summary.topErrors.contains { $0.code == "INVALID_RESELLER_ACCOUNT" && $0.rows == 1 })
        #expect(!report.summary.allDone)
        let output = world.directory.path("results.csv")
        #expect(try plan.writeRunResults(report, to: output) == 6)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        #expect(lines[2].contains("INVALID"))
        #expect(lines[5].contains("FAILED") && lines[5].contains("INVALID_RESELLER_ACCOUNT"))
        for i in [1, 3, 4, 6] { #expect(lines[i].contains(",SUCCEEDED,")) }
    }

    @Test func aFedBackRowWhoseEntityExistsIsNotCreatedAgain() async throws {
        let world = try await RunWorld()
        let plan = try world.plan(world.rows(3))
        let first = try await world.run(plan)
        #expect(first.summary.succeeded == 3)
        let output = world.directory.path("results.csv")
        try plan.writeRunResults(first, to: output)
        // Pretend row 2's change set FAILED after applying its create (the service does not
        // promise a rollback): mark it FAILED in the results file and feed the file back in.
        var text = try String(contentsOf: output, encoding: .utf8)
        let existing = try #require(first.result(for: 2).entityId)
        text = text.replacingOccurrences(of: "Partner 2,100.00,\(world.dimension),SUCCEEDED", with: "Partner 2,100.00,\(world.dimension),FAILED")
        let again = world.directory.path("again.csv")
        try text.write(to: again, atomically: true, encoding: .utf8)
        let template = try BuiltInTemplate.named("grant-draft")!.template()
        let replanned = try Planner.analyze(input: again, template: template,
                                            options: PlanOptions(today: world.clock.now(), skipRowsWithOutcomes: [.succeeded, .skipped]),
                                            runIdentity: try RunIdentity("second-run"))
        let events = EventLog()
        let second = try await world.run(replanned, events: events)
        #expect(second.summary.skipped == 2)
        #expect(second.summary.succeeded == 1, "\(second.summary) \(second.results)")
        #expect(second.result(for: 2).entityId == existing)
        #expect(events.notices.contains { $0.kind == .existingEntity })
        #expect(Set((await world.authorizationCounts()).values) == [1])
    }
}

extension ResultsFileTests {
    /// A process killed while writing leaves `.NAME.bulkrunner-PID-N.tmp`; the next write removes it,
    /// never a temporary of a process still running, nor another file's.
    @Test func writingTheResultsRemovesTemporariesOfKilledProcesses() async throws {
        let world = try await RunWorld()
        let plan = try world.plan(world.rows(2))
        let report = try await world.run(plan)
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/sh")
        dead.arguments = ["-c", "exit 0"]
        try dead.run()
        dead.waitUntilExit()
        let gone = dead.processIdentifier, alive = getpid()
        let names = [".results.csv.bulkrunner-\(gone)-17.tmp",                      // killed while writing
                     "..results.csv.bulkrunner-\(gone)-1.tmp.bulkrunner-\(gone)-2.tmp", // killed while refreshing
                     ".results.csv.bulkrunner-\(alive)-3.tmp",                      // being written now
                     ".results.csv.old.bulkrunner-\(gone)-4.tmp",                   // another file's
                     ".results.csv.tmp"]                                            // not ours
        for name in names { try "x".write(to: world.directory.path(name), atomically: false, encoding: .utf8) }
        try plan.writeRunResults(report, to: world.directory.path("results.csv"))
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: world.directory.url.path))
        #expect(!left.contains(names[0]) && !left.contains(names[1]), "\(left)")
        #expect(left.isSuperset(of: names[2...]), "\(left)")
        #expect(left.contains("results.csv"))
    }
}

extension ResultsFileTests {
    /// Excel's trailing `,,,,` lines are nothing to do: SKIPPED with a word, not INVALID.
    @Test func blankRowsAreSkippedNotInvalid() async throws {
        let world = try await RunWorld()
        let url = world.directory.path("blank.csv")
        try "RESELLER_ACCOUNT_ID,PRODUCT_ID,NAME,PRICE,DIMENSION_KEY\r\n100000000001,\(world.product),A,10,\(world.dimension)\r\n,,,,\r\n , ,,,\r\n"
            .write(to: url, atomically: true, encoding: .utf8)
        let plan = try Planner.analyze(input: url, template: try BuiltInTemplate.named("grant-draft")!.template(),
                                       options: PlanOptions(today: world.clock.now()), runIdentity: try RunIdentity("blank"))
        #expect(plan.summary.invalidRows == 0 && plan.summary.skippedRows == 2 && plan.summary.plannedRows == 1, "\(plan.summary)")
        let report = try await world.run(plan)
        let output = world.directory.path("blank.results.csv")
        try plan.writeRunResults(report, to: output)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\r\n")
        #expect(lines[2].contains("SKIPPED") && lines[2].contains("empty row"), "\(lines)")
        #expect(report.summary.allDone)
    }
}
