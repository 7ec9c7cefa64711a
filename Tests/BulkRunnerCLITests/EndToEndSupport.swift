import Foundation
import Testing
import TestSupport

// Shared helpers of the end-to-end tests (EndToEnd*.swift, Samples*.swift): the built
// `bulkrunner` run as a subprocess in a temporary folder with a clean environment, a small
// CSV reader to check results files independently of CSVKit, and `bulkrunner emulator`
// started as a server.

/// The built executable, the repository and the emulator's example credentials.
enum E2E {
    /// `bulkrunner` built beside the tests (`BULKRUNNER_BIN` overrides).
    static let binary: URL? = BuiltExecutable.url()
    /// The repository root (holds `samples/`).
    static let repository = TestData.repositoryRoot()
    /// `samples/` of the repository.
    static var samples: URL { repository.appendingPathComponent("samples", isDirectory: true) }
    /// The credentials `bulkrunner emulator` accepts by default.
    static let accessKey = "AKIDEXAMPLE"
    static let secretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    /// The columns every results file ends with, in this order.
    static let resultColumns = ["Outcome", "ChangeSetId", "ChangeSetArn", "ChangeSetStatus", "EntityId", "FailureCode",
                                "ErrorCode", "ErrorMessage", "Attempts"]

    /// The environment of an AWS-less run: nothing from the developer's shell, a private
    /// HOME (no ~/.aws), instance metadata off (no 1-second probe of 169.254.169.254).
    static func cleanEnvironment(home: URL) -> [String: String] {
        ["HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
         "AWS_EC2_METADATA_DISABLED": "true", "LC_ALL": "C.UTF-8"]
    }

    /// The environment of a run against `bulkrunner emulator`: its example credentials.
    static func emulatorEnvironment(home: URL) -> [String: String] {
        var environment = cleanEnvironment(home: home)
        environment["AWS_ACCESS_KEY_ID"] = accessKey
        environment["AWS_SECRET_ACCESS_KEY"] = secretKey
        environment["AWS_REGION"] = "us-east-1"
        return environment
    }
}

/// A temporary folder holding a copy of `samples/` (as `samples/` and flat, for commands
/// written either way), where commands run as a user runs them.
struct Workspace: Sendable {
    let directory: TemporaryDirectory
    let binary: URL

    /// A fresh folder; `samples` copies the repository's `samples/` into it.
    init(samples: Bool = true) throws {
        binary = try #require(E2E.binary, "bulkrunner is not built beside the tests (swift build, or set BULKRUNNER_BIN)")
        directory = try TemporaryDirectory(prefix: "bulkrunner-e2e")
        if samples {
            try FileManager.default.copyItem(at: E2E.samples, to: directory.path("samples"))
        }
    }

    /// The folder.
    var url: URL { directory.url }

    /// A path inside the folder.
    func path(_ relative: String) -> URL { directory.url.appendingPathComponent(relative) }

    /// Writes `text` (UTF-8) or `data` to a file in the folder.
    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: path(relative))
    }

    /// Whether the file exists.
    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative).path) }

    /// Runs `bulkrunner ARGUMENTS` in the folder with `environment` (default: clean, no AWS).
    func run(_ arguments: [String], environment: [String: String]? = nil, stdin: Data? = nil,
             timeout: TimeInterval = 300) async throws -> ProcessResult {
        let environment = environment ?? E2E.cleanEnvironment(home: url)
        let binary = binary, directory = url
        return try await offThePool {
            try runProcess(binary, arguments, environment: environment, stdin: stdin, currentDirectory: directory,
                           timeout: timeout)
        }
    }

    /// Runs a command line written as in the README (`bulkrunner grant samples/x.csv --emulator`).
    func run(commandLine: String, environment: [String: String]? = nil) async throws -> ProcessResult {
        var words = commandLine.split(separator: " ").map(String.init)
        #expect(words.first == "bulkrunner", "\(commandLine) does not start with bulkrunner")
        words.removeFirst()
        return try await run(words, environment: environment)
    }

    /// A results (or any CSV) file of the folder, read by ``CSVTable``.
    func table(_ relative: String) throws -> CSVTable {
        try CSVTable(contentsOf: path(relative))
    }

    /// Removes the folder.
    func remove() { directory.remove() }
}

/// Runs blocking work (waiting for a subprocess) on a thread of its own, so that many tests
/// can wait for their subprocesses at once without holding the cooperative pool's threads.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// What a finished command left: ``ProcessResult`` of `runProcess`, or ``FinishedCommand``.
protocol CommandResult {
    var status: Int32 { get }
    var stdout: String { get }
    var stderr: String { get }
}

extension ProcessResult: CommandResult {}

/// What a ``RunningCommand`` left.
struct FinishedCommand: CommandResult, Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

extension CommandResult {
    /// Both outputs, for failure messages.
    var transcript: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }

    /// The counts of the closing summary (`      12  SUCCEEDED`), by outcome.
    var summaryCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for line in stderr.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count == 2, let count = Int(words[0]),
                  ["SUCCEEDED", "FAILED", "INVALID", "PENDING", "CANCELLED", "SKIPPED"].contains(String(words[1])) else { continue }
            counts[String(words[1])] = count
        }
        return counts
    }

    /// The total of the summary line `12 rows in 0:06:`.
    var summaryRows: Int? {
        for line in stderr.split(separator: "\n") where line.contains(" rows in ") || line.contains(" row in ") {
            if let first = line.split(separator: " ").first, let n = Int(first) { return n }
        }
        return nil
    }
}

/// A CSV file read with RFC 4180 rules (quotes, doubled quotes, CRLF or LF, a UTF-8 byte
/// order mark, `,` `;` or tab as detected from the header line): an independent check of what
/// bulkrunner writes.
struct CSVTable: Sendable {
    var header: [String]
    var rows: [[String]]
    /// Whether the file started with a UTF-8 byte order mark.
    var hasByteOrderMark = false
    /// The delimiter found.
    var delimiter: Character = ","
    /// Whether records end with CRLF.
    var usesCRLF = false

    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        try self.init(data: data)
    }

    init(data: Data) throws {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            hasByteOrderMark = true
            bytes.removeFirst(3)
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw CSVTableError(message: "not UTF-8")
        }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let candidates: [Character] = [",", ";", "\t"]
        delimiter = candidates.max { a, b in firstLine.filter { $0 == a }.count < firstLine.filter { $0 == b }.count } ?? ","
        usesCRLF = text.contains("\r\n")
        var records = CSVTable.parse(text, delimiter: delimiter)
        guard !records.isEmpty else { throw CSVTableError(message: "no header") }
        header = records.removeFirst()
        rows = records
    }

    init(text: String) throws { try self.init(data: Data(text.utf8)) }

    /// The records of `text`.
    static func parse(_ text: String, delimiter: Character) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var fieldStarted = false
        var iterator = Array(text.unicodeScalars.map(Character.init))[...]
        // Characters: "\r\n" is one Character in Swift; unicodeScalars keeps CR and LF apart.
        while let c = iterator.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if iterator.first == "\"" { iterator.removeFirst(); field.append("\"") } else { inQuotes = false }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty:
                inQuotes = true
                fieldStarted = true
            case delimiter:
                record.append(field); field = ""; fieldStarted = true
            case "\r":
                continue
            case "\n":
                record.append(field); field = ""
                records.append(record); record = []; fieldStarted = false
            default:
                field.append(c); fieldStarted = true
            }
        }
        if fieldStarted || !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }

    /// The position of column `name`.
    func index(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// Every value of column `name` (empty when there is no such column).
    func column(_ name: String) -> [String] {
        guard let i = index(name) else { return [] }
        return rows.map { i < $0.count ? $0[i] : "" }
    }

    /// Row `row`'s value in column `name`.
    func value(_ row: Int, _ name: String) -> String {
        guard let i = index(name), row < rows.count, i < rows[row].count else { return "" }
        return rows[row][i]
    }
}

struct CSVTableError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// `bulkrunner emulator` running as a subprocess on a free port, for `status`, `retry` and
/// everything that needs a world that outlives one command. Stop it with ``stop()``.
final class EmulatorServer: @unchecked Sendable {
    let process = Process()
    /// `http://127.0.0.1:PORT`.
    private(set) var endpoint = ""
    private let output = Pipe()
    private let lock = NSLock()
    private var captured = Data()

    /// Starts `bulkrunner emulator --port 0 EXTRA…` and waits for its address.
    init(binary: URL, home: URL, arguments: [String] = []) throws {
        process.executableURL = binary
        process.arguments = ["emulator", "--port", "0"] + arguments
        process.environment = E2E.cleanEnvironment(home: home)
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let found = DispatchSemaphore(value: 0)
        let handle = output.fileHandleForReading
        let thread = Thread { [self] in
            var signalled = false
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                lock.withLock { captured.append(data) }
                if !signalled, let address = address() {
                    lock.withLock { endpoint = address }
                    signalled = true
                    found.signal()
                }
            }
            if !signalled { found.signal() }
        }
        thread.start()
        if found.wait(timeout: .now() + 30) == .timedOut || lock.withLock({ endpoint.isEmpty }) {
            stop()
            throw CSVTableError(message: "bulkrunner emulator did not print its address: \(banner)")
        }
    }

    /// Waits until the server has printed `text` (false after `timeout` seconds).
    func waitForBanner(containing text: String, timeout: TimeInterval = 180) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if banner.contains(text) { return true }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return false
    }

    /// What the server printed so far.
    var banner: String { lock.withLock { String(decoding: captured, as: UTF8.self) } }

    private func address() -> String? {
        let text = banner
        guard let range = text.range(of: "listening on http://127.0.0.1:") else { return nil }
        let port = text[range.upperBound...].prefix { $0.isNumber }
        guard !port.isEmpty, text[range.upperBound...].dropFirst(port.count).first == "\n" else { return nil }
        return "http://127.0.0.1:\(port)"
    }

    /// Ctrl-C, as a user stops it; then waits (SIGKILL after 10 s).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// `kill(2)`, under a name no method shadows.
func sendSignal(_ pid: pid_t, _ signal: Int32) {
    _ = kill(pid, signal)
}

/// A `bulkrunner` command running in the background, for what `runProcess` cannot do:
/// Ctrl-C in the middle of a run.
final class RunningCommand: @unchecked Sendable {
    let process = Process()
    private let out = Pipe(), err = Pipe()
    private let lock = NSLock()
    private var stdoutData = Data(), stderrData = Data()
    private let drained = DispatchGroup()

    init(_ work: Workspace, _ arguments: [String], environment: [String: String]) throws {
        process.executableURL = work.binary
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = work.url
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for (pipe, isOut) in [(out, true), (err, false)] {
            drained.enter()
            let handle = pipe.fileHandleForReading
            Thread { [self] in
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    lock.withLock { if isOut { stdoutData.append(data) } else { stderrData.append(data) } }
                }
                drained.leave()
            }.start()
        }
    }

    /// What it wrote on standard error so far.
    var stderr: String { lock.withLock { String(decoding: stderrData, as: UTF8.self) } }

    /// Waits until standard error contains `text` (false after `timeout` seconds).
    func waitForStderr(containing text: String, timeout: TimeInterval = 180) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stderr.contains(text) { return true }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return false
    }

    /// Ctrl-C.
    func interrupt() { sendSignal(process.processIdentifier, SIGINT) }

    /// SIGKILL.
    func kill() { sendSignal(process.processIdentifier, SIGKILL) }

    /// Waits for the exit (SIGKILL after `timeout`) and returns what it left.
    func wait(timeout: TimeInterval = 300) async throws -> FinishedCommand {
        let process = process, drained = drained
        try await offThePool {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(5_000) }
            if process.isRunning { sendSignal(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            drained.wait()
        }
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return lock.withLock {
            FinishedCommand(status: status, stdout: String(decoding: stdoutData, as: UTF8.self),
                          stderr: String(decoding: stderrData, as: UTF8.self))
        }
    }
}
