#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The claim of one process on a results file and its journal while it runs: two runs
/// writing the same results (the same command started twice) would share one journal and
/// send each other's change sets again.
///
/// An advisory `flock(2)` on `RESULTS.lock` beside the results, holding this process's id.
/// The kernel drops the lock when the process dies, so a killed run never blocks the next
/// one; ``release()`` removes the file. Acquire before reading the journal; release after
/// writing the results.
public final class ResultsLock: @unchecked Sendable {
    /// The lock file.
    public let url: URL
    private let lock = NSLock()
    private var descriptor: Int32

    private init(url: URL, descriptor: Int32) {
        self.url = url
        self.descriptor = descriptor
    }

    deinit { release() }

    /// The lock file of `results`: `RESULTS.lock` in the same folder.
    public static func url(besideResults results: URL) -> URL {
        results.appendingPathExtension("lock")
    }

    /// Claims `results` for this process.
    ///
    /// - Throws: ``BulkRunnerError/Code/inUse`` when another process holds it (its process id
    ///   in the message); ``BulkRunnerError/Code/cannotWrite`` when the lock file cannot be made.
    public static func acquire(besideResults results: URL) throws(BulkRunnerError) -> ResultsLock {
        let url = url(besideResults: results)
        while true {
            let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw BulkRunnerError(code: .cannotWrite, file: url.path,
                                      reason: "cannot create the lock file: \(String(cString: strerror(errno)))",
                                      hint: "check that the results folder is writable, or choose another --output")
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let holder = Self.holder(fd)
                _ = close(fd)
                throw BulkRunnerError(
                    code: .inUse, file: results.path,
                    reason: "another bulkrunner\(holder.map { " (process \($0))" } ?? "") is running a job with this results file",
                    hint: "wait for it to finish (or stop it with Ctrl-C), then run the command again; or give this run its own --output")
            }
            // The holder before us may have removed the file after we opened it: lock the file
            // that is at the path now, not a removed one.
            var opened = stat(), current = stat()
            if fstat(fd, &opened) == 0, stat(url.path, &current) == 0,
               opened.st_dev == current.st_dev, opened.st_ino == current.st_ino {
                let pid = Array("\(getpid())\n".utf8)
                _ = ftruncate(fd, 0)
                _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
                return ResultsLock(url: url, descriptor: fd)
            }
            _ = close(fd)
        }
    }

    /// Removes the lock file and gives up the claim (also on deinit). Idempotent.
    public func release() {
        lock.lock()
        defer { lock.unlock() }
        guard descriptor >= 0 else { return }
        unlink(url.path)
        _ = close(descriptor)
        descriptor = -1
    }

    private static func holder(_ fd: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
