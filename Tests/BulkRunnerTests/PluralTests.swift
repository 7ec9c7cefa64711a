import Testing

@testable import BulkRunner

@Suite struct PluralTests {
    @Test func countsOfOneAreSingular() {
        #expect(Plural.count(1, "row") == "1 row")
        #expect(Plural.count(0, "row") == "0 rows")
        #expect(Plural.count(12, "change set") == "12 change sets")
        #expect(Plural.count(1, "entity", "entities") == "1 entity")
        #expect(Plural.count(3, "entity", "entities") == "3 entities")
        #expect(Plural.word(2, "row") == "rows" && Plural.word(1, "row") == "row")
    }
}
