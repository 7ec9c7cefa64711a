import CatalogModels
import Clocks
import CSVKit
import Foundation
import Testing
import TestSupport

@testable import BulkRunner

/// A deterministic in-process fuzzer of the template loader and of rendering: seeded mutations
/// of the reference change sets (`../shared/testdata/reference-changesets`), the built-in
/// templates, `samples/templates` and the bad-input corpus's templates — byte flips, broken
/// placeholders (`{{`, `{{X:weird}}`, `{{X|}}` …), `$Name.Entity.Identifier` references, conditions,
/// deep nesting — for a time budget.
///
/// Properties: loading never crashes or hangs (each under 2 s) and either compiles or throws a
/// `BulkRunnerError` with a position and a reason; a template that compiles, planned over rows
/// of random cells (quotes, JSON fragments, `{{`, long and Unicode text), never crashes, and
/// every change set it renders is valid JSON with 1 to 20 changes; memory stays flat.
///
/// `BULKRUNNER_FUZZ_SECONDS` (default 2), `BULKRUNNER_FUZZ_SEED`, `BULKRUNNER_FUZZ_OUT` as for
/// the CSV fuzzer; `scripts/fuzz` runs it for longer.
@Suite("fuzz: template loader and rendering")
struct FuzzTemplateTests {
    static let budget = Double(ProcessInfo.processInfo.environment["BULKRUNNER_FUZZ_SECONDS"] ?? "") ?? 2
    static let seed = UInt64(ProcessInfo.processInfo.environment["BULKRUNNER_FUZZ_SEED"] ?? "") ?? 0x7E_3B_1A_7E

    static let seeds: [String] = {
        var seeds: [String] = []
        let fm = FileManager.default
        let root = TestData.repositoryRoot()
        let folders = [TestData.url("reference-changesets"), root.appendingPathComponent("samples/templates"),
                       root.appendingPathComponent("testdata/bad-inputs")]
        for folder in folders {
            for name in ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where name.hasSuffix(".json") && name != "manifest.json" {
                if let data = fm.contents(atPath: folder.appendingPathComponent(name).path) {
                    seeds.append(String(decoding: data, as: UTF8.self))
                }
            }
        }
        for builtIn in BuiltInTemplate.all {
            if let template = try? builtIn.template() { seeds.append(template.source) }
        }
        return seeds
    }()

    @Test("the seeds are there (reference change sets, built-ins, samples)")
    func seedsAreThere() {
        #expect(Self.seeds.count >= 40, "only \(Self.seeds.count) seeds")
    }

    @Test("mutated templates: no crash, no hang, a positioned error or a template that renders valid JSON")
    func mutatedTemplates() throws {
        var random = TemplateFuzzRandom(seed: Self.seed)
        let workspace = try TemporaryDirectory(prefix: "bulkrunner-fuzz-template")
        defer { workspace.remove() }
        let start = Date()
        let memoryAtStart = TemplateFuzzMemory.residentBytes()
        var iterations = 0, compiled = 0, planned = 0, rendered = 0
        var errors: [String: Int] = [:]
        var problems: [String] = []
        var slowest = 0.0
        while (Date().timeIntervalSince(start) < Self.budget || iterations < 60) && problems.count < 5 {
            iterations += 1
            let text = TemplateMutator.next(Self.seeds, &random)
            let clock = Date()
            let template: Template
            do {
                template = try Template(json: text, file: "fuzz.json")
            } catch {
                let seconds = Date().timeIntervalSince(clock)
                slowest = max(slowest, seconds)
                errors["\(error.code)", default: 0] += 1
                if seconds > 2 { problems.append("loading took \(seconds) s — \(save(text))") }
                if error.reason.isEmpty || (error.code == .malformedTemplate && error.line < 1) {
                    problems.append("an error without a reason or a line: \(error) — \(save(text))")
                }
                continue
            }
            compiled += 1
            slowest = max(slowest, Date().timeIntervalSince(clock))
            // Render it over rows of random cells.
            var expectations: [String: String] = [:]
            for column in template.columns { expectations[column.name] = column.expects }
            let names = expectations.keys.sorted()
            guard !names.isEmpty else { continue }
            // Half the cells fit what their field expects (so rows render), half are hostile.
            let rows = (0..<(1 + random.below(4))).map { _ in
                names.map { name in
                    random.below(2) == 0 ? TemplateMutator.cell(&random) : TemplateMutator.fitting(expectations[name] ?? "", &random)
                }
            }
            let input = workspace.path("input-\(iterations).csv")
            let writer = CSVWriter(options: CSVWriter.Options(recordEnd: .lf, neutralizesFormulas: false))
            try writer.write(names)
            for row in rows { try writer.write(row) }
            try Data(writer.bytes).write(to: input)
            defer { unlink(input.path) }
            let renderClock = Date()
            do {
                let plan = try Planner.analyze(input: input, template: template,
                                               options: PlanOptions(today: Date(timeIntervalSince1970: 1_767_225_600)),
                                               runIdentity: try RunIdentity("fuzz"))
                planned += 1
                let sets = try plan.changeSets()
                while let set = try sets.next() {
                    rendered += 1
                    let changes = set.request.changeSet.count
                    if !(1...20).contains(changes) {
                        problems.append("a change set with \(changes) changes — \(save(text))")
                    }
                    let bytes = set.prettyJSONBytes()
                    if (try? JSONSerialization.jsonObject(with: Data(bytes))) == nil {
                        problems.append("a rendered change set is not valid JSON: \(String(decoding: bytes, as: UTF8.self).prefix(300)) — \(save(text))")
                    }
                }
            } catch {
                errors["plan:\(error.code)", default: 0] += 1
            }
            let seconds = Date().timeIntervalSince(renderClock)
            if seconds > 2 { problems.append("planning \(rows.count) rows took \(seconds) s — \(save(text))") }
        }
        let growth = TemplateFuzzMemory.residentBytes().map { $0 - (memoryAtStart ?? $0) }
        print("fuzz templates: \(iterations) templates in \(String(format: "%.1f", Date().timeIntervalSince(start))) s (seed \(Self.seed)), "
              + "\(compiled) compiled, \(planned) planned, \(rendered) change sets rendered, errors \(errors.sorted { $0.key < $1.key }), "
              + "slowest load \(String(format: "%.3f", slowest)) s, RSS growth \(growth.map { "\($0 / 1_048_576) MiB" } ?? "n/a")")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        if let growth { #expect(growth < 512 * 1_048_576, "resident memory grew by \(growth / 1_048_576) MiB") }
    }

    @Test("deep nesting and huge documents fail cleanly", arguments: [600, 5_000, 200_000])
    func deepNesting(_ depth: Int) {
        let text = #"{"Catalog":"AWSMarketplace","ChangeSet":[{"ChangeType":"UpdateInformation","Entity":{"Type":"Offer@1.0","Identifier":"{{ID}}"},"DetailsDocument":{"X":"#
            + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}}]}"
        #expect(throws: BulkRunnerError.self) { try Template(json: text, file: "deep.json") }
    }

    func save(_ text: String) -> String {
        let folder = ProcessInfo.processInfo.environment["BULKRUNNER_FUZZ_OUT"]
            .map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("bulkrunner-fuzz")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("template-\(UUID().uuidString.prefix(8)).json")
        try? Data(text.utf8).write(to: url)
        return "saved at \(url.path)"
    }
}

/// SplitMix64, for reproducible fuzzing.
struct TemplateFuzzRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Mutations that matter to the template compiler: placeholders, references, conditions,
/// keys, JSON syntax.
enum TemplateMutator {
    static let stringValues = [
        "{{NAME}}", "{{RESELLER_ACCOUNT_ID}}", "{{PRODUCT_ID}}", "{{PRICE}}", "{{EXPIRY_DATE?}}", "{{DESCRIPTION|Default}}",
        "{{BUYERS:list}}", "{{TERMS:json}}", "{{QTY:integer}}", "{{FLAG:boolean}}", "{{AMOUNT:number}}", "{{X:weird}}",
        "{{", "}}", "{{}}", "{{ NAME }}", "{{a:b:c}}", "{{X|}}", "{{X?|d}}", "{{X}}{{Y}}", "pre {{X}} post", "{{X:json}} tail",
        "$ResaleAuthorization.Entity.Identifier", "$Nope.Entity.Identifier", "$", "$.Entity.Identifier", "\\u0000", "\\ud800",
        "\\\"", "\\\\", "2001-01-01", "P0D", "-1", "1e400", "", String(repeating: "z", count: 300),
    ]
    static let insertions = [
        #""BulkRunnerIf": "X", "#, #""BulkRunnerUnless": "Y", "#, #""ChangeName": "A", "#, #""ChangeName": "A", "ChangeName": "B", "#,
        #""Identifier": "$A.Entity.Identifier", "#, #""ChangeSet": [], "#, #""ChangeSetTags": [{"Key":"{{K}}","Value":"v"}], "#,
        #""Intent": "VALIDATE", "#, #""Details": "{\"Name\":\"{{N}}\"}", "#, #""DetailsDocument": "{{D:json}}", "#, "{", "}", "[", "]", ",", ":", "\"",
        #""X": [[[[[[[[]]]]]]]], "#, #""catalog": "AWSMarketplace", "#, #""changeSet": [{"ChangeType":"X"}], "#,
    ]

    static func next(_ seeds: [String], _ random: inout TemplateFuzzRandom) -> String {
        var scalars = Array(seeds.isEmpty ? "{}".unicodeScalars : random.pick(seeds).unicodeScalars)
        let stringsOnly = random.below(2) == 0
        for _ in 0..<(1 + random.below(3)) {
            switch stringsOnly ? 0 : random.below(6) {
            case 0, 1:  // replace the contents of a string that is a value (after a `:`), mostly
                let quotes = scalars.indices.filter { scalars[$0] == "\"" && ($0 == 0 || scalars[$0 - 1] != "\\") }
                var pairs: [(Int, Int)] = []
                var i = 0
                while i + 1 < quotes.count {
                    pairs.append((quotes[i], quotes[i + 1]))
                    i += 2
                }
                let values = pairs.filter { pair in
                    var j = pair.0 - 1
                    while j >= 0, scalars[j] == " " || scalars[j] == "\n" || scalars[j] == "\t" || scalars[j] == "\r" { j -= 1 }
                    return j >= 0 && scalars[j] == ":"
                }
                let candidates = values.isEmpty || random.below(10) == 0 ? pairs : values
                if !candidates.isEmpty {
                    let (open, close) = random.pick(candidates)
                    scalars.replaceSubrange((open + 1)..<close, with: Array(random.pick(stringValues).unicodeScalars))
                }
            case 2:  // insert a key or a piece of syntax after a `{`
                let braces = scalars.indices.filter { scalars[$0] == "{" }
                let at = braces.isEmpty ? 0 : random.pick(braces) + 1
                scalars.insert(contentsOf: Array(random.pick(insertions).unicodeScalars), at: min(at, scalars.count))
            case 3 where !scalars.isEmpty:  // delete a range
                let from = random.below(scalars.count)
                scalars.removeSubrange(from..<min(scalars.count, from + 1 + random.below(12)))
            case 4 where !scalars.isEmpty:  // duplicate a range (changes twice, keys twice)
                let from = random.below(scalars.count)
                let piece = Array(scalars[from..<min(scalars.count, from + 1 + random.below(400))])
                scalars.insert(contentsOf: piece, at: random.below(scalars.count + 1))
            default:  // a random character
                let options: [Unicode.Scalar] = ["\"", "{", "}", "[", "]", ",", ":", "\\", "$", "|", "?", "\u{0}", "\u{7F}", "é", "\u{FEFF}", "\n"]
                scalars.insert(random.pick(options), at: random.below(scalars.count + 1))
            }
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    /// A value that passes the check its field expects (`12-digit AWS account id`, `date YYYY-MM-DD` …).
    static func fitting(_ expects: String, _ random: inout TemplateFuzzRandom) -> String {
        let e = expects.lowercased()
        if e.contains("account") { return random.pick(["123456789012", "012345678901"]) }
        if e.contains("prod-") { return "prod-1111111111111" }
        if e.contains("offer-") { return "offer-1111111111111" }
        if e.contains("resaleauthz") { return "resaleauthz-1111111111111" }
        if e.contains("date") { return "2031-12-31" }
        if e.contains("duration") { return random.pick(["P12M", "P1Y", "P30D"]) }
        if e.contains("currency") { return "USD" }
        if e.contains("amount") || e.contains("price") || e.contains("number") { return random.pick(["10.00", "0.125", "300"]) }
        if e.contains("integer") { return "3" }
        if e.contains("boolean") { return "true" }
        if e.contains("https") || e.contains("url") { return "https://example.com/eula.pdf" }
        if e.contains("json") { return random.pick(["[]", "{}", #"[{"Type":"X"}]"#, "1"]) }
        if e.contains("country") { return "US" }
        return random.pick(["Acme Resale", "Widgets 2031", "Name-1", "Ünïcødé ñame"])
    }

    /// A cell value for rendering.
    static func cell(_ random: inout TemplateFuzzRandom) -> String {
        random.pick([
            "", "123456789012", "012345678901", "prod-1111111111111", "offer-1111111111111", "resaleauthz-1111111111111",
            "2031-12-31", "2001-01-01", "P12M", "10.00", "-5", "USD", "Name with \"quotes\"", "{{NAME}}", "[1,2,3]",
            #"{"a":[1,{"b":null}]}"#, "not json {", "true", "1e3", "111111111111;222222222222", "line\nbreak", "tab\there",
            String(repeating: "é", count: 120), "\u{1F600}", "\\", "=HYPERLINK(\"x\")", String(repeating: "[", count: 1000),
        ])
    }
}

/// Resident memory of this process (Linux `/proc/self/statm`; nil elsewhere).
enum TemplateFuzzMemory {
    static func residentBytes() -> Int? {
        #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let parts = text.split(separator: " ")
        guard parts.count > 1, let pages = Int(parts[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return nil
        #endif
    }
}
