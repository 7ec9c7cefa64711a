import Foundation

extension JSONValue {
    /// The value as compact JSON: no whitespace, keys in their stored order, numbers as written.
    public var compactString: String {
        var out = ""
        JSONWriter.write(self, to: &out, style: .compact, level: 0)
        return out
    }

    /// The value as indented JSON (`indent` spaces a level, `"key": value`, `[]`/`{}` when
    /// empty), keys in their stored order, numbers as written; no trailing newline.
    public func prettyString(indent: Int = 2) -> String {
        var out = ""
        JSONWriter.write(self, to: &out, style: .pretty(indent: max(0, indent)), level: 0)
        return out
    }

    /// The canonical form for hashing and comparing: no whitespace, object keys sorted by
    /// UTF-16 code units (as in RFC 8785), strings escaped minimally, numbers as written
    /// except the exponent, which is normalised (`1E+05` → `1e5`).
    ///
    /// Number digits are not re-spelled: `1.50` and `1.5` stay distinct, as they are
    /// distinct requests on the wire. Equal values (``JSONValue/==``) give equal text.
    public var canonicalString: String {
        var out = ""
        JSONWriter.write(self, to: &out, style: .canonical, level: 0)
        return out
    }

    /// ``compactString`` as UTF-8.
    public var compactData: Data { Data(compactString.utf8) }

    /// ``canonicalString`` as UTF-8.
    public var canonicalData: Data { Data(canonicalString.utf8) }
}

/// Writes `JSONValue`s as text.
enum JSONWriter {
    enum Style {
        case compact
        case pretty(indent: Int)
        case canonical
    }

    static func write(_ value: JSONValue, to out: inout String, style: Style, level: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n):
            if case .canonical = style { out += n.canonicalText } else { out += n.text }
        case .string(let s): writeString(s, to: &out)
        case .array(let elements):
            if elements.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += "," }
                newline(&out, style: style, level: level + 1)
                write(element, to: &out, style: style, level: level + 1)
            }
            newline(&out, style: style, level: level)
            out += "]"
        case .object(let object):
            if object.isEmpty {
                out += "{}"
                return
            }
            var entries = object.entries
            if case .canonical = style {
                entries.sort { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
            }
            out += "{"
            for (i, entry) in entries.enumerated() {
                if i > 0 { out += "," }
                newline(&out, style: style, level: level + 1)
                writeString(entry.key, to: &out)
                if case .pretty = style { out += ": " } else { out += ":" }
                write(entry.value, to: &out, style: style, level: level + 1)
            }
            newline(&out, style: style, level: level)
            out += "}"
        }
    }

    static func newline(_ out: inout String, style: Style, level: Int) {
        guard case .pretty(let indent) = style else { return }
        out += "\n"
        out += String(repeating: " ", count: indent * level)
    }

    /// Escapes `"`, `\` and control characters (short forms where JSON has them, else
    /// `\u00XX`); everything else, including non-ASCII and `/`, is written as is.
    static func writeString(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
