import CatalogModels
import Foundation
import Testing

/// Regression tests from the adversarial review of CatalogModels.
@Suite("Review: JSON strings, checks, error wire")
struct ModelsReviewTests {
    @Test("a U+FEFF at the start of a string value is kept, raw or escaped (Foundation's decoding dropped it)",
          arguments: ["\"\u{FEFF}x\"", "\"\\ufeffx\"", "\"\\uFEFF\"", "{\"\u{FEFF}k\":\"\u{FEFF}\"}"])
    func byteOrderMarkInStringsIsData(_ text: String) throws {
        let value = try JSONValue(parsing: text)
        let strings: [String]
        switch value {
        case .string(let s): strings = [s]
        case .object(let o): strings = o.keys + o.entries.compactMap { $0.value.stringValue }
        default: strings = []
        }
        #expect(!strings.isEmpty && strings.allSatisfy { $0.unicodeScalars.first == "\u{FEFF}" })
        #expect(try JSONValue(parsing: value.compactString) == value, "the value round-trips")
        #expect(value.compactString.unicodeScalars.contains("\u{FEFF}"))
    }

    @Test("a leading byte order mark of the document is still skipped, invalid UTF-8 in a string still rejected")
    func documentMarkAndInvalidBytes() throws {
        #expect(try JSONValue(parsing: [0xEF, 0xBB, 0xBF] + Array("\"a\"".utf8)) == .string("a"))
        for bad: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xEF, 0xBB, 0x22]] {
            #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: bad) }
        }
    }

    @Test("a well-formed date that does not exist gets a hint that names what is wrong", arguments: [
        ("2026-13-01", "no month 13"), ("2026-00-10", "no month 0"), ("0000-01-01", "year"),
        ("2026-04-00", "no day 0"), ("2025-02-29", "February 2025 has 28 days"), ("2026-04-31", "April 2026 has 30 days"),
    ])
    func notACalendarDateHints(value: String, fragment: String) throws {
        let problem = try #require(ValueChecks.date(value).problem)
        #expect(problem.kind == .notACalendarDate)
        #expect(problem.hint.contains(fragment), "\(problem.hint)")
        #expect(!problem.hint.contains("has 31 days") || fragment.contains("31"))
    }

    @Test("account ids damaged by comma-decimal locales are recognised", arguments: [
        ("1,23457E+11", ValueProblem.Kind.scientificNotation, nil as String?),
        ("1,23456789012E+11", .scientificNotation, "123456789012"),
        ("123456789012,00", .invalidFormat, "123456789012"),
        ("123,456,789,012", .separators, "123456789012"),
        ("123.456.789.012", .separators, "123456789012"),
        ("123456789012.0", .invalidFormat, "123456789012"),
    ])
    func commaDecimalAccountIds(value: String, kind: ValueProblem.Kind, suggestion: String?) throws {
        let problem = try #require(ValueChecks.accountId(value).problem)
        #expect(problem.kind == kind)
        #expect(problem.suggestion == suggestion)
    }

    @Test("the AWS SDKs' standard-mode throttling and transient codes are retryable at any status")
    func standardModeCodesAreRetryable() {
        for name in ["TooManyRequestsException", "RequestTimeoutException", "PriorRequestNotComplete", "Throttling",
                     "RequestLimitExceeded", "SlowDown"] {
            let error = CatalogError(status: 400, headers: [(name: "x-amzn-ErrorType", value: "\(name):http://internal")], body: Data())
            #expect(error.code.wireName == name)
            #expect(error.isRetryable && error.code.isRetryable, "\(name)")
        }
        for name in ["SerializationException", "ValidationException", "ConflictException", "AccessDeniedException"] {
            #expect(!CatalogError(status: 400, headers: [(name: "x-amzn-ErrorType", value: name)], body: Data()).isRetryable)
        }
    }

    @Test("a session token the service echoes in an error message is redacted")
    func echoedSessionTokenIsRedacted() {
        let token = "IQoJb3JpZ2luX2VjEreview+Token/abc=="
        let canonical = "The Canonical String for this request should have been\n'POST\n/StartChangeSet\n\n"
            + "content-type:application/json\nhost:catalog.marketplace.us-east-1.amazonaws.com\n"
            + "x-amz-date:20240506T070809Z\nX-Amz-Security-Token:\(token)\n\ncontent-type;host;x-amz-date;x-amz-security-token\nabc'"
            + "\nand a query X-Amz-Security-Token=\(token)&X-Amz-Date=1"
        let body = JSONValue.object(["message": .string(canonical)]).compactData
        let error = CatalogError(status: 403, headers: [(name: "x-amzn-ErrorType", value: "InvalidSignatureException")], body: body)
        #expect(!error.message.contains(token) && !error.description.contains(token))
        #expect(error.message.contains("X-Amz-Security-Token:<redacted>\n"))
        #expect(error.message.contains("X-Amz-Security-Token=<redacted>&X-Amz-Date=1"))
        #expect(error.message.contains("content-type;host;x-amz-date;x-amz-security-token\n"), "the signed header list is untouched")
        let plain = CatalogError(status: 400, headers: [], body: Data("{\"message\":\"x-amz-security-token: is missing\"}".utf8))
        #expect(plain.message == "x-amz-security-token: is missing", "nothing to redact, nothing changed")
    }
}
