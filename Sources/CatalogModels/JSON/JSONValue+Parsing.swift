import Foundation

extension JSONValue {
    /// Why a JSON text could not be parsed, and where (1-based line and column, in
    /// characters; `offset` in UTF-8 bytes from the start).
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What was wrong, e.g. `expected ',' or '}' after an object member`.
        public let message: String
        /// The line of the offending character, from 1.
        public let line: Int
        /// The column of the offending character within its line, from 1.
        public let column: Int
        /// The byte offset of the offending character, from 0.
        public let offset: Int

        /// `line 3, column 14: expected ':' after an object key`.
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    /// The deepest nesting of arrays and objects the parser accepts.
    public static let maximumDepth = 512

    /// Parses one JSON text (RFC 8259) from UTF-8 `bytes`, keeping number text and key order.
    ///
    /// A leading UTF-8 byte order mark is skipped. Rejected, with line and column: trailing
    /// commas, comments, duplicate keys in one object, unescaped control characters, lone
    /// surrogate escapes, invalid UTF-8, nesting deeper than ``maximumDepth``, and anything
    /// after the value but whitespace.
    public init<Bytes: Collection>(parsing bytes: Bytes) throws(ParseError) where Bytes.Element == UInt8 {
        let array = Array(bytes)
        var parser = JSONParser(bytes: array)
        self = try parser.parseDocument()
    }

    /// Parses one JSON text from a string; see ``init(parsing:)-(Bytes)``.
    public init(parsing text: String) throws(ParseError) {
        try self.init(parsing: Array(text.utf8))
    }
}

/// A recursive-descent parser over UTF-8 bytes.
struct JSONParser {
    let bytes: [UInt8]
    var index = 0
    var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONValue.ParseError) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        skipWhitespace()
        guard index < bytes.count else { throw error("empty document: expected a JSON value") }
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected \(describeCurrent()) after the JSON value") }
        return value
    }

    // MARK: - Values

    mutating func parseValue() throws(JSONValue.ParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input: expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected \(describeCurrent()): expected a value")
        }
    }

    mutating func parseObject() throws(JSONValue.ParseError) -> JSONValue {
        try enterContainer()
        index += 1  // {
        var object = JSONObject()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                if peek() == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
                throw error("unexpected \(describeCurrent()): expected a string key")
            }
            let keyStart = index
            let key = try parseString()
            if object[key] != nil {
                throw error("duplicate key \"\(key)\" in one object", at: keyStart)
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("unexpected \(describeCurrent()): expected ':' after an object key") }
            index += 1
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(object)
            default: throw error("unexpected \(describeCurrent()): expected ',' or '}' after an object member")
            }
        }
    }

    mutating func parseArray() throws(JSONValue.ParseError) -> JSONValue {
        try enterContainer()
        index += 1  // [
        var array: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
            array.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(array)
            default: throw error("unexpected \(describeCurrent()): expected ',' or ']' after an array element")
            }
        }
    }

    mutating func enterContainer() throws(JSONValue.ParseError) {
        depth += 1
        if depth > JSONValue.maximumDepth {
            throw error("nesting deeper than \(JSONValue.maximumDepth) levels")
        }
    }

    mutating func parseNumber() throws(JSONValue.ParseError) -> JSONNumber {
        let start = index
        func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard isDigit(peek()) else { throw error("expected a digit after '-'") }
        if peek() == UInt8(ascii: "0") {
            index += 1
            if isDigit(peek()) { throw error("leading zeros are not allowed in a number", at: start) }
        } else {
            while isDigit(peek()) { index += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard isDigit(peek()) else { throw error("expected a digit after '.' in a number") }
            while isDigit(peek()) { index += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard isDigit(peek()) else { throw error("expected a digit in the exponent of a number") }
            while isDigit(peek()) { index += 1 }
        }
        return JSONNumber(uncheckedText: String(decoding: bytes[start..<index], as: UTF8.self))
    }

    mutating func parseString() throws(JSONValue.ParseError) -> String {
        let quote = index
        index += 1  // "
        var scratch: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw error("unterminated string", at: quote) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                scratch.append(contentsOf: bytes[runStart..<index])
                index += 1
                break
            }
            if byte == UInt8(ascii: "\\") {
                scratch.append(contentsOf: bytes[runStart..<index])
                try parseEscape(into: &scratch)
                runStart = index
                continue
            }
            if byte < 0x20 {
                throw error("unescaped control character U+\(hex4(UInt16(byte))) in a string")
            }
            index += 1
        }
        guard let string = Self.validatedString(scratch) else {
            throw error("invalid UTF-8 in a string", at: quote)
        }
        return string
    }

    /// `bytes` as a String when they are well-formed UTF-8, every byte kept.
    ///
    /// Not Foundation's `String(bytes:encoding:)`, which silently drops a U+FEFF
    /// (byte order mark) at the start of the text: a value such as `"\uFEFFx"` or a
    /// raw U+FEFF at the start of a string must round-trip, as it is part of the
    /// document. Decoding replaces ill-formed sequences with U+FFFD, so a byte-for-byte
    /// comparison tells whether there were any.
    static func validatedString(_ bytes: [UInt8]) -> String? {
        let string = String(decoding: bytes, as: UTF8.self)
        return string.utf8.elementsEqual(bytes) ? string : nil
    }

    mutating func parseEscape(into scratch: inout [UInt8]) throws(JSONValue.ParseError) {
        let start = index
        index += 1  // backslash
        guard let byte = peek() else { throw error("unterminated escape", at: start) }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHex4(escapeStart: start)
            var scalarValue = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("lone high surrogate \\u\(hex4(unit)) in a string", at: start)
                }
                let lowStart = index
                index += 2
                let low = try parseHex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("high surrogate \\u\(hex4(unit)) not followed by a low surrogate", at: start)
                }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw error("lone low surrogate \\u\(hex4(unit)) in a string", at: start)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { throw error("invalid escape", at: start) }
            scratch.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw error("invalid escape '\\\(describe(byte))' in a string", at: start)
        }
    }

    mutating func parseHex4(escapeStart: Int) throws(JSONValue.ParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = peek() else { throw error("unterminated \\u escape", at: escapeStart) }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("\\u escape needs four hex digits", at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    mutating func expectLiteral(_ literal: String) throws(JSONValue.ParseError) {
        let start = index
        for byte in literal.utf8 {
            guard peek() == byte else {
                index = start
                throw error("unexpected \(describeCurrent()): expected a value")
            }
            index += 1
        }
    }

    // MARK: - Helpers

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        return "'\(describe(bytes[index]))'"
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return String(UnicodeScalar(byte)) }
        return "\\x" + String(byte, radix: 16, uppercase: true)
    }

    func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONValue.ParseError {
        let offset = min(offset ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        var prefix = Array(bytes[lineStart..<offset])
        if line == 1 && prefix.starts(with: [0xEF, 0xBB, 0xBF]) { prefix.removeFirst(3) }
        let column = String(decoding: prefix, as: UTF8.self).count + 1
        return JSONValue.ParseError(message: message, line: line, column: column, offset: offset)
    }
}
