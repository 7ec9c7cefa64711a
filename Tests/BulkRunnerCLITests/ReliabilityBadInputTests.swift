#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import TestSupport

/// The bad-input corpus (`testdata/bad-inputs/manifest.json`): every case runs the built
/// `bulkrunner` from a fresh copy of the corpus folder, offline — `--dry-run`, `--emulator`, or a
/// real run whose endpoint is a local tripwire that counts connections and refuses them — and
/// must exit with its status, say its key words, never crash, send nothing, and leave no file
/// behind but the ones it names (none for exit 2/65/66/69/73) and never a temporary file.
///
/// A case with `knownIssue` names a reported product bug and the checks it makes fail; those
/// checks run inside `withKnownIssue`, so when the bug is fixed the test reports "known issue
/// was not recorded": remove the case's `knownIssue` then.
@Suite("reliability: bad inputs")
struct ReliabilityBadInputTests {
    static let corpus = TestData.repositoryRoot().appendingPathComponent("testdata/bad-inputs")
    static let manifest: ReliabilityBadInputManifest = {
        do {
            let data = try Data(contentsOf: corpus.appendingPathComponent("manifest.json"))
            return try JSONDecoder().decode(ReliabilityBadInputManifest.self, from: data)
        } catch {
            return ReliabilityBadInputManifest(cases: [], loadError: "\(error)")
        }
    }()
    static let ordinaryCases = manifest.cases.filter { !($0.needsPermissions ?? false) }
    static let permissionCases = manifest.cases.filter { $0.needsPermissions ?? false }

    /// Whether chmod stops the file's owner from reading and writing (not for root, nor with CAP_DAC_OVERRIDE).
    static let permissionsEnforced: Bool = {
        guard let dir = try? TemporaryDirectory(prefix: "bulkrunner-perm") else { return false }
        defer { dir.remove() }
        let file = dir.path("probe")
        guard FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)) else { return false }
        chmod(file.path, 0)
        defer { chmod(file.path, 0o644) }
        let fd = open(file.path, O_RDONLY)
        if fd >= 0 {
            close(fd)
            return false
        }
        return true
    }()

    @Test("the corpus has at least 40 cases, every file is used and every named file exists")
    func corpusIsComplete() throws {
        #expect(Self.manifest.loadError == nil, "manifest.json: \(Self.manifest.loadError ?? "")")
        #expect(Self.manifest.cases.count >= 40)
        #expect(Set(Self.manifest.cases.map(\.name)).count == Self.manifest.cases.count, "case names must be unique")
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0 != "manifest.json" && $0 != "README.md" }
        let named = Set(Self.manifest.cases.flatMap(\.args))
        for file in files {
            #expect(named.contains(file), "\(file) is in the corpus but no case uses it")
        }
        let created = Set(Self.manifest.cases.flatMap { ($0.setup ?? []).map(\.path) })
        for name in named where name.hasSuffix(".csv") || name.hasSuffix(".json") {
            let generated = created.contains(name) || ["missing.csv", "missing.json", "other.csv", "out.csv"].contains(name)
                || name.contains("/")
            #expect(generated || files.contains(name), "a case names \(name), which is not in the corpus")
        }
    }

    @Test("each bad input: status, message, no crash, nothing sent, nothing left behind", arguments: ordinaryCases)
    func badInput(_ badCase: ReliabilityBadInputCase) async throws {
        try await ReliabilityBadInputRunner.run(badCase, corpus: Self.corpus)
    }

    @Test("unreadable inputs and unwritable folders (skipped where chmod does not stop the owner, e.g. root)",
          .enabled(if: permissionsEnforced, "permissions do not stop this user (root?): chmod 000 files stay readable"),
          arguments: permissionCases)
    func permissionCase(_ badCase: ReliabilityBadInputCase) async throws {
        try await ReliabilityBadInputRunner.run(badCase, corpus: Self.corpus)
    }
}

/// `manifest.json`.
struct ReliabilityBadInputManifest: Decodable, Sendable {
    var cases: [ReliabilityBadInputCase]
    var loadError: String?
}

/// One case of the manifest.
struct ReliabilityBadInputCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Setup: Decodable, Sendable {
        var op: String
        var path: String
        var target: String?
        var mode: String?
    }
    struct Results: Decodable, Sendable {
        var outcomes: [String: Int]?
        var messages: [String]?
    }
    struct KnownIssue: Decodable, Sendable {
        var text: String
        var checks: [String]
    }
    var name: String
    var description: String
    var args: [String]
    var status: Int32
    var messages: [String]
    var results: Results?
    var expectFiles: [String]?
    var setup: [Setup]?
    var env: [String: String?]?
    var needsPermissions: Bool?
    var knownIssue: KnownIssue?

    var testDescription: String { "\(name): \(description)" }
}

/// Runs one case and checks everything it promises.
enum ReliabilityBadInputRunner {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

    static func run(_ badCase: ReliabilityBadInputCase, corpus: URL) async throws {
        let binary = try #require(BuiltExecutable.url(), "bulkrunner is not built beside the tests")
        let dir = try TemporaryDirectory(prefix: "bulkrunner-bad-input")
        defer {
            restorePermissions(dir.url)
            dir.remove()
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: corpus.path) where file != "manifest.json" {
            try FileManager.default.copyItem(at: corpus.appendingPathComponent(file), to: dir.path(file))
        }
        for step in badCase.setup ?? [] {
            try apply(step, in: dir.url)
        }
        let tripwire = try ReliabilityTripwire()
        defer { tripwire.stop() }

        var environment: [String: String] = [
            "HOME": dir.path("home").path, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ENDPOINT_URL_MARKETPLACE_CATALOG": tripwire.url,
            "AWS_CONFIG_FILE": dir.path("home/.aws/config").path,
            "AWS_SHARED_CREDENTIALS_FILE": dir.path("home/.aws/credentials").path,
        ]
        for (key, value) in badCase.env ?? [:] {
            environment[key] = value
        }
        let arguments = badCase.args.map { $0.replacingOccurrences(of: "{tripwire}", with: tripwire.url) }
        let before = Set(listFiles(dir.url))
        let finalEnvironment = environment
        let result = try await reliabilityOffThePool {
            try runProcess(binary, arguments, environment: finalEnvironment, stdin: Data(), currentDirectory: dir.url, timeout: 90)
        }
        let after = listFiles(dir.url)
        let output = result.stdout + result.stderr
        let context = "\(badCase.name) (bulkrunner \(arguments.joined(separator: " "))) → status \(result.status)\n\(output.suffix(1500))"

        // No crash: a signal, a Swift runtime trap or a timeout is never an answer.
        let crashWords = ["Fatal error", "Program crashed", "Segmentation fault", "Illegal instruction", "Swift runtime failure"]
        #expect(result.status < 128 && !crashWords.contains(where: output.contains), "crashed: \(context)")

        var problems: [String: [String]] = [:]
        if result.status != badCase.status {
            problems["status", default: []].append("exit status \(result.status), expected \(badCase.status)")
        }
        for word in badCase.messages where output.range(of: word, options: .caseInsensitive) == nil {
            problems["messages", default: []].append("the output does not say \"\(word)\"")
        }
        if tripwire.connections > 0 {
            problems["network", default: []].append("\(tripwire.connections) connection(s) to the endpoint: \(tripwire.requests)")
        }
        // (HOME is the case's `home` folder: FoundationNetworking's URLSession creates
        // ~/.cache/org.swift.foundation.URLCache and ~/.local/share there; not an output of the run.)
        let created = after.filter { !before.contains($0) && $0 != "home" && !$0.hasPrefix("home/") }
        let temporaries = after.filter { $0.hasSuffix(".tmp") || $0.contains(".bulkrunner-") }
        let allowed = Set([2, 65, 66, 69, 73].contains(badCase.status) ? [] : (badCase.expectFiles ?? []))
        let unexpected = created.filter { !allowed.contains($0) }
        if !unexpected.isEmpty || !temporaries.isEmpty {
            problems["files", default: []].append("left behind: \((unexpected + temporaries).sorted())")
        }
        for file in allowed where !after.contains(file) {
            problems["files", default: []].append("\(file) was not written")
        }
        if let expected = badCase.results {
            let resultsFile = (badCase.expectFiles ?? []).first { $0.hasSuffix(".results.csv") || $0.hasSuffix(".plan.csv") }
            if let resultsFile, let table = ReliabilityCSV.read(dir.path(resultsFile)) {
                var outcomes: [String: Int] = [:]
                var messages = ""
                if let outcome = table.header.firstIndex(of: "Outcome"), let message = table.header.firstIndex(of: "ErrorMessage") {
                    for row in table.rows where row.count > max(outcome, message) {
                        outcomes[row[outcome], default: 0] += 1
                        messages += row[message] + "\n"
                    }
                } else {
                    problems["files", default: []].append("\(resultsFile) has no Outcome/ErrorMessage columns: \(table.header)")
                }
                if let want = expected.outcomes, want != outcomes {
                    problems["status", default: []].append("outcomes \(outcomes), expected \(want)")
                }
                for word in expected.messages ?? [] where messages.range(of: word, options: .caseInsensitive) == nil {
                    problems["messages", default: []].append("no ErrorMessage says \"\(word)\": \(messages.prefix(400))")
                }
                // The results file is a complete CSV, one row per input row.
                if let input = badCase.args.dropFirst().first, let source = ReliabilityCSV.read(dir.path(input)),
                   source.rows.count != table.rows.count {
                    problems["files", default: []].append("\(resultsFile) has \(table.rows.count) rows for \(source.rows.count) input rows")
                }
            } else {
                problems["files", default: []].append("no readable results file \(resultsFile ?? "(none named)")")
            }
        }

        let known = Set(badCase.knownIssue?.checks ?? [])
        for category in ["status", "messages", "network", "files"] {
            let found = problems[category] ?? []
            if known.contains(category) {
                withKnownIssue(Comment(rawValue: badCase.knownIssue?.text ?? "")) {
                    #expect(found.isEmpty, "\(category): \(found.joined(separator: "; ")) — \(context)")
                }
            } else {
                #expect(found.isEmpty, "\(category): \(found.joined(separator: "; ")) — \(context)")
            }
        }
        // No secret in anything the run printed.
        #expect(!output.contains(secret), "the secret key was printed: \(context)")
    }

    static func apply(_ step: ReliabilityBadInputCase.Setup, in dir: URL) throws {
        let path = dir.appendingPathComponent(step.path).path
        switch step.op {
        case "mkdir":
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        case "chmod":
            guard let text = step.mode, let mode = mode_t(text, radix: 8) else { throw SetupError(step: step.op) }
            guard chmod(path, mode) == 0 else { throw SetupError(step: "chmod \(path)") }
        case "symlink":
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: step.target ?? "")
        case "hardlink":
            guard link(dir.appendingPathComponent(step.target ?? "").path, path) == 0 else { throw SetupError(step: "link \(path)") }
        default:
            throw SetupError(step: step.op)
        }
    }

    struct SetupError: Error { var step: String }

    /// Every file and folder below `dir`, as paths relative to it.
    static func listFiles(_ dir: URL) -> [String] {
        var found: [String] = []
        func walk(_ url: URL, _ prefix: String) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            for name in names {
                let relative = prefix.isEmpty ? name : prefix + "/" + name
                found.append(relative)
                var isDirectory: ObjCBool = false
                let child = url.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: child.path, isDirectory: &isDirectory), isDirectory.boolValue,
                   (try? FileManager.default.destinationOfSymbolicLink(atPath: child.path)) == nil {
                    walk(child, relative)
                }
            }
        }
        walk(dir, "")
        return found
    }

    static func restorePermissions(_ dir: URL) {
        for relative in listFiles(dir) {
            chmod(dir.appendingPathComponent(relative).path, 0o755)
        }
        chmod(dir.path, 0o755)
    }
}

/// Runs blocking work (a subprocess) on a dispatch thread, not on the cooperative pool.
func reliabilityOffThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try body() })
        }
    }
}

/// A tiny RFC 4180 reader for checking results files, independent of CSVKit.
enum ReliabilityCSV {
    struct Table { var header: [String]; var rows: [[String]] }

    static func read(_ url: URL) -> Table? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let b = [UInt8](data.prefix(4))
        var text: String
        if b.starts(with: [0xFF, 0xFE]) || (b.count == 4 && b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0) {
            text = String(data: data, encoding: .utf16LittleEndian) ?? ""
        } else if b.starts(with: [0xFE, 0xFF]) || (b.count == 4 && b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0) {
            text = String(data: data, encoding: .utf16BigEndian) ?? ""
        } else {
            text = String(decoding: data, as: UTF8.self)
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var atFieldStart = true
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case ",":
                record.append(field); field = ""; atFieldStart = true
            case "\r":
                continue
            case "\n":
                record.append(field); field = ""; atFieldStart = true
                records.append(record); record = []
            default:
                field.unicodeScalars.append(c); atFieldStart = false
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        guard let header = records.first else { return nil }
        return Table(header: header, rows: Array(records.dropFirst()))
    }
}

/// A loopback HTTP endpoint that must never be called: it counts connections, answers each
/// request with `UnrecognizedClientException` (400, so a client stops at once) and closes.
final class ReliabilityTripwire: @unchecked Sendable {
    // @unchecked: the mutable state is guarded by `lock`.
    private let fd: Int32
    let port: UInt16
    private let lock = NSLock()
    private var count = 0
    private var lines: [String] = []
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    var url: String { "http://127.0.0.1:\(port)" }
    var connections: Int { lock.withLock { count } }
    var requests: [String] { lock.withLock { lines } }

    init() throws {
        #if canImport(Darwin)
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw TripwireError.socket }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 32) == 0 else {
            close(fd)
            throw TripwireError.socket
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    enum TripwireError: Error { case socket }

    private func serve() {
        defer { finished.signal() }
        while true {
            let client = accept(fd, nil, nil)
            if lock.withLock({ stopped }) {
                if client >= 0 { close(client) }
                return
            }
            guard client >= 0 else { continue }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while received.count < 65536 {
                let n = recv(client, &buffer, buffer.count, 0)
                if n <= 0 { break }
                received += buffer[0..<n]
                if received.count >= 4, String(decoding: received, as: UTF8.self).contains("\r\n\r\n") { break }
            }
            let firstLine = String(decoding: received, as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? "(nothing)"
            lock.withLock {
                count += 1
                lines.append(firstLine)
            }
            let body = #"{"message":"tripwire: this test allows no request to the Catalog API"}"#
            let response = "HTTP/1.1 400 Bad Request\r\nx-amzn-ErrorType: UnrecognizedClientException\r\n"
                + "x-amzn-RequestId: tripwire\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
            _ = Array(response.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
            close(client)
        }
    }

    /// Stops accepting (a last connection wakes the accepting thread) and closes the socket.
    func stop() {
        let already = lock.withLock { () -> Bool in
            defer { stopped = true }
            return stopped
        }
        if already { return }
        #if canImport(Darwin)
        let waker = socket(AF_INET, SOCK_STREAM, 0)
        #else
        let waker = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(waker, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(waker)
        // Close the listening socket only once the thread no longer uses its descriptor.
        _ = finished.wait(timeout: .now() + 5)
        close(fd)
    }
}
