import CSVKit
import Foundation
import TestSupport
import Testing

@testable import BulkRunner

/// The results file: every row in order, input columns unchanged, outcome columns replaced
/// not duplicated, formula-safe, atomic, never over the input.
@Suite struct ResultsWriterTests {
    @Test func everyRowInOrderWithItsCellsThenTheOutcomeColumns() throws {
        let workspace = try Workspace()
        let input = try workspace.write("in.csv", "Name,Account,Note\r\nA,012345678901,\"multi\nline, with comma\"\r\nB,012345678902,\r\n")
        let output = workspace.url.appendingPathComponent("out.csv")
        let count = try ResultsWriter(input: input, output: output).write { row in
            RowResult(outcome: row.rowIndex == 0 ? .planned : .invalid, errorCode: row.rowIndex == 0 ? nil : "X",
                      errorMessage: row.rowIndex == 0 ? nil : "line \(row.record.line)")
        }
        #expect(count == 2)
        let text = try workspace.read("out.csv")
        #expect(text == "Name,Account,Note,Outcome,ChangeSetId,ChangeSetArn,ChangeSetStatus,EntityId,FailureCode,ErrorCode,ErrorMessage,Attempts\r\n"
                + "A,012345678901,\"multi\nline, with comma\",PLANNED,,,,,,,,0\r\n"
                + "B,012345678902,,INVALID,,,,,,X,line 4,0\r\n")
    }

    @Test func earlierOutcomeColumnsAreReplacedAndOfferedAsPrevious() throws {
        let workspace = try Workspace()
        let input = try workspace.write("in.csv", """
        Name,outcome,Change Set Id,ErrorMessage,Note,EntityId,Attempts
        A,SUCCEEDED,cs-1,,keep,resaleauthz-a1,1
        B,FAILED,cs-2,bad,keep2,,3

        """)
        let output = workspace.url.appendingPathComponent("out.csv")
        var previous: [RowResult?] = []
        try ResultsWriter(input: input, output: output).write { row in
            previous.append(row.previous)
            return RowResult(outcome: .skipped, entityId: row.previous?.entityId)
        }
        #expect(previous[0] == RowResult(outcome: .succeeded, changeSetId: "cs-1", entityId: "resaleauthz-a1", attempts: 1))
        #expect(previous[1]?.outcome == .failed && previous[1]?.errorMessage == "bad" && previous[1]?.attempts == 3)
        let reader = try CSVReader(path: output.path)
        #expect(reader.header?.names == ["Name", "Note"] + RowResult.columnNames)
        let first = try #require(try reader.next())
        #expect(first.fields == ["A", "keep", "SKIPPED", "", "", "", "resaleauthz-a1", "", "", "", "0"])
    }

    @Test func cellsThatLookLikeFormulasAreNeutralised() throws {
        let workspace = try Workspace()
        let input = try workspace.write("in.csv", "Name,Price\n\"=HYPERLINK(\"\"http://evil\"\")\",-12.5\n@SUM(A1),+1\n")
        let output = workspace.url.appendingPathComponent("out.csv")
        try ResultsWriter(input: input, output: output).write { _ in RowResult(outcome: .invalid, errorMessage: "=1+1") }
        let rows = try CSVReader(path: output.path).readAll()
        #expect(rows[0].fields[0] == "'=HYPERLINK(\"http://evil\")")
        #expect(rows[0].fields[1] == "-12.5")
        #expect(rows[1].fields[0] == "'@SUM(A1)")
        #expect(rows[1].fields[1] == "+1")
        #expect(rows[0].fields.last == "0" && rows[0].fields[rows[0].fields.count - 2] == "'=1+1")
    }

    @Test func theInputsDialectIsKept() throws {
        let workspace = try Workspace()
        let input = try workspace.write("in.csv", "\u{FEFF}Name;Price\nA;1,50\n")
        let output = workspace.url.appendingPathComponent("out.csv")
        try ResultsWriter(input: input, output: output).write { _ in RowResult(outcome: .planned) }
        let bytes = try Data(contentsOf: output)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == "Name;Price;Outcome;ChangeSetId;ChangeSetArn;ChangeSetStatus;EntityId;FailureCode;ErrorCode;ErrorMessage;Attempts\nA;1,50;PLANNED;;;;;;;;0\n")
    }

    @Test func aNonUTF8InputGetsUTF8ResultsWithAByteOrderMark() throws {
        let workspace = try Workspace()
        // Windows-1252 (Excel's plain "CSV"), ';' and CRLF: "Société;1,50" with é = 0xE9.
        let legacy = workspace.url.appendingPathComponent("legacy.csv")
        try Data([0x4E, 0x61, 0x6D, 0x65, 0x3B, 0x50, 0x72, 0x69, 0x63, 0x65, 0x0D, 0x0A, 0x53, 0x6F, 0x63, 0x69, 0xE9, 0x74, 0xE9,
                  0x3B, 0x31, 0x2C, 0x35, 0x30, 0x0D, 0x0A]).write(to: legacy)
        // UTF-16LE without a byte order mark, tab-separated, LF.
        let utf16 = workspace.url.appendingPathComponent("utf16.txt")
        try Data("Name\tPrice\nÅlborg\t2\n".data(using: .utf16LittleEndian)!).write(to: utf16)
        let cases: [(URL, CSVEncoding, String)] = [
            (legacy, .windows1252, "Name;Price;Outcome;ChangeSetId;ChangeSetArn;ChangeSetStatus;EntityId;FailureCode;ErrorCode;ErrorMessage;Attempts\r\nSociété;1,50;PLANNED;;;;;;;;0\r\n"),
            (utf16, .utf16LittleEndian, "Name\tPrice\tOutcome\tChangeSetId\tChangeSetArn\tChangeSetStatus\tEntityId\tFailureCode\tErrorCode\tErrorMessage\tAttempts\nÅlborg\t2\tPLANNED\t\t\t\t\t\t\t\t0\n"),
        ]
        for (input, encoding, expected) in cases {
            let output = workspace.url.appendingPathComponent("out-" + input.lastPathComponent)
            try ResultsWriter(input: input, output: output, readerOptions: CSVReader.Options(encoding: encoding))
                .write { _ in RowResult(outcome: .planned) }
            let bytes = try Data(contentsOf: output)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "\(encoding): UTF-8 with a byte order mark, so Excel reads it as UTF-8")
            #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == expected, "\(encoding): same delimiter and record ends")
        }
        // Plain UTF-8 without a mark stays without one.
        let plain = try workspace.write("plain.csv", "Name\nA\n")
        let output = workspace.url.appendingPathComponent("plain.results.csv")
        try ResultsWriter(input: plain, output: output).write { _ in RowResult(outcome: .planned) }
        #expect(try Data(contentsOf: output).first == UInt8(ascii: "N"))
    }

    @Test func theInputIsNeverOverwritten() throws {
        let workspace = try Workspace()
        let input = try workspace.write("in.csv", "Name\nA\n")
        let link = workspace.url.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: input)
        let hard = workspace.url.appendingPathComponent("hard.csv")
        try FileManager.default.linkItem(at: input, to: hard)
        let sneaky = workspace.url.appendingPathComponent("sub/../in.csv")
        for output in [input, link, hard, sneaky] {
            let error = #expect(throws: BulkRunnerError.self) {
                try ResultsWriter(input: input, output: output).write { _ in RowResult(outcome: .planned) }
            }
            #expect(error?.code == .wouldOverwriteInput, "\(output.path)")
            #expect(error?.hint.contains("in.results.csv") == true)
        }
        #expect(try workspace.read("in.csv") == "Name\nA\n")
    }

    @Test func writingIsAtomic() throws {
        let workspace = try Workspace()
        let input = try workspace.write("in.csv", "Name\nA\nB\nC\n")
        let output = try workspace.write("out.csv", "the old results\n")
        let error = #expect(throws: BulkRunnerError.self) {
            try ResultsWriter(input: input, output: output).write { (row: ResultsWriter.Row) throws(BulkRunnerError) -> RowResult in
                if row.rowIndex == 2 { throw BulkRunnerError(code: .inputChanged, reason: "stop") }
                return RowResult(outcome: .planned)
            }
        }
        #expect(error?.code == .inputChanged)
        // The old file is untouched and no temporary file is left behind.
        #expect(try workspace.read("out.csv") == "the old results\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).sorted() == ["in.csv", "out.csv"])
        // A malformed input stops it too, before the output is touched.
        let broken = try workspace.write("broken.csv", "Name,Other\nA,1\n\"unterminated\n")
        let malformed = #expect(throws: BulkRunnerError.self) {
            try ResultsWriter(input: broken, output: output).write { _ in RowResult(outcome: .planned) }
        }
        #expect(malformed?.code == .malformedInput)
        #expect(malformed?.line == 3)
        #expect(try workspace.read("out.csv") == "the old results\n")
    }

    @Test func resultsRoundTripThroughTheirColumns() {
        let result = RowResult(outcome: .failed, changeSetId: "cs-1", changeSetArn: "arn:aws:aws-marketplace:us-east-1:1:AWSMarketplace/ChangeSet/cs-1",
                               changeSetStatus: "FAILED", entityId: nil, failureCode: "CLIENT_ERROR", errorCode: "INVALID_RESELLER_ACCOUNT",
                               errorMessage: "no, \"really\"", attempts: 2)
        #expect(RowResult(cells: Dictionary(uniqueKeysWithValues: zip(RowResult.columnNames, result.cells))) == result)
        #expect(RowResult(cells: ["Outcome": "bogus"]) == nil)
        #expect(RowOutcome(cell: " succeeded ") == .succeeded)
        #expect(RowOutcome.allCases.map(\.rawValue) == ["SUCCEEDED", "FAILED", "INVALID", "PENDING", "CANCELLED", "SKIPPED", "PLANNED", "STALE", "NOT_SENT"])
        #expect(RowOutcome(cell: "not_sent") == .notSent && !RowOutcome.notSent.isDone)
        #expect(RowResult.isResultColumn("change_set_id") && !RowResult.isResultColumn("Name"))
    }
}

@Suite("Results files fed back")
struct ResultsFeedbackTests {
    @Test func formulaGuardedCellsRenderAsTheOriginalValues() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = dir.path("in.csv")
        try Data("""
            RESALE_AUTHORIZATION_ID,NOTE
            resaleauthz-1111111111111,+1 555 0100
            resaleauthz-2222222222222,- keep
            """.utf8).write(to: input)
        let template = try Template(json: """
            {"Catalog":"AWSMarketplace","ChangeSet":[{"ChangeType":"UpdateInformation",
             "Entity":{"Type":"ResaleAuthorization@1.0","Identifier":"{{RESALE_AUTHORIZATION_ID}}"},
             "DetailsDocument":{"Description":"{{NOTE}}"}}]}
            """, file: "t.json")
        let options = PlanOptions(today: Date(timeIntervalSince1970: 1_800_000_000))
        let identity = RunIdentity.derived(from: "feedback")
        let first = try Planner.analyze(input: input, template: template, options: options, runIdentity: identity)
        let results = dir.path("in.results.csv")
        try first.writeDryRunResults(to: results)
        let written = String(decoding: try Data(contentsOf: results), as: UTF8.self)
        #expect(written.contains("'+1 555 0100"), "the results file is spreadsheet-safe")
        // Fed back in, the cells are the original values again: same requests, same tokens.
        let again = try Planner.analyze(input: results, template: template, options: options, runIdentity: identity)
        let a = try first.changeSets(), b = try again.changeSets()
        while let x = try a.next() {
            let y = try #require(try b.next())
            #expect(x.request == y.request)
        }
    }
}
