import CatalogModels
import Foundation
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test("numbers keep their literal text", arguments: [
        "150", "1.50", "0", "-0", "0.0", "-12.3400", "1e5", "1E+05", "2.5e-10",
        "123456789012345678901234567890", "0.1000000000000000000000000001", "9007199254740993",
    ])
    func numbersExact(_ literal: String) throws {
        let value = try JSONValue(parsing: literal)
        #expect(value.numberValue?.text == literal)
        #expect(value.compactString == literal)
        let wrapped = try JSONValue(parsing: "{\"Price\": \(literal)}")
        #expect(wrapped.compactString == "{\"Price\":\(literal)}")
        // Through CatalogJSON's coder too.
        let data = try CatalogJSON.encode(wrapped)
        #expect(String(decoding: data, as: UTF8.self) == "{\"Price\":\(literal)}")
    }

    @Test("key order is preserved through parse, print and CatalogJSON")
    func keyOrder() throws {
        let text = #"{"zeta":1,"alpha":{"b":2,"a":[3,{"y":true,"x":null}]},"mid":"m"}"#
        let value = try JSONValue(parsing: text)
        #expect(value.objectValue?.keys == ["zeta", "alpha", "mid"])
        #expect(value.compactString == text)
        let decoded = try CatalogJSON.decode(JSONValue.self, from: Data(text.utf8))
        #expect(decoded.compactString == text)
        #expect(String(decoding: try CatalogJSON.encode(decoded), as: UTF8.self) == text)
    }

    @Test("pretty printing is stable and re-parses to the same value")
    func pretty() throws {
        let value: JSONValue = ["a": [1, 2], "b": [:], "c": [], "d": ["e": "f"]]
        let expected = """
        {
          "a": [
            1,
            2
          ],
          "b": {},
          "c": [],
          "d": {
            "e": "f"
          }
        }
        """
        #expect(value.prettyString() == expected)
        #expect(try JSONValue(parsing: value.prettyString(indent: 4)) == value)
    }

    @Test("strings: escapes and unicode round-trip")
    func strings() throws {
        let text = #"["quote \" backslash \\ slash \/ tab \t nl \n cr \r bs \b ff \f", "\u00e9\u4e2d\ud83d\ude00", "é中😀", "\u0001\u001f", "\u2028"]"#
        let value = try JSONValue(parsing: text)
        #expect(value[0]?.stringValue == "quote \" backslash \\ slash / tab \t nl \n cr \r bs \u{08} ff \u{0C}")
        #expect(value[1]?.stringValue == "é中😀")
        #expect(value[2]?.stringValue == "é中😀")
        #expect(value[3]?.stringValue == "\u{01}\u{1F}")
        let printed = value.compactString
        #expect(printed.contains(#"\u0001\u001f"#))
        #expect(printed.contains("é中😀"))
        #expect(try JSONValue(parsing: printed) == value)
        #expect(try JSONValue(parsing: value.canonicalString) == value)
    }

    @Test("deep nesting parses up to the limit and fails past it")
    func deepNesting() throws {
        let depth = JSONValue.maximumDepth
        let ok = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        let value = try JSONValue(parsing: ok)
        #expect(value.compactString == ok)
        let objects = String(repeating: "{\"a\":", count: 200) + "null" + String(repeating: "}", count: 200)
        #expect(try JSONValue(parsing: objects).compactString == objects)
        let tooDeep = "[" + ok + "]"
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: tooDeep) }
    }

    @Test("parse errors carry line and column", arguments: [
        ("{\n  \"a\": 1,\n  \"b\" 2\n}", 3, 7, "expected ':'"),
        ("{\"a\": 1,}", 1, 9, "trailing comma"),
        ("[1, 2,]", 1, 7, "trailing comma"),
        ("{\"a\": 01}", 1, 7, "leading zeros"),
        ("{\"a\": 1} x", 1, 10, "after the JSON value"),
        ("", 1, 1, "empty document"),
        ("{\"a\": \"é\tx\"}", 1, 9, "control character"),
        ("{\"a\":1,\"a\":2}", 1, 8, "duplicate key"),
        ("[\"\\ud800\"]", 1, 3, "lone high surrogate"),
        ("[tru]", 1, 2, "expected a value"),
        ("{\"é\": 1.}", 1, 9, "after '.'"),
        ("// comment\n{}", 1, 1, "expected a value"),
        ("[\"abc", 1, 2, "unterminated string"),
    ])
    func parseErrors(_ text: String, _ line: Int, _ column: Int, _ fragment: String) {
        do {
            _ = try JSONValue(parsing: text)
            Issue.record("parsed \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.column == column, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
            #expect(error.description.hasPrefix("line \(line), column \(column): "))
        }
    }

    @Test("invalid UTF-8 is rejected; a byte order mark is skipped")
    func bytes() throws {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22] as [UInt8]) }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"a\":1}".utf8)
        #expect(try JSONValue(parsing: bom) == ["a": 1])
        do {
            _ = try JSONValue(parsing: [0xEF, 0xBB, 0xBF] + Array("{x}".utf8))
        } catch {
            #expect(error.column == 2)
        }
    }

    @Test("canonical form: sorted keys, no whitespace, stable exponent, independent of key order")
    func canonical() throws {
        let a = try JSONValue(parsing: #"{ "b": [1E+05, 2.50, {"z": 1, "a": 2}], "a": "x", "B": null, "é": true, "aa": 1e-07 }"#)
        let b = try JSONValue(parsing: #"{"aa":1e-7,"é":true,"B":null,"a":"x","b":[1e5,2.50,{"a":2,"z":1}]}"#)
        #expect(a.canonicalString == #"{"B":null,"a":"x","aa":1e-7,"b":[1e5,2.50,{"a":2,"z":1}],"é":true}"#)
        #expect(a.canonicalString == b.canonicalString)
        #expect(a.canonicalData == b.canonicalData)
        #expect(try JSONValue(parsing: a.canonicalString).canonicalString == a.canonicalString)
        // Number spelling is part of the request: 1.5 and 1.50 stay distinct.
        #expect(JSONValue.number(JSONNumber(text: "1.5")!).canonicalString != JSONValue.number(JSONNumber(text: "1.50")!).canonicalString)
    }

    @Test("canonical key order is by UTF-16 code units")
    func canonicalUTF16Order() {
        // U+FF61 (one UTF-16 unit) sorts after U+1F600 (surrogates D83D…) by UTF-16, before it by scalar.
        let value: JSONValue = ["\u{FF61}": 1, "\u{1F600}": 2, "a": 3]
        #expect(value.canonicalString == "{\"a\":3,\"\u{1F600}\":2,\"\u{FF61}\":1}")
    }

    @Test("equality ignores key order, not number spelling")
    func equality() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"b":2}"#) == JSONValue(parsing: #"{"b":2,"a":1}"#))
        #expect(try JSONValue(parsing: "1.0") != JSONValue(parsing: "1"))
        let set: Set<JSONValue> = [try JSONValue(parsing: #"{"a":1,"b":2}"#), try JSONValue(parsing: #"{"b":2,"a":1}"#)]
        #expect(set.count == 1)
    }

    @Test("literals, subscripts and accessors")
    func literalsAndSubscripts() {
        var value: JSONValue = ["name": "x", "n": 150, "price": 1.5, "ok": true, "none": nil, "list": [1, "two"]]
        #expect(value["name"]?.stringValue == "x")
        #expect(value["n"]?.numberValue?.intValue == 150)
        #expect(value["price"]?.numberValue?.text == "1.5")
        #expect(value["ok"]?.boolValue == true)
        #expect(value["none"]?.isNull == true)
        #expect(value["list"]?[1]?.stringValue == "two")
        #expect(value["list"]?[5] == nil)
        #expect(value["missing"] == nil)
        #expect(value[0] == nil)
        value["added"] = "last"
        value["name"] = "renamed"
        #expect(value.objectValue?.keys == ["name", "n", "price", "ok", "none", "list", "added"])
        value["n"] = nil
        #expect(value.objectValue?.keys == ["name", "price", "ok", "none", "list", "added"])
        #expect(value.description == #"{"name":"renamed","price":1.5,"ok":true,"none":null,"list":[1,"two"],"added":"last"}"#)
    }

    @Test("JSONNumber conversions")
    func numberConversions() {
        #expect(JSONNumber(text: "01") == nil)
        #expect(JSONNumber(text: "1.") == nil)
        #expect(JSONNumber(text: "+1") == nil)
        #expect(JSONNumber(text: "-1.5e+3")?.doubleValue == -1500)
        #expect(JSONNumber(text: "1.50")?.decimalValue == Decimal(string: "1.5"))
        #expect(JSONNumber(text: "150.0")?.intValue == nil)
        #expect(JSONNumber(text: "150")?.isIntegerLiteral == true)
        #expect(JSONNumber(Decimal(string: "12.345")!)?.text == "12.345")
        #expect(JSONNumber(0.1).text == "0.1")
        #expect(JSONNumber(UInt8(7)).text == "7")
    }

    @Test("Details strings and documents convert both ways")
    func details() throws {
        let text = #"{"Terms":[{"Type":"LegalTerm","Price":"1.50","Amount":1.50}]}"#
        let value = try JSONValue(detailsString: text)
        #expect(value.detailsString == text)
        let change = Change(changeType: "UpdateLegalTerms", entity: Entity(type: "Offer@1.0", identifier: "offer-1"), details: text)
        #expect(try change.detailsJSON() == value)
        let both = Change(changeType: "X", entity: Entity(type: "Offer@1.0"), details: "{}", detailsDocument: ["a": 1])
        #expect(try both.detailsJSON() == ["a": 1])
        #expect(try Change(changeType: "X", entity: Entity(type: "Offer@1.0")).detailsJSON() == nil)
        #expect(throws: JSONValue.ParseError.self) {
            try Change(changeType: "X", entity: Entity(type: "Offer@1.0"), details: "{bad").detailsJSON()
        }
    }

    @Test("Foundation's JSONEncoder/JSONDecoder interoperate (values, not spelling)")
    func foundationInterop() throws {
        let value: JSONValue = ["a": [1, 2.5, "s", true, nil], "b": ["c": -3]]
        let data = try JSONEncoder().encode(value)
        let back = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(back["a"]?[0]?.numberValue?.intValue == 1)
        #expect(back["a"]?[1]?.numberValue?.doubleValue == 2.5)
        #expect(back["a"]?[2] == "s")
        #expect(back["a"]?[3] == true)
        #expect(back["a"]?[4] == .null)
        #expect(back["b"]?["c"]?.numberValue?.intValue == -3)
    }
}
