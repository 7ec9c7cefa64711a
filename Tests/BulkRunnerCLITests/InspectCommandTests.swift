import Foundation
import Testing
import TestSupport

@Suite("bulkrunner inspect")
struct InspectCommandTests {
    func withFile(_ bytes: [UInt8], _ body: (URL) async throws -> Void) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let url = dir.path("in.csv")
        try Data(bytes).write(to: url)
        try await body(url)
    }

    @Test func summaryShowsDialectHeaderAndRecords() async throws {
        try await withFile(Array("\u{FEFF}Reseller Id;Name\r\n012345678901;\"Acme; Inc.\"\r\n".utf8)) { url in
            let result = await runCLI(["inspect", url.path])
            #expect(result.status == 0)
            #expect(result.stdout.contains("encoding:     utf-8 (with byte order mark)"))
            #expect(result.stdout.contains("delimiter:    semicolon (;)"))
            #expect(result.stdout.contains("record ends:  CRLF"))
            #expect(result.stdout.contains("header:       line 1, 2 columns"))
            #expect(result.stdout.contains("records:      1 data record\n"))
            #expect(result.stdout.contains("\"Acme; Inc.\""))
        }
    }

    @Test func jsonPrintsHeaderThenOneArrayPerRecord() async throws {
        try await withFile(Array("a,b\n1,\"x\"\"y\nz\"\n".utf8)) { url in
            let result = await runCLI(["inspect", url.path, "--json"])
            #expect(result.status == 0)
            #expect(result.stdout == "[\"a\",\"b\"]\n[\"1\",\"x\\\"y\\nz\"]\n")
        }
    }

    @Test func countPrintsOnlyTheNumber() async throws {
        try await withFile(Array("a\n1\n\n2\n3".utf8)) { url in
            let result = await runCLI(["inspect", url.path, "--count"])
            #expect(result.stdout == "3\n")
        }
    }

    @Test func malformedFileExits65WithLocationAndHint() async throws {
        try await withFile(Array("a,b\n1,2\n3,\"4\n".utf8)) { url in
            let result = await runCLI(["inspect", url.path])
            #expect(result.status == 65)
            #expect(result.stderr.hasPrefix("error: \(url.path):3:3: "), "\(result.stderr)")
            #expect(result.stderr.contains("quote"))
        }
    }

    @Test func missingFileExits66() async {
        let result = await runCLI(["inspect", "/nonexistent/x.csv"])
        #expect(result.status == 66)
        #expect(result.stderr.hasPrefix("error: /nonexistent/x.csv"), "\(result.stderr)")
    }

    @Test func overridesDelimiterAndEncoding() async throws {
        try await withFile([0x61, 0x7C, 0x62, 0x0A, 0x80, 0x7C, 0xE9, 0x0A]) { url in
            let result = await runCLI(["inspect", url.path, "--json", "--delimiter", "|", "--encoding", "windows-1252"])
            #expect(result.status == 0)
            #expect(result.stdout == "[\"a\",\"b\"]\n[\"€\",\"é\"]\n")
            let utf8 = await runCLI(["inspect", url.path])
            #expect(utf8.status == 65)
            #expect(utf8.stderr.contains("windows-1252"))
        }
    }

    @Test func badOptionValuesAreUsageErrors() async {
        #expect(await runCLI(["inspect", "x.csv", "--encoding", "ebcdic"]).status == 2)
        #expect(await runCLI(["inspect", "x.csv", "--delimiter", "::"]).status == 2)
    }
}
