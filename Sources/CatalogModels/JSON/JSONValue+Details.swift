extension JSONValue {
    /// Parses a `Details` string (botocore shape `Json`: a JSON object as text) into a value.
    /// Throws ``ParseError`` with line and column.
    public init(detailsString: String) throws(ParseError) {
        try self.init(parsing: detailsString)
    }

    /// The value as a `Details` string: compact JSON, keys in order, numbers as written.
    public var detailsString: String { compactString }
}

extension Change {
    /// The details as JSON: `DetailsDocument` when present, else `Details` parsed; `nil`
    /// when neither is set. Throws ``JSONValue/ParseError`` for a malformed `Details`.
    public func detailsJSON() throws -> JSONValue? {
        try resolveDetails(document: detailsDocument, string: details)
    }
}

extension ChangeSummary {
    /// The details as JSON: `DetailsDocument` when present, else `Details` parsed.
    public func detailsJSON() throws -> JSONValue? {
        try resolveDetails(document: detailsDocument, string: details)
    }
}

extension DescribeEntityResponse {
    /// The entity as JSON: `DetailsDocument` when present, else `Details` parsed.
    public func detailsJSON() throws -> JSONValue? {
        try resolveDetails(document: detailsDocument, string: details)
    }
}

private func resolveDetails(document: JSONValue?, string: String?) throws -> JSONValue? {
    if let document { return document }
    guard let string else { return nil }
    return try JSONValue(detailsString: string)
}
