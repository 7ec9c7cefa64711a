import BulkRunner
import CatalogModels
import Testing

@Suite("RunOptions")
struct RunOptionsTests {
    @Test func defaultsAreThePublishedQuotas() {
        let options = RunOptions()
        #expect(options.rate(of: .startChangeSet) == 5)
        #expect(options.rate(of: .describeChangeSet) == 10)
        #expect(options.rate(of: .listChangeSets) == 5)
        #expect(options.rate(of: .listEntities) == 10)
        #expect(options.rate(of: .describeEntity) == 20)
        #expect(options.maxOpenChangeSets == 250)
        #expect(options.maxOffersInFlight == 20)
    }

    @Test func ratesAreSetFromTheCommandLine() throws {
        var options = RunOptions()
        try options.setRate("StartChangeSet=3")
        try options.setRate("describechangeset = 2.5")
        #expect(options.rate(of: .startChangeSet) == 3)
        #expect(options.rate(of: .describeChangeSet) == 2.5)
        #expect(throws: BulkRunnerError.self) { try options.setRate("StartChangeSet=6") }
        #expect(throws: BulkRunnerError.self) { try options.setRate("StartChangeSet=0") }
        #expect(throws: BulkRunnerError.self) { try options.setRate("Nope=1") }
        #expect(throws: BulkRunnerError.self) { try options.setRate("StartChangeSet") }
    }

    @Test func outOfRangeOptionsAreRefused() {
        #expect(throws: BulkRunnerError.self) { try RunOptions(maxOpenChangeSets: 251).validate() }
        #expect(throws: BulkRunnerError.self) { try RunOptions(maxAttempts: 0).validate() }
        #expect(throws: BulkRunnerError.self) { try RunOptions(waitTimeout: -1).validate() }
        #expect(throws: Never.self) { try RunOptions().validate() }
    }

    @Test func theSummaryReadsAsASentence() {
        let summary = RunSummary(total: 400, succeeded: 398, failed: 2, invalid: 0, pending: 0, cancelled: 0, skipped: 0,
                                 topErrors: [.init(code: "INVALID_RESELLER_ACCOUNT", rows: 2)], changeSetsAccepted: 81,
                                 splits: 1, resubmissions: 0, existingEntities: 0, throttles: 0, elapsed: 80,
                                 stopReason: .completed)
        #expect(summary.description == "400 rows: 398 SUCCEEDED, 2 FAILED (INVALID_RESELLER_ACCOUNT 2)")
        #expect(!summary.allDone)
    }
}
