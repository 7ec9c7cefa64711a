/// The text encoding of a CSV input, as requested or as detected.
///
/// Spreadsheets write three: UTF-8 (Excel's "CSV UTF-8", with a byte order
/// mark), UTF-16 little endian with a byte order mark (Excel's "Unicode Text",
/// tab separated) and Windows-1252 (Excel's legacy "CSV" on Western systems).
/// Readers always hand out UTF-8 Strings; writers always write UTF-8.
public enum CSVEncoding: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// UTF-8, unless the input starts with a UTF-16 byte order mark, or (UTF-16 saved without
    /// one) with two ASCII characters in UTF-16. Only as a request.
    case auto
    /// UTF-8 (RFC 3629), with or without a byte order mark, which is skipped.
    case utf8
    /// UTF-16 whose byte order mark decides the byte order (little endian without one; a
    /// UTF-8 byte order mark means UTF-8). Only as a request.
    case utf16
    /// UTF-16 little endian (RFC 2781). A UTF-8 or big-endian byte order mark still wins.
    case utf16LittleEndian
    /// UTF-16 big endian (RFC 2781). A UTF-8 or little-endian byte order mark still wins.
    case utf16BigEndian
    /// Windows-1252 (WHATWG Encoding; its five unassigned bytes map to C1 controls).
    /// A byte order mark still wins: such an input is read as UTF-8 or UTF-16.
    case windows1252

    /// Parses a name as given on a command line (`auto`, `utf-8`, `utf-16`, `utf-16le`,
    /// `utf-16be`, `windows-1252`, `cp1252`), ignoring case, `-` and `_`.
    public init?(name: String) {
        let key = name.lowercased().filter { $0 != "-" && $0 != "_" }
        switch key {
        case "auto": self = .auto
        case "utf8": self = .utf8
        case "utf16", "unicode": self = .utf16
        case "utf16le": self = .utf16LittleEndian
        case "utf16be": self = .utf16BigEndian
        case "windows1252", "cp1252", "win1252": self = .windows1252
        default: return nil
        }
    }

    /// The canonical name (`auto`, `utf-8`, `utf-16`, `utf-16le`, `utf-16be`, `windows-1252`).
    public var name: String {
        switch self {
        case .auto: "auto"
        case .utf8: "utf-8"
        case .utf16: "utf-16"
        case .utf16LittleEndian: "utf-16le"
        case .utf16BigEndian: "utf-16be"
        case .windows1252: "windows-1252"
        }
    }

    /// The canonical name.
    public var description: String { name }
}
