extension ValueChecks {
    /// The kinds of entity ids BulkRunner handles, by prefix.
    public enum EntityIdKind: String, Sendable, Hashable, CaseIterable {
        /// `prod-…` (AmiProduct, ContainerProduct, SaaSProduct, DataProduct …).
        case product = "prod-"
        /// `offer-…`.
        case offer = "offer-"
        /// `resaleauthz-…`.
        case resaleAuthorization = "resaleauthz-"
        /// `offerset-…`.
        case offerSet = "offerset-"

        /// The id prefix, e.g. `offer-`.
        public var prefix: String { rawValue }

        /// A name for messages, e.g. `resale authorization id`.
        var noun: String {
            switch self {
            case .product: return "product id"
            case .offer: return "offer id"
            case .resaleAuthorization: return "resale authorization id"
            case .offerSet: return "offer set id"
            }
        }
    }

    /// Checks an entity id: `prod-…`, `offer-…`, `resaleauthz-…` or `offerset-…` followed by
    /// letters and digits, optionally with an `@revision` suffix (`offer-abc123@2`), within
    /// the model's `EntityId` rules (≤ 255 characters, `^[a-zA-Z0-9][.a-zA-Z0-9/-]+[a-zA-Z0-9]$`
    /// before the revision).
    ///
    /// - Parameters:
    ///   - kind: the expected kind; `nil` accepts any of ``EntityIdKind``.
    ///   - allowRevision: whether an `@revision` suffix is accepted (it is stripped from
    ///     nothing: the normalised value keeps it).
    ///   - allowReference: whether a same-change-set reference `$ChangeName.Entity.Identifier`
    ///     is accepted.
    public static func entityId(_ raw: String, kind: EntityIdKind? = nil, allowRevision: Bool = true,
                                allowReference: Bool = false) -> ValueCheckResult {
        let value = trimmed(raw)
        let noun = kind?.noun ?? "entity id"
        guard !value.isEmpty else {
            return invalid(.empty, "\(noun) is empty", "enter the id, e.g. \(kind?.prefix ?? "offer-")abcdefghij123")
        }
        if value.hasPrefix("$") {
            if allowReference, isReference(value) { return .valid(normalized: value) }
            return invalid(.invalidFormat, "\"\(value)\" is not a valid \(noun)",
                           allowReference ? "a reference is written $ChangeName.Entity.Identifier (ChangeName letters and digits)"
                                          : "references to other changes are not allowed here; enter the id itself")
        }
        guard value.count <= 255 else {
            return invalid(.tooLong, "\(noun) is \(value.count) characters long", "an entity id has at most 255 characters")
        }
        if value.contains(where: \.isWhitespace) {
            let joined = String(value.filter { !$0.isWhitespace })
            return invalid(.separators, "\(noun) \"\(value)\" contains spaces", "remove the spaces",
                           suggestion: entityId(joined, kind: kind, allowRevision: allowRevision).normalized)
        }
        var base = Substring(value)
        var revision: Substring?
        if let at = value.firstIndex(of: "@") {
            base = value[..<at]
            revision = value[value.index(after: at)...]
        }
        if let revision {
            guard allowRevision else {
                return invalid(.invalidFormat, "\(noun) \"\(value)\" has a revision suffix", "remove \"@\(revision)\"",
                               suggestion: String(base))
            }
            guard !revision.isEmpty, revision.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter }) else {
                return invalid(.invalidFormat, "\(noun) \"\(value)\" has a malformed revision suffix",
                               "a revision is written @ followed by letters or digits, e.g. @2")
            }
        }
        let lower = base.lowercased()
        let matched = EntityIdKind.allCases.first { lower.hasPrefix($0.prefix) }
        guard let matched else {
            return invalid(.invalidFormat, "\"\(value)\" is not a \(noun)",
                           "expected \(kind.map { "\($0.prefix)…" } ?? "prod-…, offer-…, resaleauthz-… or offerset-…")")
        }
        if let kind, matched != kind {
            return invalid(.invalidFormat, "\"\(value)\" is a \(matched.noun), not a \(kind.noun)",
                           "expected \(kind.prefix)…; check the column")
        }
        let body = base.dropFirst(matched.prefix.count)
        guard !body.isEmpty, body.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter }) else {
            return invalid(.invalidCharacters, "\(matched.noun) \"\(value)\" has characters other than letters and digits after \(matched.prefix)",
                           "copy the id exactly, e.g. \(matched.prefix)abcdefghij123")
        }
        if !base.hasPrefix(matched.prefix) {
            let fixed = matched.prefix + body + (revision.map { "@\($0)" } ?? "")
            return invalid(.wrongCase, "\(matched.noun) \"\(value)\" has an upper-case prefix",
                           "write the prefix in lower case", suggestion: fixed)
        }
        return .valid(normalized: value)
    }

    /// Whether `value` is `$Name.Entity.Identifier` with a letters-and-digits name.
    static func isReference(_ value: String) -> Bool {
        let suffix = ".Entity.Identifier"
        guard value.hasPrefix("$"), value.hasSuffix(suffix) else { return false }
        let name = value.dropFirst().dropLast(suffix.count)
        return (1...72).contains(name.count) && name.allSatisfy { $0.isASCIIDigit || $0.isASCIILetter }
    }

    /// Checks a `ChangeName`: 1–72 letters and digits (the model's pattern `^[a-zA-Z]$` is
    /// broken; this is what references `$ChangeName.Entity.Identifier` can use safely).
    public static func changeName(_ raw: String) -> ValueCheckResult {
        let value = trimmed(raw)
        guard !value.isEmpty else { return invalid(.empty, "change name is empty", "use letters and digits, e.g. CreateOffer1") }
        let cleaned = String(value.filter { $0.isASCIIDigit || $0.isASCIILetter })
        guard cleaned.count == value.count else {
            return invalid(.invalidCharacters, "change name \"\(value)\" has characters other than letters and digits",
                           "use letters and digits only", suggestion: (1...72).contains(cleaned.count) ? cleaned : nil)
        }
        guard value.count <= 72 else {
            return invalid(.tooLong, "change name is \(value.count) characters long", "use at most 72 letters and digits",
                           suggestion: String(value.prefix(72)))
        }
        return .valid(normalized: value)
    }

    /// Checks a `ClientRequestToken`. Strict (default): `^[A-Za-z0-9_-]{1,36}$`, the shape an
    /// older API reference allowed and BulkRunner generates. Lenient: the model's 1–64
    /// printable ASCII characters (`^[!-~]+$`). The value is not trimmed.
    public static func clientRequestToken(_ value: String, strict: Bool = true) -> ValueCheckResult {
        guard !value.isEmpty else { return invalid(.empty, "client request token is empty", "leave it out or use 1–36 letters, digits, '_' or '-'") }
        if strict {
            guard value.count <= 36 else {
                return invalid(.tooLong, "client request token is \(value.count) characters long", "use at most 36 characters")
            }
            guard value.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter || $0 == "_" || $0 == "-" }) else {
                return invalid(.invalidCharacters, "client request token \"\(value)\" has characters other than letters, digits, '_' and '-'",
                               "use only letters, digits, '_' and '-'")
            }
        } else {
            guard value.count <= 64 else {
                return invalid(.tooLong, "client request token is \(value.count) characters long", "use at most 64 characters")
            }
            guard value.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
                return invalid(.invalidCharacters, "client request token has characters outside printable ASCII",
                               "use printable ASCII without spaces")
            }
        }
        return .valid(normalized: value)
    }

    /// Checks a `ChangeSetName`: 1–100 characters of letters, digits, `_`, whitespace and
    /// `+=.:@-` (the model's `^[\w\s+=.:@-]+$`, with `\w` read as ASCII).
    public static func changeSetName(_ raw: String) -> ValueCheckResult {
        let value = raw
        guard !trimmed(value).isEmpty else { return invalid(.empty, "change set name is empty", "use letters, digits and _+=.:@-") }
        guard value.count <= 100 else {
            return invalid(.tooLong, "change set name is \(value.count) characters long", "use at most 100 characters")
        }
        let extra: Set<Character> = ["_", "+", "=", ".", ":", "@", "-", " ", "\t"]
        guard value.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter || extra.contains($0) }) else {
            return invalid(.invalidCharacters, "change set name \"\(value)\" has characters the service rejects",
                           "use letters, digits, spaces and _+=.:@- only")
        }
        return .valid(normalized: value)
    }
}

extension ValueChecks {
    /// Characters the service is expected to reject in entity names (the API reference
    /// forbids "special characters" without listing them; this is the conservative set).
    static let nameForbiddenCharacters: Set<Character> = ["\"", "'", "<", ">", "{", "}", "[", "]", "\\", "|", "^", "~", "`", "$"]

    /// Checks a resale authorization `Name` (or a similar entity name): 1–`maxLength`
    /// characters (100 for resale authorizations), without the characters the service is
    /// expected to reject: quotes, `<>{}[]\|^~` and backtick, `$`, and control characters.
    /// Rejecting them here keeps one such row from failing its neighbours in a packed set.
    public static func entityName(_ raw: String, maxLength: Int = 100) -> ValueCheckResult {
        let value = trimmed(raw)
        guard !value.isEmpty else { return invalid(.empty, "name is empty", "enter a name") }
        guard value.count <= maxLength else {
            return invalid(.tooLong, "name is \(value.count) characters long", "use at most \(maxLength) characters")
        }
        func isControl(_ c: Character) -> Bool { c.unicodeScalars.contains { $0.properties.generalCategory == .control } }
        var listed: [String] = []
        for c in value where nameForbiddenCharacters.contains(c) || isControl(c) {
            let shown = isControl(c) ? c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined() : String(c)
            if !listed.contains(shown) { listed.append(shown) }
        }
        guard listed.isEmpty else {
            let cleaned = trimmed(String(value.filter { !nameForbiddenCharacters.contains($0) && !isControl($0) }))
            return invalid(.invalidCharacters, "name contains characters the service rejects: \(listed.joined(separator: " "))",
                           "remove quotes, brackets, braces, \\ | ^ ~ ` $ and control characters",
                           suggestion: cleaned.isEmpty ? nil : cleaned)
        }
        return .valid(normalized: value)
    }
}
