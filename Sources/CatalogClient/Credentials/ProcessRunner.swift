import Foundation

/// What a finished command produced.
public struct ProcessResult: Sendable, Equatable {
    /// The exit status (the signal number plus 128 when it was killed by a signal).
    public var exitStatus: Int32
    /// Everything written to standard output.
    public var standardOutput: Data
    /// Everything written to standard error.
    public var standardError: Data

    /// Creates a result.
    public init(exitStatus: Int32, standardOutput: Data, standardError: Data = Data()) {
        self.exitStatus = exitStatus
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// Runs a shell command line to completion: how `credential_process` is executed.
///
/// Injected so tests can replace it; the real one is `ShellProcessRunner`.
public protocol ProcessRunner: Sendable {
    /// Runs `command` with exactly `environment` and returns its output and status.
    ///
    /// Throws only when the command cannot be started at all.
    func run(_ command: String, environment: [String: String]) async throws -> ProcessResult
}

/// Runs commands with `/bin/sh -c`, standard input from `/dev/null`.
///
/// Standard input is closed so a command that would prompt (an MFA code, a password)
/// fails instead of waiting forever. Both output pipes are drained concurrently, so a
/// chatty command cannot deadlock on a full pipe. Blocking work happens on a
/// dispatch queue, never on the cooperative thread pool.
public struct ShellProcessRunner: ProcessRunner {
    /// The shell used; `/bin/sh` unless told otherwise.
    public var shell: String

    /// Creates a runner for `shell`.
    public init(shell: String = "/bin/sh") { self.shell = shell }

    /// Runs `command` through the shell and waits for it.
    public func run(_ command: String, environment: [String: String]) async throws -> ProcessResult {
        let shell = self.shell
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try Self.runBlocking(shell: shell, command: command, environment: environment))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private static func runBlocking(shell: String, command: String, environment: [String: String]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shell)
        process.arguments = ["-c", command]
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let collected = CollectedOutput()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            collected.setStandardError(errors.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let standardOutput = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? process.terminationStatus + 128 : process.terminationStatus
        return ProcessResult(exitStatus: status, standardOutput: standardOutput, standardError: collected.standardError)
    }
}

/// Standard error as read by a second thread.
private final class CollectedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func setStandardError(_ value: Data) { lock.withLock { data = value } }
    var standardError: Data { lock.withLock { data } }
}
