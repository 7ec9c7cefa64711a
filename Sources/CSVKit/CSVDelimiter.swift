/// The byte that separates fields in a record (RFC 4180 §2.4 uses the comma).
///
/// Spreadsheets in many locales write `;`, Excel's "Unicode Text" writes tab, and
/// some exports use `|`. Any ASCII character other than the quote, CR and LF works.
public struct CSVDelimiter: Sendable, Hashable, CustomStringConvertible {
    /// The delimiter's ASCII code.
    public let asciiValue: UInt8

    private init(unchecked byte: UInt8) { asciiValue = byte }

    /// Creates a delimiter from an ASCII character; nil for non-ASCII, `"`, CR or LF.
    public init?(_ character: Character) {
        guard let byte = character.asciiValue, byte != UInt8(ascii: "\""), byte != 0x0A, byte != 0x0D else {
            return nil
        }
        asciiValue = byte
    }

    /// `,` (RFC 4180).
    public static let comma = CSVDelimiter(unchecked: UInt8(ascii: ","))
    /// `;` (Excel in locales whose decimal separator is a comma).
    public static let semicolon = CSVDelimiter(unchecked: UInt8(ascii: ";"))
    /// Horizontal tab (TSV; Excel's "Unicode Text").
    public static let tab = CSVDelimiter(unchecked: 0x09)
    /// `|`.
    public static let pipe = CSVDelimiter(unchecked: UInt8(ascii: "|"))

    /// The delimiters that sniffing chooses among, in order of preference on a tie.
    public static let candidates: [CSVDelimiter] = [.comma, .semicolon, .tab, .pipe]

    /// The delimiter as a character.
    public var character: Character { Character(Unicode.Scalar(asciiValue)) }

    /// A readable name: `comma`, `semicolon`, `tab`, `pipe`, or the character quoted.
    public var description: String {
        switch asciiValue {
        case UInt8(ascii: ","): "comma"
        case UInt8(ascii: ";"): "semicolon"
        case 0x09: "tab"
        case UInt8(ascii: "|"): "pipe"
        default: "'\(character)'"
        }
    }
}
