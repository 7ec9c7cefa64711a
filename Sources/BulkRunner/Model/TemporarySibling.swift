import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files written beside an output and then renamed over it, so a reader never
/// sees half a file: `.NAME.bulkrunner-PID-N.tmp` in the output's folder.
///
/// A process killed while writing leaves its temporary behind; ``removeStale(besides:)``
/// removes those of processes that no longer run, and every writer calls it first.
public enum TemporarySibling {
    /// A fresh temporary path beside `output`, named after it and this process.
    public static func url(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(
            ".\(output.lastPathComponent).bulkrunner-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp")
    }

    /// Removes the temporaries of `output` left by processes that no longer run; returns their
    /// names. Temporaries of running processes (another bulkrunner writing now) are kept.
    @discardableResult
    public static func removeStale(besides output: URL) -> [String] {
        let folder = output.deletingLastPathComponent()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var removed: [String] = []
        for name in names {
            guard let pids = writers(of: name, output: output.lastPathComponent), !pids.contains(where: isRunning) else { continue }
            if unlink(folder.appendingPathComponent(name).path) == 0 { removed.append(name) }
        }
        return removed
    }

    /// The process ids in `name` when it is a temporary of `output` (a temporary of a
    /// temporary carries two), else nil.
    static func writers(of name: String, output: String) -> [pid_t]? {
        let trimmed = name.drop { $0 == "." }
        guard name.hasPrefix("."), trimmed.hasPrefix(output), name.hasSuffix(".tmp") else { return nil }
        let rest = trimmed.dropFirst(output.count)
        guard rest.hasPrefix(".bulkrunner-") else { return nil }
        let parts = rest.components(separatedBy: ".bulkrunner-").dropFirst()
        let pids = parts.compactMap { part in part.split(separator: "-").first.flatMap { pid_t(String($0)) } }
        return pids.isEmpty || pids.count != parts.count ? nil : pids
    }

    private static func isRunning(_ pid: pid_t) -> Bool {
        pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
    }
}
