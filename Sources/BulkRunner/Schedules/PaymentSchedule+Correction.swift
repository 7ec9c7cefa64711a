import CatalogModels
import Foundation

extension PaymentSchedule.Parameters {
    /// The fields of `bulkrunner schedule`'s options (long names without dashes → values, and
    /// the flags), as ``init(fields:resolve:)`` reads them: `--spec SPEC` split into its
    /// pairs, or `--total`, `--first`, … with `--business-days`, `--holiday` and `--resale`
    /// as `days=business`, `holidays=…` and `type=resale`.
    ///
    /// - Throws: ``BulkRunnerError`` (``BulkRunnerError/Code/invalidOption``, field `--spec`)
    ///   for `--spec` given with other schedule options, or a spec that is not `key=value` pairs.
    public static func fields(options values: [String: [String]], flags: Set<String>) throws(BulkRunnerError) -> [(key: String, value: String)] {
        let keys = ["total", "first", "end", "count", "every", "remainder", "currency"]
        if let spec = values["spec"]?.last {
            let others = keys.filter { values[$0] != nil } + (values["holiday"] == nil ? [] : ["holiday"])
                + flags.intersection(["business-days", "resale"]).sorted()
            guard others.isEmpty else {
                throw BulkRunnerError(code: .invalidOption, field: "--spec",
                                      reason: "--spec cannot be combined with --" + others.joined(separator: ", --"),
                                      hint: "put everything in the spec, or leave --spec out")
            }
            return try pairs(spec)
        }
        var fields: [(key: String, value: String)] = []
        for key in keys {
            if let value = values[key]?.last { fields.append((key, value)) }
        }
        if flags.contains("business-days") { fields.append(("days", "business")) }
        if let holidays = values["holiday"], !holidays.isEmpty { fields.append(("holidays", holidays.joined(separator: " "))) }
        if flags.contains("resale") { fields.append(("type", "resale")) }
        return fields
    }

    /// Parameters close to `fields` that do make a schedule, after `error` is what `fields`
    /// raised: the value the error is about replaced by one that works (a missing key added
    /// with an example, one of two exclusive keys dropped, a date or amount as the message
    /// suggests, a frequency the nearest allowed), again for each error that follows. `nil`
    /// when no such fix is known (a spec that is not `key=value` pairs, an amount that cannot
    /// be split). What a command line shows as the corrected command to copy.
    public static func corrected(_ fields: [(key: String, value: String)], after error: BulkRunnerError) -> PaymentSchedule.Parameters? {
        var values: [(key: String, value: String)] = []
        for (key, value) in fields {
            let canonical = canonicalKey(key) ?? key
            if !values.contains(where: { $0.key == canonical }) { values.append((canonical, value.trimmingCharacters(in: .whitespaces))) }
        }
        var error = error
        for _ in 0..<12 {
            guard let fixed = fix(values, error) else { return nil }
            values = fixed
            do {
                let parameters = try PaymentSchedule.Parameters(fields: values)
                _ = try PaymentSchedule.generate(parameters)
                return parameters
            } catch let next {
                error = next
            }
        }
        return nil
    }

    /// `values` with the fault `error` names fixed, or `nil`.
    private static func fix(_ values: [(key: String, value: String)], _ error: BulkRunnerError) -> [(key: String, value: String)]? {
        var values = values
        func value(_ key: String) -> String? { values.first { $0.key == key }?.value }
        func set(_ key: String, _ value: String) {
            if let index = values.firstIndex(where: { $0.key == key }) { values[index].value = value } else { values.append((key, value)) }
        }
        func remove(_ key: String) { values.removeAll { $0.key == key } }
        let digits = CurrencyAmount.fractionDigits(currency: value("currency").flatMap {
            if case .valid(let code) = ValueChecks.currencyCode($0) { return code } else { return nil }
        } ?? "USD")
        let reason = error.reason

        guard let key = canonicalKey(error.field) else {
            // An unknown key: the known one it was meant to be, or away with it.
            guard values.contains(where: { $0.key == error.field }) else { return nil }
            let guess = Suggest.closest(to: error.field, among: specKeys.map(\.name))
            values = values.compactMap { pair -> (key: String, value: String)? in
                guard pair.key == error.field else { return pair }
                guard let guess, !values.contains(where: { $0.key == guess }) else { return nil }
                return (guess, pair.value)
            }
            return values
        }
        let current = value(key)
        switch key {
        case "total":
            guard let text = current, !text.isEmpty else { set("total", "12000"); return values }
            if let amount = CurrencyAmount(decimal: text, fractionDigits: 9) {
                if reason.contains("cannot be split") {
                    // Fewer payments, each at least one minor unit.
                    guard let count = value("count").flatMap(Int.init),
                          let minor = CurrencyAmount(decimal: text, fractionDigits: digits)?.minorUnits, minor >= 1, minor < count else { return nil }
                    set("count", String(minor))
                    return values
                }
                guard amount.minorUnits > 0 else { set("total", "12000"); return values }
                // Too many decimals: rounded to the currency's (half up).
                let scale = Int64(pow(10, Double(9 - digits)))
                let rounded = max(1, (amount.minorUnits + scale / 2) / scale)
                let fixed = CurrencyAmount(minorUnits: rounded, fractionDigits: digits).description
                guard fixed != text else { return nil }
                set("total", fixed)
                return values
            }
            // `$12,000.50`, `12000 USD`: the digits and the decimal point.
            let kept = String(text.filter { $0.isASCIIDigitCharacter || $0 == "." })
            set("total", !kept.isEmpty && kept != text && CurrencyAmount(decimal: kept, fractionDigits: 9) != nil ? kept : "12000")
            return values
        case "first", "end":
            if key == "end", current.flatMap(CalendarDay.init) != nil, let first = value("first").flatMap(CalendarDay.init) {
                let every = value("every").flatMap(frequency)?.days ?? 30
                if reason.contains("is before the first charge date") {
                    set("end", first.adding(days: 364).description)
                    return values
                }
                if reason.contains("payments") {
                    // More than the maximum: a longer frequency that fits, else an earlier end.
                    let end = CalendarDay(current!)!
                    let span = Int(end.dayNumber - first.dayNumber)
                    if let longer = PaymentSchedule.Frequency.allCases.first(where: { $0.days > every && span / $0.days < PaymentSchedule.maximumPayments }) {
                        set("every", String(longer.days))
                    } else {
                        set("end", first.adding(days: every * (PaymentSchedule.maximumPayments - 1)).description)
                    }
                    return values
                }
            }
            guard let text = current, !text.isEmpty else {
                if key == "first" { set("first", "2027-01-01") } else { set("count", "4") }
                return values
            }
            if case .invalid(let problem) = ValueChecks.date(text), let suggestion = problem.suggestion, CalendarDay(suggestion) != nil {
                set(key, suggestion)
                return values
            }
            if key == "end" { remove("end"); if value("count") == nil { set("count", "4") }; return values }
            set("first", "2027-01-01")
            return values
        case "count":
            switch (value("end"), current) {
            case (nil, nil), (.some, nil): set("count", "4"); remove("end")
            case (.some, .some): remove("end")
            case (nil, let text?):
                if let n = Int(text.trimmingCharacters(in: .whitespaces)) {
                    set("count", String(min(max(n, 1), PaymentSchedule.maximumPayments)))
                } else {
                    set("count", "4")
                }
            }
            return values
        case "every":
            let number = current.flatMap { Int($0.filter(\.isASCIIDigitCharacter)) }
            let nearest = number.map { n in PaymentSchedule.Frequency.allCases.min { abs($0.days - n) < abs($1.days - n) }! }
            let fixed = String((nearest ?? .every30Days).days)
            guard fixed != current else { return nil }
            set("every", fixed)
            return values
        case "remainder":
            set("remainder", current?.lowercased().hasPrefix("f") == true ? "first" : "last")
            return values
        case "days":
            remove("days")  // calendar days: a business day could not be found, or an unknown rule
            return values
        case "holidays":
            let kept = holidayItems(current ?? "").filter { CalendarDay($0) != nil }
            if kept.isEmpty { remove("holidays") } else { set("holidays", kept.joined(separator: " ")) }
            return values
        case "currency":
            if let text = current, case .invalid(let problem) = ValueChecks.currencyCode(text), let suggestion = problem.suggestion {
                set("currency", suggestion)
            } else {
                remove("currency")
            }
            return values
        case "type":
            remove("type")
            return values
        default:
            return nil
        }
    }
}
