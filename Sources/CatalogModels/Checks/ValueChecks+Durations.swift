extension ValueChecks {
    /// Checks an ISO 8601 duration as the Catalog API uses them (agreement durations,
    /// free-trial lengths): `P` then whole-number components in order `nY nM nW nD`, then
    /// optionally `T` with `nH nM nS`, e.g. `P12M`, `P1Y`, `P30D`, `P1Y6M`, `PT1H`.
    /// At least one component; `T` needs a time component; no fractions, no signs.
    /// Lower case (`p12m`) and a missing `P` (`12M`) are reported with the fixed value.
    public static func duration(_ raw: String) -> ValueCheckResult {
        let value = trimmed(raw)
        guard !value.isEmpty else { return invalid(.empty, "duration is empty", "enter an ISO 8601 duration such as P12M or P1Y") }
        if isDuration(value) { return .valid(normalized: value) }
        let upper = value.uppercased()
        if upper != value, isDuration(upper) {
            return invalid(.wrongCase, "duration \"\(value)\" is in lower case", "write durations in upper case", suggestion: upper)
        }
        let compact = String(upper.filter { !$0.isWhitespace })
        if !compact.hasPrefix("P"), isDuration("P" + compact) {
            return invalid(.invalidFormat, "duration \"\(value)\" has no leading P", "ISO 8601 durations start with P, e.g. P\(compact)",
                           suggestion: "P" + compact)
        }
        if compact != upper, isDuration(compact) {
            return invalid(.separators, "duration \"\(value)\" contains spaces", "remove the spaces", suggestion: compact)
        }
        return invalid(.invalidFormat, "\"\(value)\" is not an ISO 8601 duration",
                       "write durations like P12M (12 months), P1Y (1 year), P30D (30 days) or PT1H (1 hour)")
    }

    /// Whether `value` matches `P(nY)?(nM)?(nW)?(nD)?(T(nH)?(nM)?(nS)?)?` with at least one
    /// component, and at least one after `T`.
    static func isDuration(_ value: String) -> Bool {
        var chars = Substring(value)
        guard chars.first == "P" else { return false }
        chars = chars.dropFirst()
        var components = 0
        func take(_ designators: [Character], from text: inout Substring) -> Bool {
            var order = designators[...]
            while let first = text.first, first.isASCIIDigit {
                let digits = text.prefix(while: \.isASCIIDigit)
                text = text.dropFirst(digits.count)
                guard let designator = text.first, let at = order.firstIndex(of: designator) else { return false }
                order = order[(at + 1)...]
                text = text.dropFirst()
                components += 1
            }
            return true
        }
        guard take(["Y", "M", "W", "D"], from: &chars) else { return false }
        if chars.first == "T" {
            chars = chars.dropFirst()
            let before = components
            guard take(["H", "M", "S"], from: &chars), components > before else { return false }
        }
        return chars.isEmpty && components > 0
    }
}
