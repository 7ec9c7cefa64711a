import Foundation

/// Reads whole files for the configuration: the shared config and credentials files,
/// and token files named by environment variables.
///
/// Injected so tests and other hosts decide what "the file system" is.
public protocol FileReader: Sendable {
    /// The file's bytes, or `nil` when nothing exists at `path`.
    ///
    /// Throws when the file exists but cannot be read (permissions, a directory).
    func readFile(atPath path: String) throws -> Data?
}

/// Reads from the local file system with `FileManager`.
public struct LocalFileReader: FileReader {
    /// Creates the reader.
    public init() {}

    /// The file's bytes, `nil` when it does not exist.
    public func readFile(atPath path: String) throws -> Data? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue {
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
