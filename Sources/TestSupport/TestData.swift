import Foundation

/// Locates the shared test data (`../shared/testdata` beside the repository) for test targets.
///
/// Walks up from the calling source file, so it works from the repository, from a
/// sandbox package whose sources are symbolic links, and from CI's fresh clone.
/// `BULKRUNNER_TESTDATA` overrides the search.
public enum TestData {
    /// The `testdata` folder, found from `file` (pass `#filePath`).
    public static func root(file: StaticString = #filePath) -> URL {
        if let override = ProcessInfo.processInfo.environment["BULKRUNNER_TESTDATA"] {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        var dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
        let fm = FileManager.default
        while dir.path != "/" {
            for candidate in [dir.appendingPathComponent("shared/testdata"),
                              dir.appendingPathComponent("../shared/testdata").standardizedFileURL] {
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue {
                    return candidate
                }
            }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("shared/testdata not found above \(file); set BULKRUNNER_TESTDATA")
    }

    /// A file or folder inside the shared test data.
    public static func url(_ relativePath: String, file: StaticString = #filePath) -> URL {
        root(file: file).appendingPathComponent(relativePath)
    }

    /// The repository root (the folder holding `Package.swift`), found from `file`.
    public static func repositoryRoot(file: StaticString = #filePath) -> URL {
        var dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir
            }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("Package.swift not found above \(file)")
    }
}

/// A fresh temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    /// The directory's location.
    public let url: URL

    /// Creates a new empty directory under the system temporary folder.
    public init(prefix: String = "bulkrunner-test") throws {
        let base = FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Deletes the directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(at: url) }
}
