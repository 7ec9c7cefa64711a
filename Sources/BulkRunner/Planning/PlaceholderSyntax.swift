import Foundation
/// The placeholder syntax inside template strings.
///
/// ```text
/// {{Name}}            the --set constant Name, else the column Name (case, spaces, _ and - ignored)
/// {{Name:type}}       typed whole value: string, list, number, integer, boolean, json
/// {{Name?}}           optional: when blank, the change holding it is left out of that row
/// {{Name|default}}    the default text when the value is blank or there is no such column
/// {{Name:type?}}  {{Name:type|default}}   combined
/// ```
///
/// A typed placeholder must be the whole string (`"{{QTY:number}}"`); untyped ones may sit
/// inside text (`"Grant for {{Partner}}"`) and are inserted as text. A name holds any
/// characters but `{ } : ? |`.
enum PlaceholderSyntax {
    /// A placeholder as written, before its name is bound to a slot.
    struct Parsed: Sendable, Hashable {
        let name: String
        let kind: ValueKind?
        let optional: Bool
        let defaultValue: String?
    }

    enum Piece: Sendable, Hashable {
        case text(String)
        case placeholder(Parsed)
    }

    /// Whether `text` contains `{{` at all (the fast path: most strings do not).
    static func mayContainPlaceholder(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "{") && previous == UInt8(ascii: "{") { return true }
            previous = byte
        }
        return false
    }

    /// Splits `text` into text and placeholders; the error message says what is wrong.
    static func parse(_ text: String) -> Result<[Piece], SyntaxError> {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                return .failure(SyntaxError(message: "\"{{\" is not closed by \"}}\"",
                                            hint: "write placeholders as {{Name}}; a template cannot hold a literal \"{{\""))
            }
            // `{{{X}}}` or `{{A {{B}}`: a placeholder may not contain braces.
            let content = afterOpen[..<close.lowerBound]
            if content.contains("{") || content.contains("}") {
                return .failure(SyntaxError(message: "placeholder \"{{\(content)}}\" contains a brace",
                                            hint: "write placeholders as {{Name}} with no braces inside"))
            }
            switch parsePlaceholder(String(content)) {
            case .success(let parsed): pieces.append(.placeholder(parsed))
            case .failure(let error): return .failure(error)
            }
            rest = afterOpen[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        return .success(pieces)
    }

    /// Parses what is between `{{` and `}}`.
    static func parsePlaceholder(_ content: String) -> Result<Parsed, SyntaxError> {
        var head = Substring(content)
        var defaultValue: String?
        if let bar = content.firstIndex(of: "|") {
            head = content[..<bar]
            defaultValue = String(content[content.index(after: bar)...]).trimmingSpaces
        }
        var headText = String(head).trimmingSpaces
        var optional = false
        if headText.hasSuffix("?") {
            optional = true
            headText = String(headText.dropLast()).trimmingSpaces
        }
        var kind: ValueKind?
        var name = headText
        if let colon = headText.firstIndex(of: ":") {
            name = String(headText[..<colon]).trimmingSpaces
            let typeName = String(headText[headText.index(after: colon)...]).trimmingSpaces
            guard let parsed = ValueKind.named(typeName) else {
                return .failure(SyntaxError(
                    message: "unknown placeholder type \"\(typeName)\" in {{\(content)}}",
                    hint: "use one of: " + ValueKind.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            kind = parsed
        }
        guard !name.isEmpty else {
            return .failure(SyntaxError(message: "placeholder {{\(content)}} has no name",
                                        hint: "write {{Name}}, naming a column or a --set constant"))
        }
        if let bad = name.first(where: { "?:|".contains($0) || $0.isNewline }) {
            return .failure(SyntaxError(message: "placeholder name \"\(name)\" contains \"\(bad)\"",
                                        hint: "write {{Name}}, {{Name:type}}, {{Name?}} or {{Name|default}}"))
        }
        if optional && defaultValue != nil {
            return .failure(SyntaxError(message: "placeholder {{\(content)}} is both optional (?) and has a default (|)",
                                        hint: "choose one: {{\(name)?}} leaves the change out when blank, {{\(name)|…}} fills in the default"))
        }
        return .success(Parsed(name: name, kind: kind, optional: optional, defaultValue: defaultValue))
    }

    struct SyntaxError: Error, Sendable, Hashable {
        let message: String
        let hint: String
    }
}

/// `$ChangeName.Entity.Identifier` references between changes of one change set.
enum ChangeReference {
    static let suffix = ".Entity.Identifier"

    /// The ChangeName in `text` when it is exactly a reference (`$` + letters and digits +
    /// `.Entity.Identifier`).
    static func name(in text: String) -> String? {
        guard text.hasPrefix("$"), text.hasSuffix(suffix) else { return nil }
        let name = text.dropFirst().dropLast(suffix.count)
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return String(name)
    }

    /// Whether `text` looks like an attempt at a reference (starts with `$`, mentions `.Entity.`).
    static func looksLikeReference(_ text: String) -> Bool {
        text.hasPrefix("$") && text.contains(".Entity.")
    }

    static func make(_ name: String) -> String { "$" + name + suffix }
}

extension String {
    /// Without leading and trailing whitespace and line breaks.
    var trimmingSpaces: String {
        // Fast path: starts and ends with a visible ASCII character.
        if let f = utf8.first, let l = utf8.last, f > 0x20, f < 0x7F, l > 0x20, l < 0x7F { return self }
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
