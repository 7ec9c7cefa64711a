import Foundation

/// Runs a built executable of this package as a subprocess, for end-to-end tests.
public enum BuiltExecutable {
    /// The path of the product `name` built beside the running test bundle.
    ///
    /// Looks in the folder of the test process (`/proc/self/exe` on Linux) and of the
    /// loaded `.xctest` bundles (macOS); `BULKRUNNER_BIN` overrides.
    public static func url(_ name: String = "bulkrunner") -> URL? {
        if let override = ProcessInfo.processInfo.environment["BULKRUNNER_BIN"] {
            return URL(fileURLWithPath: override)
        }
        var folders: [URL] = []
        #if os(Linux)
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        #endif
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        folders.append(Bundle.main.bundleURL)
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        // The product's name, then the executable target's (what a package without the product builds).
        for folder in folders {
            for file in [name, name == "bulkrunner" ? "BulkRunnerMain" : name] {
                let candidate = folder.appendingPathComponent(file)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }
}

/// What a finished subprocess left: exit status and both outputs.
public struct ProcessResult: Sendable {
    /// The exit status (128 + signal number when killed by a signal).
    public var status: Int32
    /// Everything written to standard output.
    public var stdout: String
    /// Everything written to standard error.
    public var stderr: String
}

/// Runs `executable` with `arguments`, feeding `stdin`, and waits for it to exit.
///
/// The environment is exactly `environment` (plus `PATH` when absent), so a test never
/// depends on the developer's AWS settings. Output is drained concurrently, so a chatty
/// process cannot block on a full pipe. `timeout` kills the process (SIGKILL) when exceeded.
public func runProcess(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
    currentDirectory: URL? = nil, timeout: TimeInterval = 120
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = environment
    if env["PATH"] == nil { env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin" }
    process.environment = env
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = inPipe
    let collected = Collected()
    let group = DispatchGroup()
    for (pipe, isOut) in [(outPipe, true), (errPipe, false)] {
        group.enter()
        DispatchQueue.global().async {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            collected.set(data, isOut: isOut)
            group.leave()
        }
    }
    try process.run()
    if let stdin { inPipe.fileHandleForWriting.write(stdin) }
    try? inPipe.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(2_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
    group.wait()
    let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    return ProcessResult(status: status, stdout: collected.stdout, stderr: collected.stderr)
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data(), err = Data()
    func set(_ data: Data, isOut: Bool) { lock.withLock { if isOut { out = data } else { err = data } } }
    var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }
}
