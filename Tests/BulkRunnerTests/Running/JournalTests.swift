@testable import BulkRunner
import CatalogModels
import Foundation
import Testing
import TestSupport

@Suite("Journal: JSON lines, fsync, torn last line")
struct JournalTests {
    static let records: [JournalRecord] = [
        .run(identity: "r1", startedAt: Date(timeIntervalSince1970: 1_893_456_000)),
        .send(token: "T1", sequence: 1, name: "bulkrunner r1 000001", rows: [0, 1], hash: "abc", at: Date(timeIntervalSince1970: 1_893_456_001.5)),
        .accepted(token: "T1", changeSetId: "cs-1", changeSetArn: "arn:x", viaHistory: false, at: Date(timeIntervalSince1970: 1_893_456_002)),
        .status(token: "T1", status: "APPLYING"),
        .final(token: "T1", status: "FAILED", failureCode: "CLIENT_ERROR", description: "one bad"),
        .rows(token: "T1", results: [.init(row: 1, result: RowResult(outcome: .failed, changeSetId: "cs-1", errorCode: "INVALID_RESELLER_ACCOUNT", errorMessage: "bad, \"quoted\"\nnew line", attempts: 1))]),
        .children(parent: "T1", reason: .isolate, sets: [.init(token: "T2", rows: [0], check: [0], adapt: [AdaptedCreate(row: 0, changeIndex: 0, entityId: "resaleauthz-1")])]),
        .refused(token: "T3", code: "ValidationException", message: "nope"),
        .parked(token: "T4", code: "NetworkTimeout", message: "gone"),
    ]

    @Test func everyRecordRoundTrips() throws {
        for record in Self.records {
            let line = record.line
            #expect(line.hasSuffix("\n"))
            #expect(!line.dropLast().contains("\n"))
            let parsed = JournalRecord(json: try JSONValue(parsing: String(line.dropLast())))
            #expect(parsed == record)
        }
    }

    @Test func appendsAndLoadsAFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let journal = FileJournal(besideResults: dir.path("results.csv"))
        #expect(journal.url.lastPathComponent == "results.csv.journal")
        for record in Self.records { try journal.append(record) }
        journal.close()
        #expect(try FileJournal(url: journal.url).load() == Self.records)
    }

    @Test func aTornLastLineIsIgnoredAndCutOff() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let url = dir.path("results.csv.journal")
        var text = Self.records.prefix(3).map(\.line).joined()
        let full = Self.records[3].line
        text += full.prefix(full.count / 2)
        try text.write(to: url, atomically: true, encoding: .utf8)
        let journal = FileJournal(url: url)
        #expect(try journal.load() == Array(Self.records.prefix(3)))
        // The torn bytes are gone: the next record starts on its own line.
        try journal.append(Self.records[3])
        journal.close()
        #expect(try FileJournal(url: url).load() == Array(Self.records.prefix(4)))
    }

    @Test func aCompleteButUnreadableLastLineIsTornToo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let url = dir.path("j")
        try (Self.records[0].line + "{\"k\":\"send\",\"t\n").write(to: url, atomically: true, encoding: .utf8)
        #expect(try FileJournal(url: url).load() == [Self.records[0]])
    }

    @Test func aBadLineInTheMiddleIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let url = dir.path("j")
        try (Self.records[0].line + "garbage\n" + Self.records[1].line).write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: BulkRunnerError.self) { try FileJournal(url: url).load() }
    }

    @Test func theMemoryJournalCrashesWhereItIsTold() throws {
        let journal = MemoryJournal(crashAfter: 2)
        try journal.append(Self.records[0])
        try journal.append(Self.records[1])
        #expect(throws: BulkRunnerError.self) { try journal.append(Self.records[2]) }
        #expect(journal.records.count == 2)
    }
}
