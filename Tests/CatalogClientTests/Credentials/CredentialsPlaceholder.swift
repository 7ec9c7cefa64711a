import Testing

@Test func credentialsPlaceholder() {}
