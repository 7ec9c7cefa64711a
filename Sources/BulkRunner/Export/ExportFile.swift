#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CSVKit
import Foundation

/// Where an export goes, and how a file appears: whole or not at all.
///
/// A file export is written to a temporary file beside the destination, flushed to disk and
/// renamed over it at the end, so a reviewer never opens half an export (an interrupted or
/// failed export leaves no file, or the previous one untouched). An existing file is
/// replaced only when asked: an export someone has started to fill in is worth a question.
public enum ExportFile {
    /// Writes a CSV export to `url` through `body`, atomically.
    ///
    /// - Parameters:
    ///   - replacing: whether an existing file at `url` may be replaced.
    ///   - options: the CSV dialect (delimiter, byte order mark); the formula guard stays on.
    /// - Throws: ``BulkRunnerError`` — ``BulkRunnerError/Code/invalidOption`` when the file
    ///   exists and `replacing` is false, ``BulkRunnerError/Code/cannotWrite`` when it cannot
    ///   be created, written or moved into place — and whatever `body` throws (the
    ///   temporary file is then removed).
    public static func write<T>(to url: URL, replacing: Bool, options: CSVWriter.Options,
                                _ body: (CSVWriter) async throws -> T) async throws -> T {
        try await write(to: url, replacing: replacing) { temporary in
            var guarded = options
            guarded.neutralizesFormulas = true
            let writer: CSVWriter
            do throws(CSVError) {
                writer = try CSVWriter(path: temporary.path, options: guarded)
            } catch {
                throw BulkRunnerError(code: .cannotWrite, file: url.path, reason: "cannot create the export: \(error.reason)",
                                      hint: "check that the folder \(url.deletingLastPathComponent().path) exists and is writable")
            }
            let result = try await body(writer)
            do throws(CSVError) {
                try writer.close()
            } catch {
                throw BulkRunnerError(code: .cannotWrite, file: url.path, reason: "cannot write the export: \(error.reason)",
                                      hint: "check free disk space and permissions")
            }
            let fd = open(temporary.path, O_RDONLY)
            if fd >= 0 {
                _ = fsync(fd)
                close(fd)
            }
            return result
        }
    }

    /// Runs `body` with a temporary path beside `url`, then renames what it wrote over `url`
    /// (any format: the XLSX export uses it too). The existence check and the clean-up on
    /// failure are as in ``write(to:replacing:options:_:)``.
    public static func write<T>(to url: URL, replacing: Bool, _ body: (URL) async throws -> T) async throws -> T {
        let path = url.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                throw BulkRunnerError(code: .cannotWrite, file: path, reason: "is a folder", hint: "give a file name, e.g. \(path)/export.csv")
            }
            if !replacing {
                throw BulkRunnerError(code: .invalidOption, file: path, field: "--output", reason: "the file already exists",
                                      hint: "choose another --output, or pass --force to replace it")
            }
        }
        let directory = url.deletingLastPathComponent()
        var exists: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &exists), exists.boolValue else {
            throw BulkRunnerError(code: .cannotWrite, file: path, reason: "the folder \(directory.path) does not exist",
                                  hint: "create it first, or choose another --output")
        }
        TemporarySibling.removeStale(besides: url)
        let temporary = TemporarySibling.url(for: url)
        var finished = false
        defer { if !finished { unlink(temporary.path) } }
        let result = try await body(temporary)
        if rename(temporary.path, path) != 0 {
            throw BulkRunnerError(code: .cannotWrite, file: path, reason: "cannot move the export into place: \(String(cString: strerror(errno)))",
                                  hint: "check that the folder is writable")
        }
        finished = true
        return result
    }
}
