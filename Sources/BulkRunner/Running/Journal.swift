#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CatalogModels
import Foundation

/// Where the run journal lives: every ``JournalRecord`` is appended here, durably, before
/// the step it announces is taken, and read back when the same command runs again.
///
/// ``FileJournal`` is the real one (JSON lines, `fsync` after every record);
/// ``MemoryJournal`` keeps records in memory for tests and can simulate a crash.
public protocol JournalStore: Sendable {
    /// Every record written so far, in order (a torn last line is dropped).
    func load() throws(BulkRunnerError) -> [JournalRecord]
    /// Appends one record and makes it durable before returning.
    func append(_ record: JournalRecord) throws(BulkRunnerError)
}

/// The journal file: JSON lines, append-only, each record flushed to disk with `fsync`
/// before ``append(_:)`` returns, so a crash at any moment leaves every announced step on
/// disk (POSIX `fsync`: "all data for the open file descriptor … transferred to the
/// storage device").
///
/// A crash in the middle of a write can leave a last line without its newline or cut in
/// the middle: ``load()`` ignores it and cuts it off, so the next record starts on a line
/// of its own. A line that does not parse anywhere else means the file was edited or
/// corrupted: ``load()`` refuses it rather than guess.
public final class FileJournal: JournalStore, @unchecked Sendable {
    /// The journal's path, e.g. `results.csv.journal`.
    public let url: URL
    private let lock = NSLock()
    private var descriptor: Int32 = -1

    /// A journal at `url` (nothing is opened until the first call).
    public init(url: URL) {
        self.url = url
    }

    /// The journal beside a results file: `results.csv` → `results.csv.journal`.
    public convenience init(besideResults results: URL) {
        self.init(url: results.appendingPathExtension("journal"))
    }

    deinit {
        if descriptor >= 0 { _ = posixClose(descriptor) }
    }

    /// Reads every record; cuts off a torn last line.
    public func load() throws(BulkRunnerError) -> [JournalRecord] {
        lock.lock()
        defer { lock.unlock() }
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw BulkRunnerError(code: .cannotRead, file: url.path, reason: "cannot read the journal: \(error.localizedDescription)",
                                  hint: "check the file's permissions")
        }
        let (records, goodLength) = try Self.parse(data, path: url.path)
        if goodLength < data.count {
            // A torn last line: cut it off so the next record starts on its own line.
            if truncate(url.path, off_t(goodLength)) != 0 {
                throw BulkRunnerError(code: .cannotWrite, file: url.path,
                                      reason: "cannot cut the torn last line of the journal: \(String(cString: strerror(errno)))",
                                      hint: "check the file's permissions")
            }
        }
        return records
    }

    /// Parses journal bytes: the records and the length of the well-formed prefix.
    static func parse(_ data: Data, path: String) throws(BulkRunnerError) -> ([JournalRecord], Int) {
        var records: [JournalRecord] = []
        let bytes = [UInt8](data)
        var start = 0
        var lineNumber = 0
        var good = 0
        while start < bytes.count {
            lineNumber += 1
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                // No newline: a torn last write.
                return (records, good)
            }
            let line = bytes[start..<end]
            let parsed = (try? JSONValue(parsing: line)).flatMap(JournalRecord.init(json:))
            if let parsed {
                records.append(parsed)
                good = end + 1
            } else if end + 1 == bytes.count {
                return (records, good)
            } else {
                throw BulkRunnerError(code: .cannotRead, file: path, line: lineNumber,
                                      reason: "the journal has a line that is not a journal record",
                                      hint: "the journal was edited or damaged; move it away to start the run afresh (rows already sent may then be sent again)")
            }
            start = end + 1
        }
        return (records, good)
    }

    /// Appends `record` and `fsync`s it.
    public func append(_ record: JournalRecord) throws(BulkRunnerError) {
        lock.lock()
        defer { lock.unlock() }
        if descriptor < 0 {
            let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
            guard fd >= 0 else { throw writeError("cannot open the journal") }
            descriptor = fd
            // Make the new file's directory entry durable too.
            let dir = open(url.deletingLastPathComponent().path, O_RDONLY)
            if dir >= 0 {
                _ = fsync(dir)
                _ = posixClose(dir)
            }
        }
        var bytes = Array(record.line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw writeError("cannot write to the journal")
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw writeError("cannot flush the journal to disk") }
    }

    /// Closes the file (appending again reopens it).
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        if descriptor >= 0 {
            _ = posixClose(descriptor)
            descriptor = -1
        }
    }

    private func writeError(_ what: String) -> BulkRunnerError {
        BulkRunnerError(code: .cannotWrite, file: url.path, reason: "\(what): \(String(cString: strerror(errno)))",
                        hint: "check free disk space and permissions; the run stopped and can be resumed")
    }
}

/// `close(2)`, named so that ``FileJournal/close()`` does not hide it.
private func posixClose(_ fd: Int32) -> Int32 { close(fd) }

/// A journal in memory, for tests: records in a list; ``crashAfter`` makes the append that
/// would write record number `crashAfter + 1` fail, as a crash (kill -9) at that moment would
/// leave the journal.
public final class MemoryJournal: JournalStore, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [JournalRecord]
    private var limit: Int?

    /// A journal holding `records`; appends past `crashAfter` records throw.
    public init(records: [JournalRecord] = [], crashAfter: Int? = nil) {
        stored = records
        limit = crashAfter
    }

    /// The records written.
    public var records: [JournalRecord] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    /// Sets or clears the crash point (a count of records).
    public func crash(after count: Int?) {
        lock.lock()
        defer { lock.unlock() }
        limit = count
    }

    /// The records.
    public func load() throws(BulkRunnerError) -> [JournalRecord] { records }

    /// Appends, or throws ``BulkRunnerError/Code/cannotWrite`` past the crash point.
    public func append(_ record: JournalRecord) throws(BulkRunnerError) {
        lock.lock()
        defer { lock.unlock() }
        if let limit, stored.count >= limit {
            throw BulkRunnerError(code: .cannotWrite, file: "memory journal", reason: "simulated crash after \(limit) records")
        }
        stored.append(record)
    }
}
