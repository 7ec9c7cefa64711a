import CatalogModels

/// Where each string token (object keys and string values) of a JSON text starts, in
/// document order.
///
/// CatalogModels' parser keeps key order and rejects duplicate keys, so walking a parsed
/// value key-then-value, element by element, meets its strings in exactly this order:
/// that is how the template compiler knows the line and column of every placeholder
/// without a second parser. Columns count Unicode scalars from 1, like CSVKit's.
enum JSONStringLocations {
    /// Scans a JSON text (already known to parse) for string starts.
    static func scan(_ bytes: [UInt8]) -> [SourceLocation] {
        var locations: [SourceLocation] = []
        var line = 1
        var column = 1
        var i = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                locations.append(SourceLocation(line: line, column: column))
                // Skip to the closing quote; strings hold no raw line breaks.
                i += 1
                column += 1
                while i < n {
                    let b = bytes[i]
                    if b == UInt8(ascii: "\\") {
                        i += 2
                        column += 2
                        continue
                    }
                    if b & 0xC0 != 0x80 { column += 1 }
                    i += 1
                    if b == UInt8(ascii: "\"") { break }
                }
                continue
            }
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return locations
    }

    /// The number of string tokens a value holds (its keys and string values, nested).
    static func tokenCount(_ value: JSONValue) -> Int {
        switch value {
        case .string: return 1
        case .array(let elements): return elements.reduce(0) { $0 + tokenCount($1) }
        case .object(let object): return object.reduce(0) { $0 + 1 + tokenCount($1.value) }
        case .null, .bool, .number: return 0
        }
    }
}

/// The locations of the strings of one value: a slice of the document's, or one fixed
/// location for a value parsed from inside a string (a `Details` JSON string).
struct Locations {
    var slice: ArraySlice<SourceLocation>
    let fixed: SourceLocation?

    init(_ slice: ArraySlice<SourceLocation>) {
        self.slice = slice
        fixed = nil
    }

    init(fixed: SourceLocation) {
        slice = []
        self.fixed = fixed
    }

    /// The location of the first string of this value (or of the value itself).
    var first: SourceLocation { fixed ?? slice.first ?? SourceLocation(line: 0, column: 0) }

    /// The locations from the `offset`-th string on, `count` of them.
    func sub(_ offset: Int, _ count: Int) -> Locations {
        if fixed != nil { return self }
        let start = slice.startIndex + offset
        let end = min(start + count, slice.endIndex)
        return Locations(slice[min(start, slice.endIndex)..<end])
    }

    func at(_ offset: Int) -> SourceLocation {
        if let fixed { return fixed }
        let index = slice.startIndex + offset
        return index < slice.endIndex ? slice[index] : first
    }
}
