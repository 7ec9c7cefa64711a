import Foundation
import CatalogModels

/// The shape a change's details must have, checked synchronously at StartChangeSet (a
/// mismatch is a `ValidationException`, 422, and no change set is created).
///
/// A tiny schema language, enough for the DetailsDocument shapes of the change types the
/// emulator models: objects with required and optional members (unknown members rejected, so
/// a misspelt key is caught), arrays with sizes, strings with formats, integers with ranges,
/// and term lists discriminated by their `Type`.
indirect enum DetailsSchema: Sendable {
    /// An object.
    case object(ObjectShape)
    /// An array of `element`, `min`…`max` long.
    case array(DetailsSchema, min: Int, max: Int)
    /// A string in a format.
    case string(StringFormat)
    /// A JSON integer in a range.
    case integer(min: Int, max: Int)
    /// `true` or `false`.
    case boolean
    /// Anything.
    case any
    /// Objects told apart by their `Type` member, each with its own shape.
    case tagged([String: ObjectShape])
}

/// The members of an object schema.
struct ObjectShape: Sendable {
    /// Required members, in the order they are checked.
    var required: [(String, DetailsSchema)]
    /// Optional members.
    var optional: [(String, DetailsSchema)]
    /// Whether members other than the listed ones are accepted.
    var open: Bool
    /// Whether at least one listed member must be present (Update… changes with nothing to update).
    var nonEmpty: Bool

    init(required: [(String, DetailsSchema)] = [], optional: [(String, DetailsSchema)] = [], open: Bool = false,
         nonEmpty: Bool = false) {
        self.required = required
        self.optional = optional
        self.open = open
        self.nonEmpty = nonEmpty
    }
}

/// String formats details use.
enum StringFormat: Sendable {
    /// Any text of `min`…`max` characters.
    case text(min: Int, max: Int)
    /// A 12-digit AWS account id.
    case accountId
    /// A calendar date `YYYY-MM-DD`; `notPast` refuses dates before today (UTC).
    case date(notPast: Bool)
    /// An ISO 8601 duration such as `P12M`, `P365D`, `P1Y`.
    case duration
    /// A decimal amount as a string (`150`, `0.25`, `220.00`): digits, at most 6 decimals.
    case price
    /// A supported currency code.
    case currency
    /// One of the listed values.
    case oneOf([String])
    /// An entity id with the prefix (`prod-`, `resaleauthz-` …), or, when `allowReference`, a
    /// reference `$ChangeName.Entity.Identifier`.
    case entityId(prefix: String, allowReference: Bool)
    /// An agreement id `agmt-…`.
    case agreementId
    /// A resale authorization name: 1–100 characters, no special characters.
    case resaleAuthorizationName
    /// An `https://` (or `http://`) URL.
    case url
    /// An ISO 3166 alpha-2 country code.
    case countryCode
    /// A percentage as a string, 0–100 (`5.0`).
    case percentage
}

/// Why details do not fit their schema: the path of the offending member and what is wrong.
struct DetailsProblem: Error, Sendable {
    var path: String
    var message: String

    /// `Terms[0].CurrencyCode: …`, or the message alone at the top level.
    var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// The checking context: what "today" is.
struct SchemaContext: Sendable {
    /// Days since 1970-01-01 of the current UTC date.
    var today: Int64
}

extension DetailsSchema {
    /// The currencies AWS Marketplace prices in.
    static let currencies = ["USD", "EUR", "GBP", "AUD", "JPY"]

    /// Characters a resale authorization name must not contain ("special characters").
    static let forbiddenNameCharacters: Set<Character> = ["\"", "'", "<", ">", "{", "}", "[", "]", "\\", "|", "^", "~", "`", "$"]

    /// Checks `value`; throws the first problem found.
    func check(_ value: JSONValue, path: String = "", context: SchemaContext) throws(DetailsProblem) {
        switch self {
        case .any:
            return
        case .boolean:
            guard value.boolValue != nil else { throw DetailsProblem(path: path, message: "expected true or false, found \(describe(value))") }
        case .integer(let min, let max):
            guard case .number(let number) = value, let int = number.intValue else {
                throw DetailsProblem(path: path, message: "expected an integer, found \(describe(value))")
            }
            guard int >= min, int <= max else {
                throw DetailsProblem(path: path, message: "\(int) is out of range (\(min)–\(max))")
            }
        case .string(let format):
            guard let text = value.stringValue else {
                throw DetailsProblem(path: path, message: "expected a string, found \(describe(value))")
            }
            try format.check(text, path: path, context: context)
        case .array(let element, let min, let max):
            guard let items = value.arrayValue else {
                throw DetailsProblem(path: path, message: "expected an array, found \(describe(value))")
            }
            guard items.count >= min else {
                throw DetailsProblem(path: path, message: min == 1 ? "must not be empty" : "needs at least \(min) items, has \(items.count)")
            }
            guard items.count <= max else {
                throw DetailsProblem(path: path, message: "has \(items.count) items; at most \(max) are allowed")
            }
            for (i, item) in items.enumerated() {
                try element.check(item, path: "\(path)[\(i)]", context: context)
            }
        case .object(let shape):
            try shape.check(value, path: path, context: context)
        case .tagged(let shapes):
            guard value.objectValue != nil else {
                throw DetailsProblem(path: path, message: "expected an object, found \(describe(value))")
            }
            guard let type = value["Type"]?.stringValue else {
                throw DetailsProblem(path: join(path, "Type"),
                                     message: "is required; one of " + shapes.keys.sorted().joined(separator: ", "))
            }
            guard let shape = shapes[type] else {
                throw DetailsProblem(path: join(path, "Type"),
                                     message: "\"\(type)\" is not valid here; expected one of " + shapes.keys.sorted().joined(separator: ", "))
            }
            var withType = shape
            withType.required.insert(("Type", .any), at: 0)
            try withType.check(value, path: path, context: context)
        }
    }
}

extension ObjectShape {
    func check(_ value: JSONValue, path: String, context: SchemaContext) throws(DetailsProblem) {
        guard let object = value.objectValue else {
            throw DetailsProblem(path: path, message: "expected an object, found \(describe(value))")
        }
        for (name, schema) in required {
            guard let member = object[name] else {
                throw DetailsProblem(path: join(path, name), message: "is required")
            }
            try schema.check(member, path: join(path, name), context: context)
        }
        var present = 0
        for (name, schema) in optional {
            guard let member = object[name] else { continue }
            present += 1
            if member.isNull { continue }
            try schema.check(member, path: join(path, name), context: context)
        }
        if !open {
            let known = Set(required.map(\.0) + optional.map(\.0))
            if let extra = object.keys.first(where: { !known.contains($0) }) {
                let allowed = (required.map(\.0) + optional.map(\.0)).joined(separator: ", ")
                throw DetailsProblem(path: join(path, extra),
                                     message: "is not a recognized field" + (allowed.isEmpty ? " (expected an empty object)" : "; expected \(allowed)"))
            }
        }
        if nonEmpty, required.isEmpty, present == 0 {
            throw DetailsProblem(path: path, message: "needs at least one of " + optional.map(\.0).joined(separator: ", "))
        }
    }
}

extension StringFormat {
    func check(_ text: String, path: String, context: SchemaContext) throws(DetailsProblem) {
        switch self {
        case .text(let min, let max):
            guard text.count >= min else {
                throw DetailsProblem(path: path, message: min == 1 ? "must not be empty" : "must have at least \(min) characters")
            }
            guard text.count <= max else { throw DetailsProblem(path: path, message: "has \(text.count) characters; at most \(max) are allowed") }
        case .accountId:
            guard text.count == 12, text.allSatisfy(\.isASCIIDigitCharacter) else {
                throw DetailsProblem(path: path, message: "\"\(text)\" is not a 12-digit AWS account id")
            }
        case .date(let notPast):
            guard let day = CatalogTime.parseDay(text) else {
                throw DetailsProblem(path: path, message: "\"\(text)\" is not a date in YYYY-MM-DD format")
            }
            if notPast, day < context.today {
                throw DetailsProblem(path: path, message: "\(text) is in the past (today is \(CatalogTime.day(number: context.today)) UTC)")
            }
        case .duration:
            guard StringFormat.isDuration(text) else {
                throw DetailsProblem(path: path, message: "\"\(text)\" is not an ISO 8601 duration such as P12M or P365D")
            }
        case .price:
            guard StringFormat.isPrice(text) else {
                throw DetailsProblem(path: path, message: "\"\(text)\" is not an amount such as 150 or 0.25 (digits, a point, at most 6 decimals)")
            }
        case .currency:
            guard DetailsSchema.currencies.contains(text) else {
                throw DetailsProblem(path: path, message: "\"\(text)\" is not a supported currency code (\(DetailsSchema.currencies.joined(separator: ", ")))")
            }
        case .oneOf(let values):
            guard values.contains(text) else {
                throw DetailsProblem(path: path, message: "\"\(text)\" is not valid; expected one of \(values.joined(separator: ", "))")
            }
        case .entityId(let prefix, let allowReference):
            if allowReference, text.hasPrefix("$") {
                guard ChangeReference(text) != nil else {
                    throw DetailsProblem(path: path, message: "\"\(text)\" is not a reference of the form $ChangeName.Entity.Identifier")
                }
                return
            }
            let base = text.split(separator: "@", maxSplits: 1).first.map(String.init) ?? text
            guard base.hasPrefix(prefix), base.count > prefix.count, base.count <= 255,
                  base.dropFirst(prefix.count).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw DetailsProblem(path: path, message: "\"\(text)\" is not a valid id (expected \(prefix)…)")
            }
        case .agreementId:
            guard text.hasPrefix("agmt-"), text.count > 5, text.dropFirst(5).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw DetailsProblem(path: path, message: "\"\(text)\" is not an agreement id (expected agmt-…)")
            }
        case .resaleAuthorizationName:
            guard !text.isEmpty else { throw DetailsProblem(path: path, message: "must not be empty") }
            guard text.count <= 100 else {
                throw DetailsProblem(path: path, message: "has \(text.count) characters; a resale authorization name has at most 100")
            }
            if let bad = text.first(where: { DetailsSchema.forbiddenNameCharacters.contains($0) || $0.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) }) {
                let shown = bad.unicodeScalars.first.map { $0.properties.generalCategory == .control ? String(format: "U+%04X", $0.value) : "'\(bad)'" } ?? "?"
                throw DetailsProblem(path: path, message: "contains the special character \(shown); names may not contain quotes, angle brackets, braces, brackets, backslash, |, ^, ~, `, $ or control characters")
            }
        case .url:
            guard (text.hasPrefix("https://") || text.hasPrefix("http://")), text.count > 10, !text.contains(" ") else {
                throw DetailsProblem(path: path, message: "\"\(text)\" is not an http(s) URL")
            }
        case .countryCode:
            guard text.count == 2, text.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw DetailsProblem(path: path, message: "\"\(text)\" is not an ISO 3166 two-letter country code such as US")
            }
        case .percentage:
            guard StringFormat.isPrice(text), let value = Double(text), value >= 0, value <= 100 else {
                throw DetailsProblem(path: path, message: "\"\(text)\" is not a percentage from 0 to 100 written as a string, e.g. \"5.0\"")
            }
        }
    }

    /// `P` followed by years, months, weeks and days in that order (at least one).
    static func isDuration(_ text: String) -> Bool {
        guard text.hasPrefix("P"), text.count > 1 else { return false }
        var rest = Substring(text.dropFirst())
        var order = ["Y", "M", "W", "D"][...]
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCIIDigitCharacter }
            guard !digits.isEmpty, digits.count <= 5 else { return false }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first.map(String.init), let index = order.firstIndex(of: unit) else { return false }
            order = order[(index + 1)...]
            rest = rest.dropFirst()
        }
        return true
    }

    /// Digits, optionally a point and 1–6 digits.
    static func isPrice(_ text: String) -> Bool {
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 12,
              parts[0].allSatisfy(\.isASCIIDigitCharacter) else { return false }
        if parts.count == 2 {
            return (1...6).contains(parts[1].count) && parts[1].allSatisfy(\.isASCIIDigitCharacter)
        }
        return true
    }
}

/// `Terms[0]` + `Type` → `Terms[0].Type`.
func join(_ path: String, _ member: String) -> String {
    path.isEmpty ? member : "\(path).\(member)"
}

/// A short description of a JSON value's type for messages: `the number 150`.
func describe(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let b): return "\(b)"
    case .number(let n): return "the number \(n.text)"
    case .string(let s): return "the string \"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
    case .array: return "an array"
    case .object: return "an object"
    }
}

/// A reference to the entity another change of the same set creates: `$ChangeName.Entity.Identifier`.
struct ChangeReference: Sendable, Hashable {
    /// The referenced ChangeName.
    var changeName: String

    /// Reads `$Name.Entity.Identifier`; `nil` for anything else.
    init?(_ text: String) {
        let suffix = ".Entity.Identifier"
        guard text.hasPrefix("$"), text.hasSuffix(suffix), text.count > suffix.count + 1 else { return nil }
        changeName = String(text.dropFirst().dropLast(suffix.count))
    }

    /// The reference text.
    var text: String { "$\(changeName).Entity.Identifier" }
}
