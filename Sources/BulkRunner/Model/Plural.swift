/// Counts in words for people: `1 row`, `12 rows`, `1 entity`, `3 entities`.
public enum Plural {
    /// `count` followed by `singular`, or by `plural` (default: `singular` + `s`) unless the count is 1.
    public static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) " + word(count, singular, plural)
    }

    /// `singular` when `count` is 1, else `plural` (default: `singular` + `s`).
    public static func word(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        count == 1 ? singular : (plural ?? singular + "s")
    }
}
