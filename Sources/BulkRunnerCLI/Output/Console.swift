import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes text: standard output and standard error, or memory in tests.
///
/// Writes are buffered and flushed on `flush()` (and whenever the buffer passes 64 KiB),
/// so printing a million records is not a million system calls.
public final class OutputSink: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private let fd: Int32?
    private var captured: [UInt8] = []
    /// Whether this sink is a terminal (live progress is drawn only there).
    public let isTerminal: Bool

    /// A sink writing to a file descriptor (1 = stdout, 2 = stderr).
    public init(fileDescriptor: Int32) {
        fd = fileDescriptor
        isTerminal = isatty(fileDescriptor) == 1
        buffer.reserveCapacity(1 << 16)
    }

    /// A sink that keeps everything in memory; read it with `text`.
    public init(capturingAsTerminal: Bool = false) {
        fd = nil
        isTerminal = capturingAsTerminal
    }

    /// Writes `text` as is.
    public func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if fd == nil {
            captured.append(contentsOf: text.utf8)
            return
        }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flushLocked() }
    }

    /// Writes `text` and a line feed.
    public func line(_ text: String = "") { write(text + "\n") }

    /// Sends buffered bytes to the descriptor.
    public func flush() {
        lock.lock()
        defer { lock.unlock() }
        flushLocked()
    }

    private func flushLocked() {
        guard let fd, !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    break
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Everything written so far (memory sinks only).
    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: captured, as: UTF8.self)
    }
}

/// The world a command runs in: environment, working directory, output, clock.
///
/// Tests build one with memory sinks and a fixed environment; `main` builds the real one.
public struct CLIContext: Sendable {
    /// Environment variables.
    public var environment: [String: String]
    /// The directory relative paths are resolved against.
    public var currentDirectory: URL
    /// Standard output.
    public var stdout: OutputSink
    /// Standard error.
    public var stderr: OutputSink
    /// The current time.
    public var now: @Sendable () -> Date

    /// Creates a context.
    public init(
        environment: [String: String], currentDirectory: URL, stdout: OutputSink, stderr: OutputSink,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.stdout = stdout
        self.stderr = stderr
        self.now = now
    }

    /// The context of this process.
    public static func process() -> CLIContext {
        CLIContext(
            environment: ProcessInfo.processInfo.environment,
            currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
            stdout: OutputSink(fileDescriptor: 1),
            stderr: OutputSink(fileDescriptor: 2)
        )
    }

    /// `url` as shown to the user: relative to the working directory when inside it.
    public func displayPath(_ url: URL) -> String {
        let base = currentDirectory.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }

    /// A path argument resolved against the working directory (`-` stays `-`).
    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        if path.hasPrefix("~/"), let home = environment["HOME"] {
            return URL(fileURLWithPath: home).appendingPathComponent(String(path.dropFirst(2)))
        }
        return currentDirectory.appendingPathComponent(path)
    }
}
