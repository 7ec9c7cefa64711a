import CSVKit
import CatalogModels
import Foundation
import Testing

@testable import BulkRunner

/// `bulkrunner run … --dry-run`: plan files, results, exit statuses, nothing left behind on errors.
@Suite struct DryRunTests {
    static let header = ["Reseller Account Id", "Product Id", "Name", "Dimension Key", "Price", "Expiry Date"]

    @Test func writesEachChangeSetAndTheResults() throws {
        let workspace = try Workspace()
        let input = try workspace.csv("partners.csv", Self.header, [
            ["012345678901", "prod-abc123", "Acme", "Users", "10", "2026-12-31"],
            ["12345678902", "prod-abc123", "Bad", "Users", "10", ""],
            ["012345678903", "prod-abc123", "Beta", "Users", "11", ""],
            ["012345678904", "prod-abc123", "Gamma", "Users", "12", ""],
            ["012345678905", "prod-abc123", "Delta", "Users", "13", ""],
            ["012345678906", "prod-abc123", "Eps", "Users", "14", ""],
        ])
        let planDirectory = workspace.url.appendingPathComponent("plan")
        try FileManager.default.createDirectory(at: planDirectory, withIntermediateDirectories: true)
        try Data("stale".utf8).write(to: planDirectory.appendingPathComponent("changeset-000009.json"))
        try Data("mine".utf8).write(to: planDirectory.appendingPathComponent("notes.txt"))
        let results = workspace.url.appendingPathComponent("partners.results.csv")
        let summary = try DryRun.plan(input: input, template: try Template.load("grant"), options: testOptions(),
                                      runIdentity: try RunIdentity("dry1"), output: .directory(planDirectory), results: results)
        #expect(summary.rows == 6 && summary.plannedRows == 5 && summary.invalidRows == 1)
        #expect(summary.changeSets == 2 && summary.changes == 21)
        #expect(summary.exitStatus == 1)
        #expect(summary.text == "6 rows: 5 planned in 2 change sets (21 changes, 1 wave), 1 INVALID")
        let files = try FileManager.default.contentsOfDirectory(atPath: planDirectory.path).sorted()
        #expect(files == ["changeset-000001.json", "changeset-000002.json", "changesets.csv", "notes.txt"])
        let body = try json(String(contentsOf: planDirectory.appendingPathComponent("changeset-000001.json"), encoding: .utf8))
        #expect(body["ChangeSetName"] == "bulkrunner dry1 000001")
        #expect(body["ChangeSet"]?.arrayValue?.count == 17)
        let index = try CSVReader(path: planDirectory.appendingPathComponent("changesets.csv").path).readAll()
        #expect(index.map { $0["Lines"] } == ["2 4 5 6", "7"])
        #expect(index[0]["ClientRequestToken"] == body["ClientRequestToken"]?.stringValue)
        let rows = try CSVReader(path: results.path).readAll()
        #expect(rows.map { $0["Outcome"] } == ["PLANNED", "INVALID", "PLANNED", "PLANNED", "PLANNED", "PLANNED"])
        #expect(rows[1]["ErrorMessage"]?.contains("enter 012345678902") == true)
        #expect(rows[0]["Reseller Account Id"] == "012345678901")
    }

    @Test func aHandlerReceivesEachSetForStandardOutput() throws {
        let workspace = try Workspace()
        let input = try workspace.csv("in.csv", ["RESALE_AUTHORIZATION_ID"], (0..<45).map { ["resaleauthz-a\($0)"] })
        var printed: [String] = []
        let summary = try DryRun.plan(input: input, template: try Template.load("restrict"), options: testOptions(),
                                      runIdentity: try RunIdentity("r"), output: .handler { printed.append($0.prettyJSON) }, results: nil)
        #expect(summary.exitStatus == 0)
        #expect(printed.count == 3)
        #expect(try json(printed[2])["ChangeSet"]?.arrayValue?.count == 5)
    }

    @Test func malformedInputLeavesNoOutputBehind() throws {
        let workspace = try Workspace()
        let input = try workspace.write("in.csv", "RESALE_AUTHORIZATION_ID,Note\nresaleauthz-a1,x\nresaleauthz-a2,\"oops\n")
        let planDirectory = workspace.url.appendingPathComponent("plan")
        let results = workspace.url.appendingPathComponent("results.csv")
        let error = #expect(throws: BulkRunnerError.self) {
            try DryRun.plan(input: input, template: try Template.load("restrict"), options: testOptions(),
                            runIdentity: try RunIdentity("r"), output: .directory(planDirectory), results: results)
        }
        #expect(error?.code == .malformedInput)
        #expect(error?.exitStatus == 65)
        #expect(error?.file == input.path && error?.line == 3)
        #expect(!FileManager.default.fileExists(atPath: planDirectory.path))
        #expect(!FileManager.default.fileExists(atPath: results.path))
        let empty = try workspace.write("empty.csv", "")
        let noHeader = #expect(throws: BulkRunnerError.self) {
            try Planner.analyze(input: empty, template: try Template.load("restrict"), options: testOptions(), runIdentity: try RunIdentity("r"))
        }
        #expect(noHeader?.reason.contains("no header row") == true)
        let missing = #expect(throws: BulkRunnerError.self) {
            try Planner.analyze(input: workspace.url.appendingPathComponent("nope.csv"), template: try Template.load("restrict"),
                                options: testOptions(), runIdentity: try RunIdentity("r"))
        }
        #expect(missing?.code == .cannotRead && missing?.exitStatus == 66)
    }

    @Test func theResultsFileMayNotBeTheInput() throws {
        let workspace = try Workspace()
        let input = try workspace.csv("in.csv", ["RESALE_AUTHORIZATION_ID"], [["resaleauthz-a1"]])
        let error = #expect(throws: BulkRunnerError.self) {
            try DryRun.plan(input: input, template: try Template.load("restrict"), options: testOptions(),
                            runIdentity: try RunIdentity("r"), output: .none, results: input)
        }
        #expect(error?.code == .wouldOverwriteInput)
        #expect(try workspace.read("in.csv") == "RESALE_AUTHORIZATION_ID\nresaleauthz-a1\n")
    }

    @Test func rowsThatAlreadySucceededAreSkippedKeepingTheirResults() throws {
        let workspace = try Workspace()
        let input = try workspace.csv("in.csv", ["RESALE_AUTHORIZATION_ID"] + RowResult.columnNames, [
            ["resaleauthz-a1", "SUCCEEDED", "cs-1", "arn:1", "SUCCEEDED", "resaleauthz-a1", "", "", "", "1"],
            ["resaleauthz-a2", "FAILED", "cs-2", "arn:2", "FAILED", "", "CLIENT_ERROR", "INCOMPATIBLE_STATUS", "no", "1"],
        ])
        let results = workspace.url.appendingPathComponent("out.csv")
        let summary = try DryRun.plan(input: input, template: try Template.load("restrict"),
                                      options: testOptions(skip: [.succeeded, .skipped]), runIdentity: try RunIdentity("r"),
                                      output: .none, results: results)
        #expect(summary.skippedRows == 1 && summary.plannedRows == 1 && summary.exitStatus == 0)
        let rows = try CSVReader(path: results.path).readAll()
        #expect(rows[0].fields == ["resaleauthz-a1", "SKIPPED", "cs-1", "arn:1", "SUCCEEDED", "resaleauthz-a1", "", "", "already SUCCEEDED in an earlier run", "1"])
        #expect(rows[1].fields == ["resaleauthz-a2", "PLANNED", "", "", "", "", "", "", "", "0"])
        #expect(rows[0].header?.names.count == 10, "outcome columns replaced, not duplicated")
    }

    @Test func aFileChangedBetweenPassesIsDetected() throws {
        let workspace = try Workspace()
        let input = try workspace.csv("in.csv", ["RESALE_AUTHORIZATION_ID"], [["resaleauthz-a1"], ["resaleauthz-a2"]])
        let plan = try Planner.analyze(input: input, template: try Template.load("restrict"), options: testOptions(),
                                       runIdentity: try RunIdentity("r"))
        try workspace.csv("in.csv", ["RESALE_AUTHORIZATION_ID"], [["resaleauthz-a1"], ["resaleauthz-a3"]])
        let error = #expect(throws: BulkRunnerError.self) {
            let sets = try plan.changeSets()
            while try sets.next() != nil {}
        }
        #expect(error?.code == .inputChanged)
        try workspace.csv("in.csv", ["RESALE_AUTHORIZATION_ID"], [["resaleauthz-a1"], ["resaleauthz-a2"], ["resaleauthz-a4"]])
        let longer = #expect(throws: BulkRunnerError.self) {
            let sets = try plan.changeSets()
            while try sets.next() != nil {}
        }
        #expect(longer?.code == .inputChanged)
        let results = #expect(throws: BulkRunnerError.self) { try plan.writeDryRunResults(to: workspace.url.appendingPathComponent("r.csv")) }
        #expect(results?.code == .inputChanged)
        #expect(!workspace.exists("r.csv"))
    }

    @Test func theAsyncSequenceHandsOutTheSameSets() async throws {
        let workspace = try Workspace()
        let input = try workspace.csv("in.csv", ["RESALE_AUTHORIZATION_ID"], (0..<30).map { ["resaleauthz-a\($0)"] })
        let plan = try Planner.analyze(input: input, template: try Template.load("restrict"), options: testOptions(),
                                       runIdentity: try RunIdentity("r"))
        var tokens: [String] = []
        for try await set in plan.asyncChangeSets { tokens.append(set.clientRequestToken) }
        var expected: [String] = []
        let sets = try plan.changeSets()
        while let set = try sets.next() { expected.append(set.clientRequestToken) }
        #expect(tokens == expected && tokens.count == 2)
        #expect(plan.disposition(ofRow: 25) == .planned(changeSet: 2))
        #expect(plan.disposition(ofRow: 30) == .unknown)
    }
}
