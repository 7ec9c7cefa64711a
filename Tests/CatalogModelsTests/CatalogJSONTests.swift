import CatalogModels
import Clocks
import Foundation
import Testing


enum RandomJSON {
    static let numberTexts = ["0", "-0", "1", "150", "1.50", "0.001", "-12.340", "1e5", "1E-7", "2.5E+10",
                              "123456789012345678901234567890", "3.14159265358979323846264338327950288"]
    static let strings = ["", "a", "Name", "é", "東京", "😀", "quote\"", "back\\slash", "tab\t", "nl\n", "\u{01}", "\u{7F}", "/", "\u{2028}"]

    static func value(depth: Int, using rng: inout SplitMix64) -> JSONValue {
        let pick = Int(rng.next() % (depth > 4 ? 5 : 7))
        switch pick {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .number(JSONNumber(text: numberTexts[Int(rng.next() % UInt64(numberTexts.count))])!)
        case 3, 4: return .string(strings[Int(rng.next() % UInt64(strings.count))] + String(rng.next() % 100))
        case 5: return .array((0..<Int(rng.next() % 5)).map { _ in value(depth: depth + 1, using: &rng) })
        default:
            var object = JSONObject()
            for _ in 0..<Int(rng.next() % 6) {
                object[strings[Int(rng.next() % UInt64(strings.count))] + String(rng.next() % 50)] = value(depth: depth + 1, using: &rng)
            }
            return .object(object)
        }
    }
}

struct Sample: Codable, Equatable {
    var name: String
    var count: Int
    var small: Int8
    var big: UInt64
    var ratio: Double
    var flag: Bool
    var tags: [String]?
    var nested: [Sample]?
    var amount: Decimal?
    var extra: JSONValue?
}

@Suite("CatalogJSON")
struct CatalogJSONTests {
    @Test("random documents round-trip through every printer", arguments: 0..<200)
    func randomRoundTrip(_ seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed))
        let value = RandomJSON.value(depth: 0, using: &rng)
        let compact = value.compactString
        let reparsed = try JSONValue(parsing: compact)
        #expect(reparsed == value)
        #expect(reparsed.compactString == compact)  // key order and number text survive
        #expect(try JSONValue(parsing: value.prettyString()) == value)
        #expect(try JSONValue(parsing: value.prettyString()).compactString == compact)
        let canonical = value.canonicalString
        #expect(try JSONValue(parsing: canonical).canonicalString == canonical)
        #expect(!canonical.contains("\n"))
        #expect(String(decoding: try CatalogJSON.encode(value), as: UTF8.self) == compact)
        #expect(try CatalogJSON.decode(JSONValue.self, from: Data(compact.utf8)).compactString == compact)
        // Foundation agrees that it is JSON.
        #expect((try? JSONSerialization.jsonObject(with: Data(compact.utf8), options: [.fragmentsAllowed])) != nil)
    }

    @Test("ordinary Codable types round-trip, members in declaration order, nil omitted")
    func codableTypes() throws {
        let sample = Sample(name: "n", count: -3, small: 7, big: UInt64.max, ratio: 0.1, flag: true, tags: ["a"],
                            nested: [Sample(name: "inner", count: 1, small: 0, big: 0, ratio: 2, flag: false)],
                            amount: Decimal(string: "12.345"), extra: ["k": [1, "two"]])
        let text = String(decoding: try CatalogJSON.encode(sample), as: UTF8.self)
        #expect(text == #"{"name":"n","count":-3,"small":7,"big":18446744073709551615,"ratio":0.1,"flag":true,"tags":["a"],"nested":[{"name":"inner","count":1,"small":0,"big":0,"ratio":2.0,"flag":false}],"amount":12.345,"extra":{"k":[1,"two"]}}"#)
        #expect(try CatalogJSON.decode(Sample.self, from: Data(text.utf8)) == sample)
        // Foundation reads what CatalogJSON writes.
        #expect(try JSONDecoder().decode(Sample.self, from: Data(text.utf8)) == sample)
    }

    @Test("type errors name the member path")
    func typeErrors() {
        do {
            _ = try CatalogJSON.decode(Sample.self, from: Data(#"{"name":"n","count":"3","small":1,"big":1,"ratio":1,"flag":true}"#.utf8))
            Issue.record("decoded")
        } catch let error as CatalogError {
            #expect(error.code == .serialization)
            #expect(error.message.contains("count"))
        } catch {
            Issue.record("\(error)")
        }
        do {
            _ = try CatalogJSON.decode(Sample.self, from: Data(#"{"name":"n","count":1,"small":300,"big":1,"ratio":1,"flag":true}"#.utf8))
            Issue.record("decoded")
        } catch let error as CatalogError {
            #expect(error.code == .serialization)
            #expect(error.message.contains("small"))
        } catch {
            Issue.record("\(error)")
        }
        do {
            _ = try CatalogJSON.decode(Sample.self, from: Data(#"{"name":"n"}"#.utf8))
            Issue.record("decoded")
        } catch let error as CatalogError {
            #expect(error.code == .validation)
            #expect(error.message.contains("'count'"))
        } catch {
            Issue.record("\(error)")
        }
        #expect(throws: CatalogError.self) { try CatalogJSON.encode(Sample(name: "", count: 0, small: 0, big: 0, ratio: .nan, flag: true)) }
    }

    @Test("integral numbers written with a fraction decode as integers")
    func integralFractions() throws {
        struct N: Codable { var n: Int }
        #expect(try CatalogJSON.decode(N.self, from: Data(#"{"n":20.0}"#.utf8)).n == 20)
        #expect(try CatalogJSON.decode(N.self, from: Data(#"{"n":2e1}"#.utf8)).n == 20)
        #expect(throws: CatalogError.self) { try CatalogJSON.decode(N.self, from: Data(#"{"n":20.5}"#.utf8)) }
    }
}
