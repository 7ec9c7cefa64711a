/// The byte sequence that ends a record (RFC 4180 §2.1 uses CRLF).
public enum CSVRecordEnd: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `\n`, as Unix tools write.
    case lf
    /// `\r\n`, as RFC 4180 and Windows write.
    case crlf
    /// A lone `\r`, as classic Mac OS (and old Excel for Mac) wrote.
    case cr

    /// The bytes written for this record end.
    public var bytes: [UInt8] {
        switch self {
        case .lf: [0x0A]
        case .crlf: [0x0D, 0x0A]
        case .cr: [0x0D]
        }
    }

    /// `LF`, `CRLF` or `CR`.
    public var description: String {
        switch self {
        case .lf: "LF"
        case .crlf: "CRLF"
        case .cr: "CR"
        }
    }
}

/// Which record ends an input uses, as seen by sniffing or reading (RFC 4180 §2.1).
///
/// Line breaks inside quoted fields are field content and do not count.
public enum CSVRecordEndStyle: Sendable, Hashable, CustomStringConvertible {
    /// Every record end is LF.
    case lf
    /// Every record end is CRLF.
    case crlf
    /// Every record end is a lone CR.
    case cr
    /// More than one kind of record end occurs.
    case mixed
    /// No record end was seen (empty input, or one record without a final line break).
    case none

    /// The style that the given numbers of each record end make.
    public init(lf: Int, crlf: Int, cr: Int) {
        switch (lf > 0, crlf > 0, cr > 0) {
        case (false, false, false): self = .none
        case (true, false, false): self = .lf
        case (false, true, false): self = .crlf
        case (false, false, true): self = .cr
        default: self = .mixed
        }
    }

    /// `LF`, `CRLF`, `CR`, `mixed` or `none`.
    public var description: String {
        switch self {
        case .lf: "LF"
        case .crlf: "CRLF"
        case .cr: "CR"
        case .mixed: "mixed"
        case .none: "none"
        }
    }
}
