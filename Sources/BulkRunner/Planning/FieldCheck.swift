import CatalogModels
import Foundation

/// Which check a value gets, inferred from where it lands in the template: its JSON key, the
/// change type and entity type around it (Catalog API reference and seller guide, as
/// summarised in catalog-api.md).
///
/// | where | check |
/// | --- | --- |
/// | `ResellerAccountId`, keys ending in `AccountId`, `BuyerAccounts` items | 12-digit account id (`ValueChecks.accountId`) |
/// | `Entity.Identifier` | entity id of the kind `Entity.Type` names (`resaleauthz-…`, `offer-…`, `prod-…`) |
/// | `ProductId`, `ResaleAuthorizationId`, `OfferId` | entity id of that kind |
/// | `AvailabilityEndDate` | date `YYYY-MM-DD` after today (UTC) |
/// | `ChargeDate`, `AgreementEndDate`, `AgreementStartDate` | date `YYYY-MM-DD` |
/// | `AgreementDuration`, `Duration`, `Value` beside `"Type": "Duration"` | ISO 8601 duration |
/// | `CurrencyCode` | currency code (in the accepted list) |
/// | `Price`, `ChargeAmount`, `Rate` | non-negative decimal |
/// | resale authorization `Name` | 1–100 characters without `"'<>{}[]\|^~`$` or control characters |
/// | `Url` | `https://` or `http://` address without spaces |
/// | `Entity.Type` | `Name@version` |
/// | anything else | none |
enum FieldCheck: Sendable, Hashable {
    case none
    case accountId
    case entityId(ValueChecks.EntityIdKind?)
    case futureDate
    case date
    case duration
    case currencyCode
    case price
    case resaleAuthorizationName
    case url
    case entityType

    /// Infers the check for a string value under `key`.
    ///
    /// - Parameters:
    ///   - key: the object key the value (or the array holding it) sits under.
    ///   - siblings: the object holding `key` (to see `"Type": "Duration"` beside `Value`).
    ///   - detailsDepth: 1 when `key` is a top-level member of the DetailsDocument.
    ///   - entityType: the change's `Entity.Type` when literal.
    static func infer(key: String, siblings: JSONObject?, detailsDepth: Int, entityType: String?) -> FieldCheck {
        switch key {
        case "ResellerAccountId", "BuyerAccounts", "BuyerAccountId", "AccountId": return .accountId
        case "ProductId": return .entityId(.product)
        case "ResaleAuthorizationId": return .entityId(.resaleAuthorization)
        case "OfferId": return .entityId(.offer)
        case "AvailabilityEndDate": return .futureDate
        case "ChargeDate", "AgreementEndDate", "AgreementStartDate": return .date
        case "AgreementDuration", "Duration": return .duration
        case "Value":
            if siblings?["Type"]?.stringValue == "Duration" { return .duration }
            return .none
        case "CurrencyCode": return .currencyCode
        case "Price", "ChargeAmount", "Rate": return .price
        case "Url": return .url
        case "Name":
            if detailsDepth == 1, let entityType, entityType.hasPrefix("ResaleAuthorization@") {
                return .resaleAuthorizationName
            }
            return .none
        default:
            if key.hasSuffix("AccountId") { return .accountId }
            return .none
        }
    }

    /// The check for `Entity.Identifier` given the literal `Entity.Type`.
    static func identifier(entityType: String?) -> FieldCheck {
        guard let type = entityType else { return .entityId(nil) }
        let name = type.split(separator: "@").first.map(String.init) ?? type
        switch name {
        case "ResaleAuthorization": return .entityId(.resaleAuthorization)
        case "Offer": return .entityId(.offer)
        case "OfferSet": return .entityId(.offerSet)
        default:
            if name.hasSuffix("Product") { return .entityId(.product) }
            return .entityId(nil)
        }
    }

    /// What the value must look like, for `templates show` and messages.
    var expectation: String {
        switch self {
        case .none: return "text"
        case .accountId: return "12-digit AWS account id"
        case .entityId(let kind): return kind.map { "\($0.prefix)… id" } ?? "entity id"
        case .futureDate: return "date YYYY-MM-DD, in the future"
        case .date: return "date YYYY-MM-DD"
        case .duration: return "ISO 8601 duration such as P12M"
        case .currencyCode: return "currency code such as USD"
        case .price: return "amount such as 10.50"
        case .resaleAuthorizationName: return "1–100 characters, no quotes, <>{}[]\\|^~`$"
        case .url: return "https:// address"
        case .entityType: return "entity type such as SaaSProduct@1.0"
        }
    }

    /// Checks `value` (already trimmed); `.valid` carries the value to send.
    func run(_ value: String, context: CheckContext) -> ValueCheckResult {
        switch self {
        case .none: return .valid(normalized: value)
        case .accountId: return ValueChecks.accountId(value)
        case .entityId(let kind):
            return ValueChecks.entityId(value, kind: kind, allowRevision: true, allowReference: false)
        case .futureDate: return ValueChecks.futureDate(value, relativeTo: context.today)
        case .date: return ValueChecks.date(value)
        case .duration: return Self.duration(value)
        case .currencyCode: return ValueChecks.currencyCode(value, allowed: context.allowedCurrencies)
        case .price: return ValueChecks.price(value)
        case .resaleAuthorizationName: return Self.resaleAuthorizationName(value)
        case .url: return Self.url(value)
        case .entityType: return Self.entityType(value)
        }
    }

    /// `ValueChecks.duration`, plus a hint for a bare number (`365` → `P365D`?).
    static func duration(_ value: String) -> ValueCheckResult {
        let result = ValueChecks.duration(value)
        if result.isValid || value.isEmpty || !value.allSatisfy({ $0.isASCII && $0.isNumber }) { return result }
        return .invalid(ValueProblem(kind: .invalidFormat, message: "duration \"\(value)\" is a number without a unit",
                                     hint: "write an ISO 8601 duration: P\(value)D for \(value) days, P\(value)M for \(value) months"))
    }

    /// The characters the service rejects in a resale authorization Name (catalog-api.md:
    /// "quotes, angle brackets, braces, brackets, backslash, |, ^, ~, `, $ and control characters").
    static let forbiddenNameCharacters: Set<Character> = [
        "\"", "'", "\u{201C}", "\u{201D}", "\u{2018}", "\u{2019}", "<", ">", "{", "}", "[", "]",
        "\\", "|", "^", "~", "`", "$",
    ]

    /// 1–100 characters, none of ``forbiddenNameCharacters`` nor control characters.
    static func resaleAuthorizationName(_ value: String) -> ValueCheckResult {
        if value.isEmpty {
            return .invalid(ValueProblem(kind: .empty, message: "name is empty", hint: "enter a name of 1–100 characters"))
        }
        let bad = value.filter { forbiddenNameCharacters.contains($0) || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }
        if !bad.isEmpty {
            var seen: [Character] = []
            for c in bad where !seen.contains(c) { seen.append(c) }
            let shown = seen.map { c -> String in
                c.unicodeScalars.first.map { $0.properties.generalCategory == .control } == true
                    ? "U+" + String(c.unicodeScalars.first!.value, radix: 16, uppercase: true) : String(c)
            }.joined(separator: " ")
            var cleaned = String(value.filter { !bad.contains($0) })
            while cleaned.contains("  ") { cleaned = cleaned.replacingOccurrences(of: "  ", with: " ") }
            cleaned = cleaned.trimmingCharacters(in: .whitespaces)
            return .invalid(ValueProblem(kind: .invalidCharacters,
                                         message: "name \"\(value)\" has characters the service rejects: \(shown)",
                                         hint: "remove them",
                                         suggestion: (1...100).contains(cleaned.count) ? cleaned : nil))
        }
        if value.count > 100 {
            return .invalid(ValueProblem(kind: .tooLong, message: "name is \(value.count) characters long",
                                         hint: "use at most 100 characters", suggestion: String(value.prefix(100))))
        }
        return .valid(normalized: value)
    }

    /// An `https://` (or `http://`) address without whitespace.
    static func url(_ value: String) -> ValueCheckResult {
        let lower = value.lowercased()
        if value.contains(where: \.isWhitespace) {
            return .invalid(ValueProblem(kind: .separators, message: "address \"\(value)\" contains spaces",
                                         hint: "encode spaces as %20 or remove them"))
        }
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), value.count > 8 else {
            let fixed = lower.hasPrefix("www.") || lower.hasPrefix("s3.") ? "https://" + value : nil
            return .invalid(ValueProblem(kind: .invalidFormat, message: "\"\(value)\" is not a web address",
                                         hint: "enter the full address starting with https://", suggestion: fixed))
        }
        return .valid(normalized: value)
    }

    /// `Name@version`, e.g. `SaaSProduct@1.0`.
    static func entityType(_ value: String) -> ValueCheckResult {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isLetter }),
           !parts[1].isEmpty, parts[1].allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "." }) {
            return .valid(normalized: value)
        }
        return .invalid(ValueProblem(kind: .invalidFormat, message: "\"\(value)\" is not an entity type",
                                     hint: "write the type with its version, e.g. SaaSProduct@1.0, AmiProduct@1.0, ContainerProduct@1.0"))
    }
}

/// What checks need besides the value: today's date and the accepted currencies.
struct CheckContext: Sendable {
    /// Now, for "date must be in the future" (compared as a UTC calendar day).
    let today: Date
    /// Currency codes accepted; `nil` accepts any three upper-case letters.
    let allowedCurrencies: Set<String>?
    /// Today's UTC calendar day as `YYYY-MM-DD` (what `ValueChecks.futureDate` compares with).
    let todayText: [UInt8]

    init(today: Date, allowedCurrencies: Set<String>?) {
        self.today = today
        self.allowedCurrencies = allowedCurrencies
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: today)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = String(parts.year ?? 1970)
        let text = String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + two(parts.month ?? 1) + "-" + two(parts.day ?? 1)
        todayText = Array(text.utf8)
    }
}

extension FieldCheck {
    /// Whether the check's normalised value is the trimmed value (the ValueChecks-backed ones).
    /// What a valid `text` is sent as, without running the check (the second pass, which
    /// renders rows the first pass found valid): trimmed where the check trims, and an account
    /// id without its spreadsheet text marker (`'012345678901`). Must agree with ``run(_:context:)``.
    func uncheckedValue(_ text: String) -> String {
        guard normalizesByTrimming else { return text }
        let trimmed = text.trimmingSpaces
        if case .accountId = self, trimmed.utf8.first == UInt8(ascii: "'") { return String(trimmed.dropFirst()) }
        return trimmed
    }

    var normalizesByTrimming: Bool {
        switch self {
        case .accountId, .entityId, .futureDate, .date, .duration, .currencyCode, .price: return true
        case .none, .resaleAuthorizationName, .url, .entityType: return false
        }
    }

    /// A byte-level test that accepts only values the full check accepts unchanged (the
    /// common, well-formed case); anything else goes to the full check, which explains it.
    /// The full checks work on Characters and Unicode properties: at a million rows they
    /// cost more than everything else together.
    func isFastValid(_ value: String, context: CheckContext) -> Bool {
        var value = value
        let check = self
        return value.withUTF8 { b -> Bool in
            switch check {
            case .none: return true
            case .accountId: return b.count == 12 && b.allSatisfy(FastBytes.isDigit)
            case .entityId(let kind): return FastBytes.entityId(b, kind)
            case .futureDate: return FastBytes.date(b) && b.lexicographicallyPrecedes(context.todayText) == false && !b.elementsEqual(context.todayText)
            case .date: return FastBytes.date(b)
            case .duration:
                guard b.count >= 3, b[0] == UInt8(ascii: "P") else { return false }
                let last = b[b.count - 1]
                guard last == UInt8(ascii: "Y") || last == UInt8(ascii: "M") || last == UInt8(ascii: "W") || last == UInt8(ascii: "D") else { return false }
                return b[1..<(b.count - 1)].allSatisfy(FastBytes.isDigit)
            case .currencyCode:
                guard b.count == 3, b.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else { return false }
                guard let allowed = context.allowedCurrencies else { return true }
                return allowed.contains(String(decoding: b, as: UTF8.self))
            case .price: return FastBytes.price(b)
            case .resaleAuthorizationName:
                guard (1...100).contains(b.count) else { return false }
                return b.allSatisfy { $0 >= 0x20 && $0 < 0x7F && !FastBytes.forbiddenInName[Int($0)] }
            case .url:
                guard b.count > 8, b.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
                return b.starts(with: FastBytes.https) || b.starts(with: FastBytes.http)
            case .entityType:
                guard let at = b.firstIndex(of: UInt8(ascii: "@")), at > 0, at < b.count - 1 else { return false }
                return b[..<at].allSatisfy(FastBytes.isLetter)
                    && b[(at + 1)...].allSatisfy { FastBytes.isDigit($0) || $0 == UInt8(ascii: ".") }
            }
        }
    }
}

/// Byte-level predicates for ``FieldCheck/isFastValid(_:context:)``.
enum FastBytes {
    static let https = Array("https://".utf8)
    static let http = Array("http://".utf8)
    static let forbiddenInName: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for c in "\"'<>{}[]\\|^~`$".utf8 { table[Int(c)] = true }
        return table
    }()

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isAlphanumeric(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }

    /// `YYYY-MM-DD` that exists (years 1–9999).
    static func date(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return false }
        for i in [0, 1, 2, 3, 5, 6, 8, 9] where !isDigit(b[i]) { return false }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(b[$1] - 0x30) } }
        let y = number(0..<4), m = number(5..<7), d = number(8..<10)
        guard y >= 1, (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = m == 2 ? (leap ? 29 : 28) : ([4, 6, 9, 11].contains(m) ? 30 : 31)
        return d <= days
    }

    /// `[0-9]+(\.[0-9]{1,3})?`.
    static func price(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < b.count && isDigit(b[i]) { i += 1 }
        guard i > 0 else { return false }
        if i == b.count { return true }
        guard b[i] == 0x2E else { return false }
        let fraction = b.count - i - 1
        guard (1...3).contains(fraction) else { return false }
        return b[(i + 1)...].allSatisfy(isDigit)
    }

    static let entityPrefixes: [(ValueChecks.EntityIdKind, [UInt8])] = ValueChecks.EntityIdKind.allCases.map { ($0, Array($0.prefix.utf8)) }

    /// `prefix` + letters and digits, optionally `@revision`; at most 255 bytes.
    static func entityId(_ b: UnsafeBufferPointer<UInt8>, _ kind: ValueChecks.EntityIdKind?) -> Bool {
        guard b.count <= 255 else { return false }
        for (candidate, prefix) in entityPrefixes where kind == nil || kind == candidate {
            guard b.starts(with: prefix) else { continue }
            let rest = b[prefix.count...]
            let at = rest.firstIndex(of: UInt8(ascii: "@"))
            let body = rest[..<(at ?? rest.endIndex)]
            guard !body.isEmpty, body.allSatisfy(isAlphanumeric) else { return false }
            if let at {
                let revision = rest[(at + 1)...]
                guard !revision.isEmpty, revision.allSatisfy(isAlphanumeric) else { return false }
            }
            return true
        }
        return false
    }
}
