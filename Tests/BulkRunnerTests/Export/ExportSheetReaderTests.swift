import BulkRunner
import CSVKit
import Foundation
import TestSupport
import Testing

@Suite("Reading an export back")
struct ExportSheetReaderTests {
    /// A resale authorization export as a reviewer fills it in.
    private func sheet(_ rows: [[String]], kind: ExportKind = .resaleAuthorizations, delimiter: CSVDelimiter = .comma,
                       bom: Bool = false) throws -> String {
        let writer = CSVWriter(options: CSVWriter.Options(delimiter: delimiter, writesByteOrderMark: bom))
        try writer.write(ExportFormat.header(kind))
        for cells in rows {
            var values = [String: String]()
            for pair in cells {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                values[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            try writer.write(kind.columns.map { ExportFormat.protect(values[$0.name] ?? "", in: $0) })
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private func rows(_ text: String, today: CalendarDay? = nil) throws -> [ExportSheetRow] {
        let reader = try ExportSheetReader(string: text, today: today)
        var rows: [ExportSheetRow] = []
        try reader.forEach { rows.append($0) }
        return rows
    }

    private let base = ["ResaleAuthorizationId=resaleauthz-1", "Status=Active", "LastModifiedDate=2030-01-01T00:00:00Z",
                        "ResellerAccountId=012345678901"]

    @Test func validActionsHaveNoProblems() throws {
        let text = try sheet([
            base + ["Action=RESTRICT"],
            base + ["Action=", "Name=kept"],
            base + ["Action=keep"],
            base + ["Action=extend + rename", "NewAvailabilityEndDate=2031-06-30", "NewName=Renewed"],
            ["ResaleAuthorizationId=resaleauthz-2", "Status=Draft", "LastModifiedDate=2030-01-01T00:00:00Z",
             "Action=REPRICE+SCHEDULE+RETARGET+RELEASE", "NewPrice=t2.small=150;t2.large=300.50",
             "NewPaymentSchedule=total=12000;first=2030-03-01;every=90;count=4", "NewBuyerAccounts=012345678901;123456789012"],
        ])
        let read = try rows(text, today: CalendarDay("2030-01-01"))
        #expect(read.count == 5)
        for row in read { #expect(row.problems.isEmpty, "line \(row.line): \(row.problems)") }
        #expect(read[0].actions == [.restrict])
        #expect(read[1].isKeep && read[2].isKeep)
        #expect(read[1]["name"] == "kept")
        #expect(read[3].actions == [.extend, .rename])
        #expect(read[3].parameter(for: .extend) == "2031-06-30")
        #expect(read[4].actions == [.reprice, .schedule, .retarget, .release])
        #expect(read[4].parameter(for: .retarget) == "012345678901;123456789012")
        #expect(read[0].value(.resellerAccountId) == "012345678901")
        #expect(read[0].lastModifiedDate == "2030-01-01T00:00:00Z")
        #expect(read[0].line == 2)
        if case .valid(let prices) = ExportAction.parsePrices(read[4].parameter(for: .reprice) ?? "") {
            #expect(prices == [ExportAction.PriceChange(dimensionKey: "t2.small", price: "150"),
                               ExportAction.PriceChange(dimensionKey: "t2.large", price: "300.50")])
        } else {
            Issue.record("NewPrice should parse")
        }
    }

    @Test func problemsAreListedOnTheRow() throws {
        let text = try sheet([
            base + ["Action=RESTRCT"],
            ["ResaleAuthorizationId=resaleauthz-3", "Status=Draft", "LastModifiedDate=2030-01-01T00:00:00Z", "Action=RESTRICT"],
            base + ["Action=EXTEND"],
            base + ["Action=EXTEND", "NewAvailabilityEndDate=2029-12-31"],
            base + ["Action=EXTEND", "NewAvailabilityEndDate=12/31/2031"],
            base + ["NewPrice=100"],
            base + ["Action=REPRICE", "NewPrice=$100"],
            ["ResaleAuthorizationId=resaleauthz-4", "Status=Draft", "LastModifiedDate=2030-01-01T00:00:00Z",
             "Action=SCHEDULE", "NewPaymentSchedule=total=100;first=2030-03-01;every=31;count=2"],
            ["ResaleAuthorizationId=resaleauthz-5", "Status=Draft", "LastModifiedDate=2030-01-01T00:00:00Z",
             "Action=RETARGET", "NewBuyerAccounts=12345678901"],
            ["ResaleAuthorizationId=", "Status=Active", "LastModifiedDate=", "Action=RESTRICT"],
        ])
        let read = try rows(text, today: CalendarDay("2030-01-01"))
        func messages(_ index: Int) -> String { read[index].problems.map(\.description).joined(separator: " | ") }
        #expect(messages(0).contains("'RESTRCT' is not an action; did you mean \"RESTRICT\"?"))
        #expect(messages(1).contains("RESTRICT needs Status Active, but it is Draft"))
        #expect(messages(2).contains("NewAvailabilityEndDate is empty"))
        #expect(messages(3).contains("not in the future"))
        #expect(messages(4).contains("not written YYYY-MM-DD"))
        #expect(messages(5).contains("NewPrice is filled in, but Action does not include REPRICE"))
        #expect(messages(6).contains("NewPrice"))
        #expect(messages(7).contains("every: payments can be every 15, 30, 90 or 365 days"))
        #expect(messages(8).contains("11 digits"))
        #expect(messages(9).contains("no ResaleAuthorizationId") && messages(9).contains("LastModifiedDate is empty"))
        #expect(read.allSatisfy { !$0.problems.isEmpty })
    }

    @Test func offerSheetsRejectRestrict() throws {
        let text = try sheet([["OfferId=offer-1", "State=Released", "LastModifiedDate=2030-01-01T00:00:00Z", "Action=RESTRICT"],
                              ["OfferId=offer-2", "State=Released", "LastModifiedDate=2030-01-01T00:00:00Z", "Action=REPRICE", "NewPrice=10"],
                              ["OfferId=offer-3", "State=Draft", "LastModifiedDate=2030-01-01T00:00:00Z", "Action=RELEASE"]],
                             kind: .offers)
        let read = try rows(text)
        #expect(read.map(\.kind) == [.offers, .offers, .offers])
        #expect(read[0].actions.isEmpty && read[0].problems.first?.message.contains("resale authorizations, not offers") == true)
        #expect(read[1].problems.first?.message.contains("REPRICE needs State Draft, but it is Released") == true)
        #expect(read[2].problems.isEmpty && read[2].actions == [.release])
    }

    @Test func whatExcelWritesBackIsRead() throws {
        // Excel in a comma-decimal locale saves with ';', a BOM, CRLF, and either keeps the
        // apostrophe or (taking it as the text marker) writes the bare digits.
        let header = ExportFormat.header(.resaleAuthorizations)
        func line(_ values: [String: String]) -> String {
            header.map { values[$0] ?? "" }.joined(separator: ";")
        }
        let text = "\u{FEFF}" + header.joined(separator: ";") + "\r\n"
            + line(["ResaleAuthorizationId": "resaleauthz-1", "ResellerAccountId": "'000000000001", "BuyerAccounts": "\"'000000000002;000000000003\"",
                    "Status": "Active", "LastModifiedDate": "2030-01-01T00:00:00Z", "Action": "restrict"]) + "\r\n"
            + line(["ResaleAuthorizationId": "resaleauthz-2", "ResellerAccountId": "000000000001", "Status": "Active",
                    "LastModifiedDate": "2030-01-01T00:00:00Z", "Action": ""]) + "\r\n"
        let read = try rows(text)
        #expect(read.count == 2)
        #expect(read[0].value(.resellerAccountId) == "000000000001")
        #expect(read[0].value(.buyerAccounts) == "000000000002;000000000003")
        #expect(read[0].actions == [.restrict] && read[0].problems.isEmpty)
        #expect(read[1].value(.resellerAccountId) == "000000000001")
    }

    @Test func excelLegacyCodePageReadsWithItsEncoding() throws {
        // "CSV (Comma delimited)" on Windows: Windows-1252, where — is 0x97 and é is 0xE9.
        var bytes = Array("OfferId,Name,Pricing,LastModifiedDate,Action\r\noffer-1,Caf".utf8)
        bytes += [0xE9] + Array(",".utf8) + [0x97] + Array(",2030-01-01T00:00:00Z,RELEASE\r\n".utf8)
        let invalid = #expect(throws: BulkRunnerError.self) {
            let reader = try ExportSheetReader(reader: try CSVReader(bytes: bytes))
            _ = try reader.next()
        }
        #expect(invalid?.hint.contains("windows-1252") == true)
        let reader = try CSVReader(bytes: bytes, options: CSVReader.Options(encoding: .windows1252))
        let row = try #require(try ExportSheetReader(reader: reader).next())
        #expect(row.value(.name) == "Café" && row.value(.pricing) == "—")
        #expect(row.actions == [.release])
    }

    @Test func extraAndReorderedColumnsAreFine() throws {
        let text = "Reviewer,Action,LastModifiedDate,Status,ResaleAuthorizationId\nana,RELEASE,2030-01-01T00:00:00Z,Draft,resaleauthz-9\n"
        let read = try rows(text)
        #expect(read.first?.actions == [.release])
        #expect(read.first?["Reviewer"] == "ana")
        #expect(read.first?.problems.isEmpty == true)
    }

    @Test func filesThatAreNotExportsAreRefused() {
        let notExport = #expect(throws: BulkRunnerError.self) { try ExportSheetReader(string: "Name,Status\na,b\n") }
        #expect(notExport?.code == .malformedInput)
        let noAction = #expect(throws: BulkRunnerError.self) {
            try ExportSheetReader(string: "OfferId,LastModifiedDate\noffer-1,2030-01-01T00:00:00Z\n")
        }
        #expect(noAction?.field == "Action")
        let noDate = #expect(throws: BulkRunnerError.self) { try ExportSheetReader(string: "OfferId,Action\noffer-1,\n") }
        #expect(noDate?.field == "LastModifiedDate")
        let ragged = #expect(throws: BulkRunnerError.self) {
            let reader = try ExportSheetReader(string: "OfferId,Action,LastModifiedDate\noffer-1\n")
            _ = try reader.next()
        }
        #expect(ragged?.code == .malformedInput && ragged?.line == 2)
    }
}

@Suite("Export files")
struct ExportFileTests {
    @Test func writesAtomicallyAndRefusesToReplaceUnlessAsked() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.path("offers.csv")
        try await ExportFile.write(to: url, replacing: false, options: CSVWriter.Options(writesByteOrderMark: true)) { writer in
            try writer.write(["OfferId"])
            try writer.write(["offer-1"])
        }
        let bytes = try Data(contentsOf: url)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let exists = await #expect(throws: BulkRunnerError.self) {
            try await ExportFile.write(to: url, replacing: false, options: CSVWriter.Options()) { _ in }
        }
        #expect(exists?.field == "--output")
        // A failing export leaves the old file untouched and no temporary file behind.
        await #expect(throws: TestFailure.self) {
            try await ExportFile.write(to: url, replacing: true, options: CSVWriter.Options()) { writer in
                try writer.write(["half"])
                throw TestFailure("interrupted")
            }
        }
        #expect(try Data(contentsOf: url) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["offers.csv"])
        try await ExportFile.write(to: url, replacing: true, options: CSVWriter.Options()) { writer in try writer.write(["new"]) }
        #expect(String(decoding: try Data(contentsOf: url), as: UTF8.self) == "new\r\n")
        await #expect(throws: BulkRunnerError.self) {
            try await ExportFile.write(to: directory.path("missing/offers.csv"), replacing: false, options: CSVWriter.Options()) { _ in }
        }
    }
}
