import Testing

@Test func restJSONPlaceholder() {}
