#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A ZIP archive writer (PKWARE APPNOTE 6.3, "stored" entries, no ZIP64): enough for an
/// XLSX workbook (ECMA-376 Part 2, Open Packaging Conventions), with no dependency.
///
/// Entries stream: ``beginEntry(_:)``, any number of ``write(_:)``, ``endEntry()``. Each local
/// header is written first with a zero CRC and sizes, which ``endEntry()`` patches in place
/// (`pwrite`), so readers never need data descriptors and memory stays at one 64 KiB buffer.
/// Limits: entries and the archive below 4 GiB, at most 65,535 entries. Use from one task.
final class ZipArchiveWriter {
    private struct Entry {
        var name: [UInt8]
        var headerOffset: UInt32
        var crc: UInt32
        var size: UInt32
    }

    let path: String
    private var fd: Int32
    private var offset: UInt64 = 0
    private var buffer: [UInt8] = []
    private var entries: [Entry] = []
    private var current: (name: [UInt8], headerOffset: UInt64, crc: CRC32, size: UInt64)?
    private let dosTime: UInt16
    private let dosDate: UInt16

    /// Creates (or truncates) the archive at `path`; entries are stamped with `modified` (local time fields, UTC).
    init(path: String, modified: Date = Date()) throws(BulkRunnerError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 {
            throw BulkRunnerError(code: .cannotWrite, file: path, reason: "cannot create the file: \(String(cString: strerror(errno)))",
                                  hint: "check that the folder exists and is writable")
        }
        let day = CalendarDay(modified)
        let seconds = Int(modified.timeIntervalSince1970.rounded(.down)) - Int(day.dayNumber) * 86_400
        dosDate = UInt16(max(0, day.year - 1980) << 9 | day.month << 5 | day.day)
        dosTime = UInt16((seconds / 3600) << 11 | (seconds / 60 % 60) << 5 | (seconds % 60) / 2)
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if fd >= 0 { closeDescriptor(fd) }
    }

    /// Starts an entry called `name` (ASCII path with `/`).
    func beginEntry(_ name: String) throws(BulkRunnerError) {
        precondition(current == nil, "end the previous entry first")
        let bytes = Array(name.utf8)
        current = (bytes, offset, CRC32(), 0)
        var header: [UInt8] = []
        header.append(le32: 0x0403_4B50)
        header.append(le16: 20)  // version needed: 2.0
        header.append(le16: 0x0800)  // UTF-8 names
        header.append(le16: 0)  // stored
        header.append(le16: dosTime)
        header.append(le16: dosDate)
        header.append(le32: 0)  // CRC-32, patched
        header.append(le32: 0)  // compressed size, patched
        header.append(le32: 0)  // uncompressed size, patched
        header.append(le16: UInt16(bytes.count))
        header.append(le16: 0)
        header.append(contentsOf: bytes)
        try raw(header)
    }

    /// Appends bytes to the current entry.
    func write<Bytes: Collection>(_ bytes: Bytes) throws(BulkRunnerError) where Bytes.Element == UInt8 {
        guard current != nil else { preconditionFailure("begin an entry first") }
        current!.crc.update(bytes)
        current!.size += UInt64(bytes.count)
        try raw(bytes)
    }

    /// Appends a string's UTF-8 bytes to the current entry.
    func write(_ text: String) throws(BulkRunnerError) {
        try write(text.utf8)
    }

    /// Ends the current entry: writes its CRC and sizes into its local header.
    func endEntry() throws(BulkRunnerError) {
        guard let entry = current else { preconditionFailure("no entry to end") }
        current = nil
        guard entry.size < UInt64(UInt32.max), entry.headerOffset < UInt64(UInt32.max) else {
            throw BulkRunnerError(code: .cannotWrite, file: path, reason: "the workbook is larger than 4 GiB",
                                  hint: "export fewer rows at a time (use filters), or write CSV")
        }
        try flush()
        var patch: [UInt8] = []
        patch.append(le32: entry.crc.value)
        patch.append(le32: UInt32(entry.size))
        patch.append(le32: UInt32(entry.size))
        let written = patch.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(entry.headerOffset + 14)) }
        if written != patch.count { throw failure("cannot write") }
        entries.append(Entry(name: entry.name, headerOffset: UInt32(entry.headerOffset), crc: entry.crc.value, size: UInt32(entry.size)))
    }

    /// Adds a whole entry.
    func addEntry(_ name: String, _ text: String) throws(BulkRunnerError) {
        try beginEntry(name)
        try write(text)
        try endEntry()
    }

    /// Writes the central directory, flushes to disk and closes the file.
    func close() throws(BulkRunnerError) {
        precondition(current == nil, "end the last entry first")
        let directoryOffset = offset
        for entry in entries {
            var header: [UInt8] = []
            header.append(le32: 0x0201_4B50)
            header.append(le16: 20)  // made by: 2.0, MS-DOS attributes
            header.append(le16: 20)
            header.append(le16: 0x0800)
            header.append(le16: 0)
            header.append(le16: dosTime)
            header.append(le16: dosDate)
            header.append(le32: entry.crc)
            header.append(le32: entry.size)
            header.append(le32: entry.size)
            header.append(le16: UInt16(entry.name.count))
            header.append(le16: 0)  // extra
            header.append(le16: 0)  // comment
            header.append(le16: 0)  // disk
            header.append(le16: 0)  // internal attributes
            header.append(le32: 0)  // external attributes
            header.append(le32: entry.headerOffset)
            header.append(contentsOf: entry.name)
            try raw(header)
        }
        guard offset < UInt64(UInt32.max), entries.count < 65_535 else {
            throw BulkRunnerError(code: .cannotWrite, file: path, reason: "the workbook is larger than 4 GiB",
                                  hint: "export fewer rows at a time (use filters), or write CSV")
        }
        var end: [UInt8] = []
        end.append(le32: 0x0605_4B50)
        end.append(le16: 0)
        end.append(le16: 0)
        end.append(le16: UInt16(entries.count))
        end.append(le16: UInt16(entries.count))
        end.append(le32: UInt32(offset - directoryOffset))
        end.append(le32: UInt32(directoryOffset))
        end.append(le16: 0)
        try raw(end)
        try flush()
        if fsync(fd) != 0 && errno != EINVAL { throw failure("cannot flush") }
        let result = closeDescriptor(fd)
        fd = -1
        if result != 0 { throw failure("cannot close") }
    }

    // MARK: Bytes

    private func raw<Bytes: Collection>(_ bytes: Bytes) throws(BulkRunnerError) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        offset += UInt64(bytes.count)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws(BulkRunnerError) {
        var start = 0
        while start < buffer.count {
            let n = buffer.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + start, $0.count - start) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write")
            }
            start += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func failure(_ action: String) -> BulkRunnerError {
        BulkRunnerError(code: .cannotWrite, file: path, reason: "\(action) the workbook: \(String(cString: strerror(errno)))",
                        hint: "check free disk space and permissions")
    }
}

/// `close(2)`, under a name that does not clash with the writer's `close()`.
@discardableResult
private func closeDescriptor(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #elseif canImport(Musl)
    return Musl.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}

/// CRC-32 as ZIP and PNG use it (ISO 3309, reflected polynomial 0xEDB88320), table-driven.
struct CRC32: Sendable, Hashable {
    private var state: UInt32 = 0xFFFF_FFFF

    /// The checksum of everything fed so far.
    var value: UInt32 { state ^ 0xFFFF_FFFF }

    /// Feeds bytes.
    mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        var crc = state
        for byte in bytes {
            crc = CRC32.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        state = crc
    }

    /// The checksum of `bytes`.
    static func checksum<Bytes: Collection>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}

extension Array where Element == UInt8 {
    mutating func append(le16 value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }

    mutating func append(le32 value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
