import CatalogModels
import Foundation

extension PaymentSchedule {
    /// Generates a schedule from a compact spec string (syntax: ``Parameters/init(spec:resolve:)``).
    ///
    /// - Throws: ``BulkRunnerError`` (``BulkRunnerError/Code/invalidOption``) naming the key.
    public static func generate(spec: String, resolve: (String) -> String? = { _ in nil }) throws(BulkRunnerError) -> PaymentSchedule {
        try generate(Parameters(spec: spec, resolve: resolve))
    }
}

extension PaymentSchedule {
    /// Generates the schedule for a change on `entityType` (`Offer@1.0` or
    /// `ResaleAuthorization@1.0`, with or without the version): the term type follows the
    /// entity (`PaymentScheduleTerm` or `ResalePaymentScheduleTerm`) whatever the spec's
    /// `type=` says. The call a template placeholder makes.
    ///
    /// - Throws: ``BulkRunnerError`` (``BulkRunnerError/Code/invalidOption``) naming the key.
    public static func generate(spec: String, entityType: String, resolve: (String) -> String? = { _ in nil }) throws(BulkRunnerError) -> PaymentSchedule {
        var parameters = try Parameters(spec: spec, resolve: resolve)
        parameters.termType = entityType.hasPrefix("ResaleAuthorization") ? .resaleAuthorization : .offer
        return try generate(parameters)
    }
}

extension PaymentSchedule.Parameters {
    /// The keys of the spec syntax with what each takes, in the order help shows them.
    public static let specKeys: [(name: String, help: String)] = [
        ("total", "the amount to split, in major units: 12000 or 12000.50 (no decimals for JPY)"),
        ("first", "the first charge date, YYYY-MM-DD"),
        ("end", "the last possible charge date, YYYY-MM-DD (give end or count)"),
        ("count", "the number of payments, 1–\(PaymentSchedule.maximumPayments) (give end or count)"),
        ("every", "days between payments: 15, 30, 90 or 365 (also 30d, P30D)"),
        ("remainder", "which payment takes the odd cents: first or last (default last)"),
        ("days", "calendar (default) or business: weekends and holidays move to the next business day"),
        ("holidays", "days that are not business days, YYYY-MM-DD separated by spaces or +"),
        ("currency", "ISO 4217 code (default USD)"),
        ("type", "offer (PaymentScheduleTerm, default) or resale (ResalePaymentScheduleTerm)"),
    ]

    /// Reads a compact spec such as
    ///
    /// ```text
    /// total=12000;first=2027-01-01;every=90;count=4;remainder=first;days=business
    /// payment-schedule(total=TOTAL, first=FIRST_CHARGE, end=END_DATE, every=30, remainder=last, days=business)
    /// ```
    ///
    /// - Pairs `key=value` are separated by `;` or `,`; spaces around them are ignored; the
    ///   whole may be wrapped in `payment-schedule(…)` or `schedule(…)`.
    /// - Keys (``specKeys``; case, `_`, `-` and spaces ignored): `total`, `first`, `end` or
    ///   `count` (exactly one), `every`, and optionally `remainder`, `days`, `holidays`,
    ///   `currency`, `type`. Aliases: `amount`; `start`, `first-charge`; `until`, `end-date`;
    ///   `payments`; `frequency`; `currency-code`.
    /// - A value that is not a literal of its key's kind (`total=TOTAL`, `first=FIRST_CHARGE`)
    ///   is a **name**: `resolve` gives its text (a CSV column of the row, or a `--set`
    ///   constant, as the template layer decides), which must then be a literal. A name that
    ///   resolves to nothing is reported with the literal's problem.
    ///
    /// - Throws: ``BulkRunnerError`` (``BulkRunnerError/Code/invalidOption``) with the key as
    ///   the field: an unknown or repeated key, a missing required key, both `end` and
    ///   `count`, or a value that is not what its key takes.
    public init(spec: String, resolve: (String) -> String? = { _ in nil }) throws(BulkRunnerError) {
        try self.init(fields: Self.pairs(spec), resolve: resolve)
    }

    /// Reads `key=value` pairs as ``init(spec:resolve:)`` does after splitting (the CLI
    /// passes its options here).
    public init(fields: [(key: String, value: String)], resolve: (String) -> String? = { _ in nil }) throws(BulkRunnerError) {
        var values: [String: String] = [:]
        for (key, value) in fields {
            guard let canonical = Self.canonicalKey(key) else {
                throw BulkRunnerError(code: .invalidOption, field: key, reason: "unknown payment schedule key '\(key)'",
                                      hint: "use " + Self.specKeys.map(\.name).joined(separator: ", "))
            }
            guard values[canonical] == nil else {
                throw BulkRunnerError(code: .invalidOption, field: canonical, reason: "'\(canonical)' is given twice",
                                      hint: "give each key once")
            }
            values[canonical] = value.trimmingCharacters(in: .whitespaces)
        }
        func required(_ key: String, _ example: String) throws(BulkRunnerError) -> String {
            guard let value = values[key], !value.isEmpty else {
                throw BulkRunnerError(code: .invalidOption, field: key, reason: "the payment schedule needs '\(key)'",
                                      hint: "add \(key)=\(example)")
            }
            return value
        }
        /// The literal text of `key`: the value itself when `isLiteral`, else what `resolve` gives.
        func literal(_ key: String, _ raw: String, _ isLiteral: (String) -> Bool) throws(BulkRunnerError) -> (text: String, name: String?) {
            if isLiteral(raw) { return (raw, nil) }
            guard let resolved = resolve(raw) else { return (raw, nil) }
            let text = resolved.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                throw BulkRunnerError(code: .invalidOption, field: key, reason: "\(key)=\(raw): \(raw) is blank",
                                      hint: "fill in \(raw), or write the value itself in the schedule")
            }
            return (text, raw)
        }
        func relabel(_ error: BulkRunnerError, _ key: String, _ name: String?) -> BulkRunnerError {
            guard let name else { return error }
            return BulkRunnerError(code: error.code, file: error.file, line: error.line, column: error.column, field: key,
                                   reason: "\(name): \(error.reason)", hint: error.hint)
        }

        // currency
        var currency = "USD"
        if let raw = values["currency"], !raw.isEmpty {
            let (text, name) = try literal("currency", raw) { text in text.count == 3 && text.allSatisfy { $0.isASCII && $0.isUppercase } }
            switch ValueChecks.currencyCode(text) {
            case .valid(let normalized): currency = normalized
            case .invalid(let problem): throw relabel(PaymentSchedule.fail("currency", problem), "currency", name)
            }
        }
        // total
        let totalRaw = try required("total", "12000")
        let (total, totalName) = try literal("total", totalRaw) { CurrencyAmount(decimal: $0, fractionDigits: 9) != nil }
        do {
            _ = try PaymentSchedule.amount(total, currency: currency, digits: CurrencyAmount.fractionDigits(currency: currency))
        } catch {
            throw relabel(error, "total", totalName)
        }
        // first, end
        func day(_ key: String, _ raw: String) throws(BulkRunnerError) -> CalendarDay {
            let (text, name) = try literal(key, raw) { CalendarDay($0) != nil }
            do {
                return try CalendarDay.parse(text, field: key)
            } catch {
                throw relabel(error, key, name)
            }
        }
        let first = try day("first", try required("first", "2027-01-01"))
        // end or count
        let extent: PaymentSchedule.Extent
        switch (values["end"].flatMap { $0.isEmpty ? nil : $0 }, values["count"].flatMap { $0.isEmpty ? nil : $0 }) {
        case (nil, nil):
            throw BulkRunnerError(code: .invalidOption, field: "count", reason: "the payment schedule needs an end date or a count",
                                  hint: "add end=YYYY-MM-DD or count=N")
        case (.some, .some):
            throw BulkRunnerError(code: .invalidOption, field: "count", reason: "give an end date or a count, not both",
                                  hint: "remove end=… or count=…")
        case (let end?, nil):
            extent = .endDate(try day("end", end))
        case (nil, let raw?):
            let (text, name) = try literal("count", raw) { $0.allSatisfy(\.isASCIIDigitCharacter) }
            guard let count = Int(text), count >= 1, count <= PaymentSchedule.maximumPayments else {
                throw relabel(BulkRunnerError(code: .invalidOption, field: "count",
                                              reason: "the number of payments must be a whole number from 1 to \(PaymentSchedule.maximumPayments), got '\(text)'",
                                              hint: "e.g. count=4"), "count", name)
            }
            extent = .count(count)
        }
        // every
        let everyRaw = try required("every", "30")
        let (everyText, everyName) = try literal("every", everyRaw) { Self.frequency($0) != nil }
        guard let frequency = Self.frequency(everyText) else {
            throw relabel(BulkRunnerError(code: .invalidOption, field: "every",
                                          reason: "payments can be every 15, 30, 90 or 365 days, not '\(everyText)'",
                                          hint: "e.g. every=30"), "every", everyName)
        }
        // remainder
        var remainder = PaymentSchedule.RemainderPlacement.last
        if let raw = values["remainder"], !raw.isEmpty {
            let (text, name) = try literal("remainder", raw) { PaymentSchedule.RemainderPlacement(rawValue: $0.lowercased()) != nil }
            guard let parsed = PaymentSchedule.RemainderPlacement(rawValue: text.lowercased()) else {
                throw relabel(BulkRunnerError(code: .invalidOption, field: "remainder",
                                              reason: "the remainder goes on the first or the last payment, not '\(text)'",
                                              hint: "remainder=first or remainder=last"), "remainder", name)
            }
            remainder = parsed
        }
        // days
        var dayRule = PaymentSchedule.DayRule.calendar
        if let raw = values["days"], !raw.isEmpty {
            let (text, name) = try literal("days", raw) { Self.dayRule($0) != nil }
            guard let parsed = Self.dayRule(text) else {
                throw relabel(BulkRunnerError(code: .invalidOption, field: "days",
                                              reason: "days must be calendar or business, not '\(text)'",
                                              hint: "days=business moves weekend and holiday dates to the next business day"),
                              "days", name)
            }
            dayRule = parsed
        }
        // holidays
        var holidays: Set<CalendarDay> = []
        if let raw = values["holidays"], !raw.isEmpty {
            let (text, name) = try literal("holidays", raw) { text in Self.holidayItems(text).allSatisfy { CalendarDay($0) != nil } }
            for item in Self.holidayItems(text) {
                do {
                    holidays.insert(try CalendarDay.parse(item, field: "holidays"))
                } catch {
                    throw relabel(error, "holidays", name)
                }
            }
        }
        // type
        var termType = PaymentSchedule.TermType.offer
        if let raw = values["type"], !raw.isEmpty {
            let (text, name) = try literal("type", raw) { Self.termType($0) != nil }
            guard let parsed = Self.termType(text) else {
                throw relabel(BulkRunnerError(code: .invalidOption, field: "type",
                                              reason: "type must be offer or resale, not '\(text)'",
                                              hint: "type=resale writes a ResalePaymentScheduleTerm for a resale authorization"),
                              "type", name)
            }
            termType = parsed
        }
        self.init(total: total, currencyCode: currency, firstChargeDate: first, extent: extent, frequency: frequency,
                  remainder: remainder, dayRule: dayRule, holidays: holidays, termType: termType)
    }

    /// Reads the options of `bulkrunner schedule` (long names without dashes → values):
    /// `--spec SPEC` alone, or `--total`, `--first`, `--end` or `--count`, `--every`,
    /// `--remainder`, `--currency`, `--holiday` (repeatable) and the flags `--business-days`
    /// and `--resale`.
    ///
    /// - Throws: ``BulkRunnerError`` (``BulkRunnerError/Code/invalidOption``) as
    ///   ``init(spec:resolve:)``, or for `--spec` given with other schedule options.
    public init(options values: [String: [String]], flags: Set<String>) throws(BulkRunnerError) {
        try self.init(fields: Self.fields(options: values, flags: flags))
    }

    /// The spec written back in the syntax ``init(spec:resolve:)`` reads (keys in
    /// ``specKeys`` order, defaults left out): `total=12000;first=2027-01-01;count=4;every=90`.
    public var spec: String {
        var parts = ["total=\(total)", "first=\(firstChargeDate)"]
        switch extent {
        case .endDate(let end): parts.append("end=\(end)")
        case .count(let count): parts.append("count=\(count)")
        }
        parts.append("every=\(frequency.days)")
        if remainder != .last { parts.append("remainder=\(remainder.rawValue)") }
        if dayRule != .calendar { parts.append("days=\(dayRule.rawValue)") }
        if !holidays.isEmpty { parts.append("holidays=" + holidays.sorted().map(\.description).joined(separator: "+")) }
        if currencyCode != "USD" { parts.append("currency=\(currencyCode)") }
        if termType != .offer { parts.append("type=resale") }
        return parts.joined(separator: ";")
    }

    // MARK: Lexing

    /// Splits a spec into pairs; a bare item after `holidays=` continues the holiday list
    /// (so `holidays=2027-01-01,2027-12-25` works with `,` as the separator).
    static func pairs(_ spec: String) throws(BulkRunnerError) -> [(key: String, value: String)] {
        var text = Substring(spec.trimmingCharacters(in: .whitespacesAndNewlines))
        for wrapper in ["payment-schedule(", "paymentschedule(", "schedule("] where text.lowercased().hasPrefix(wrapper) {
            guard text.hasSuffix(")") else {
                throw BulkRunnerError(code: .invalidOption, field: "schedule", reason: "'\(wrapper)' is not closed by ')'",
                                      hint: "write \(wrapper)total=…;first=…;every=…;count=…)")
            }
            text = text.dropFirst(wrapper.count).dropLast()
            break
        }
        var pairs: [(key: String, value: String)] = []
        for fragment in text.split(whereSeparator: { $0 == ";" || $0 == "," || $0.isNewline }) {
            let item = fragment.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { continue }
            if let eq = item.firstIndex(of: "=") {
                let key = item[..<eq].trimmingCharacters(in: .whitespaces)
                let value = item[item.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                guard !key.isEmpty else {
                    throw BulkRunnerError(code: .invalidOption, field: "schedule", reason: "'\(item)' has no key before '='",
                                          hint: "write key=value pairs such as total=12000")
                }
                pairs.append((key, value))
            } else if let last = pairs.last, canonicalKey(last.key) == "holidays" {
                pairs[pairs.count - 1].value += " " + item
            } else {
                throw BulkRunnerError(code: .invalidOption, field: "schedule", reason: "'\(item)' is not key=value",
                                      hint: "write key=value pairs separated by ; such as total=12000;first=2027-01-01;every=30;count=12")
            }
        }
        return pairs
    }

    static func canonicalKey(_ key: String) -> String? {
        switch ColumnName.normalize(key) {
        case "total", "amount", "totalamount": return "total"
        case "currency", "currencycode": return "currency"
        case "first", "firstcharge", "firstchargedate", "start", "startdate": return "first"
        case "end", "enddate", "until", "lastchargedate": return "end"
        case "count", "payments", "installments": return "count"
        case "every", "frequency", "interval": return "every"
        case "remainder": return "remainder"
        case "days", "dayrule": return "days"
        case "holidays", "holiday": return "holidays"
        case "type", "term", "termtype": return "type"
        default: return nil
        }
    }

    static func frequency(_ text: String) -> PaymentSchedule.Frequency? {
        var value = text.lowercased().trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("p"), value.hasSuffix("d") {
            value = String(value.dropFirst().dropLast())
        } else {
            for suffix in [" days", "days", " day", "day", "d"] where value.hasSuffix(suffix) {
                value = String(value.dropLast(suffix.count))
                break
            }
        }
        guard !value.isEmpty, value.allSatisfy(\.isASCIIDigitCharacter), let days = Int(value) else { return nil }
        return PaymentSchedule.Frequency(rawValue: days)
    }

    static func dayRule(_ text: String) -> PaymentSchedule.DayRule? {
        switch ColumnName.normalize(text) {
        case "calendar", "calendardays", "all": return .calendar
        case "business", "businessdays", "weekdays", "workdays": return .business
        default: return nil
        }
    }

    static func termType(_ text: String) -> PaymentSchedule.TermType? {
        switch ColumnName.normalize(text) {
        case "offer", "paymentscheduleterm": return .offer
        case "resale", "resaleauthorization", "resalepaymentscheduleterm": return .resaleAuthorization
        default: return nil
        }
    }

    static func holidayItems(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "+" || $0.isWhitespace }).map(String.init)
    }
}
