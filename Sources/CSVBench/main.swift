// csv-bench: CSVKit's reading throughput and peak memory against Python's csv module.
//
//   csv-bench generate FILE [--megabytes N] [--seed S]   deterministic partner rows (CSVWriter)
//   csv-bench measure FILE [--runs N] [--python PATH]    CSVKit Strings, CSVKit byte slices, Python csv
//
// `bench/csv` (from the repository root) runs both, caching the file under bench/out/.
// MB are 10^6 bytes of the file as stored; each figure is the best of N runs in this process.

import Clocks
import CSVKit
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: Arguments

func option(_ name: String, default value: String, in arguments: inout [String]) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
    let found = arguments[index + 1]
    arguments.removeSubrange(index...index + 1)
    return found
}
func usage() -> Never {
    FileHandle.standardError.write(Data("""
    usage: csv-bench generate FILE [--megabytes N] [--seed S]
           csv-bench measure FILE [--runs N] [--python PATH]

    """.utf8))
    exit(2)
}

// MARK: Deterministic data


func accountID(_ rng: inout SplitMix64) -> String {
    // 12 digits; about a third start with zeros, as real AWS account ids do.
    let limit: UInt64 = rng.next() % 3 == 0 ? 10_000_000_000 : 1_000_000_000_000
    let value = rng.next() % limit
    let digits = String(value)
    return String(repeating: "0", count: 12 - digits.count) + digits
}

func date(_ rng: inout SplitMix64) -> String {
    let year: Int = 2023 + Int(rng.next() % 4)
    let month: Int = 1 + Int(rng.next() % 12)
    let day: Int = 1 + Int(rng.next() % 28)
    let mm: String = month < 10 ? "0\(month)" : "\(month)"
    let dd: String = day < 10 ? "0\(day)" : "\(day)"
    return "\(year)-\(mm)-\(dd)"
}

let partners = [
    "Acme Cloud Services LLC", "Müller Datentechnik GmbH", "Société Générale de Logiciels SAS",
    "Nordic Ålesund Analytics AS", "Globex Corporation", "Initech, Inc.", "Zürich Secure AG",
    "São Paulo Sistemas Ltda", "東京クラウド株式会社", "Umbrella Data Pty Ltd", "O'Brien & Sons Consulting",
    "Wayne Enterprises", "Stark Industries", "Łódź Software sp. z o.o.",
]
let words = [
    "annual", "subscription", "for", "the", "enterprise", "tier", "including", "premium", "support,",
    "SSO", "and", "audit", "logs;", "billed", "monthly", "per", "seat", "with", "a", "minimum", "of",
    "25", "users", "renewal", "terms", "apply", "discounted", "rate", "valid", "until", "end", "date",
    "contact", "your", "account", "manager", "résumé", "naïve", "café", "€", "—", "data", "pipeline",
]
let products = ["SaaS contract", "AMI hourly", "Container annual", "Data product", "Professional services"]
let currencies = ["USD", "USD", "USD", "EUR", "GBP", "JPY"]

func pick(_ list: [String], _ rng: inout SplitMix64) -> String {
    list[Int(rng.next() % UInt64(list.count))]
}

func description(_ rng: inout SplitMix64) -> String {
    var text = ""
    let count = 8 + Int(rng.next() % 40)
    for i in 0..<count {
        if i > 0 { text += rng.next() % 23 == 0 ? (rng.next() % 2 == 0 ? "\n" : "\r\n") : " " }
        let word = words[Int(rng.next() % UInt64(words.count))]
        text += rng.next() % 17 == 0 ? "\"\(word)\"" : word
        if rng.next() % 11 == 0 { text += "," }
    }
    return text
}

/// The bytes `CSVWriter` writes for `fields` with the default options (quotes as needed, CRLF).
func encodedSize(_ fields: [String]) -> Int {
    var size = fields.count - 1 + 2
    for field in fields {
        var quotes = 0
        var special = false
        for byte in field.utf8 {
            if byte == UInt8(ascii: "\"") { quotes += 1 }
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D { special = true }
        }
        size += field.utf8.count + (special ? 2 + quotes : 0)
    }
    return size
}

func generate(path: String, megabytes: Int, seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let temporary = path + ".partial"
    let writer = try CSVWriter(path: temporary, options: .init(recordEnd: .crlf, neutralizesFormulas: true))
    try writer.write([
        "Partner Account Id", "Partner Name", "Product Id", "Product Type", "Offer Name", "Description",
        "Buyer Account Ids", "Start Date", "End Date", "Price", "Currency", "Seats",
    ])
    let target = Int64(megabytes) * 1_000_000
    var written: Int64 = 0
    var row = 0
    while written < target {
        row += 1
        let buyerCount = 1 + Int(rng.next() % 8)
        var buyerIDs: [String] = []
        for _ in 0..<buyerCount { buyerIDs.append(accountID(&rng)) }
        let cents: String = String(String(rng.next() % 100 + 100).dropFirst())
        let price: String = String(rng.next() % 100_000) + "." + cents
        let partner: String = pick(partners, &rng)
        let offerPartner: String = pick(partners, &rng)
        var fields: [String] = []
        fields.append(accountID(&rng))
        fields.append(partner)
        fields.append("prod-" + String(rng.next() % 1_000_000_000_000, radix: 36))
        fields.append(pick(products, &rng))
        fields.append("Private offer #" + String(row) + " for " + offerPartner)
        fields.append(description(&rng))
        fields.append(buyerIDs.joined(separator: ";"))
        fields.append(date(&rng))
        fields.append(date(&rng))
        fields.append(price)
        fields.append(pick(currencies, &rng))
        fields.append(String(1 + rng.next() % 500))
        try writer.write(fields)
        written += Int64(encodedSize(fields))
    }
    try writer.close()
    if rename(temporary, path) != 0 { throw CSVError.init(code: .io, file: path, line: 0, column: 0, byteOffset: 0, reason: "cannot rename", hint: "") }
    print("generated \(path): \(row) records")
}

// MARK: Measuring

#if canImport(Glibc)
let RUSAGE_SELF_VALUE = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
let RUSAGE_SELF_VALUE = RUSAGE_SELF
#endif

func peakMemoryBytes() -> (bytes: Int, source: String) {
    #if os(Linux)
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
       let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") {
        return (kilobytes * 1024, "VmHWM")
    }
    #endif
    var usage = rusage()
    getrusage(RUSAGE_SELF_VALUE, &usage)
    #if canImport(Darwin)
    return (Int(usage.ru_maxrss), "ru_maxrss")
    #else
    return (Int(usage.ru_maxrss) * 1024, "ru_maxrss")
    #endif
}

struct Tally { var records = 0, fields = 0, characters = 0 }

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Reads every field of every record as a Swift String.
func readStrings(_ path: String) throws -> Tally {
    var tally = Tally()
    let reader = try CSVReader(path: path)
    tally.records = 1
    tally.fields = reader.header?.count ?? 0
    while let record = try reader.next() {
        tally.records &+= 1
        for field in record.fields {
            tally.fields &+= 1
            tally.characters &+= field.utf8.count
        }
    }
    return tally
}

/// Reads every field of every record as a byte slice.
func readBytes(_ path: String) throws -> Tally {
    var tally = Tally()
    let reader = try CSVReader(path: path)
    tally.records = 1
    tally.fields = reader.header?.count ?? 0
    try reader.forEachRawRecord { record in
        tally.records &+= 1
        for i in 0..<record.count {
            tally.fields &+= 1
            tally.characters &+= record[i].count
        }
    }
    return tally
}

/// User plus system CPU time of this process, in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF_VALUE, &usage)
    func value(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return value(usage.ru_utime) + value(usage.ru_stime)
}

struct Timing { var wall = Double.infinity, cpu = Double.infinity }

/// The fastest of `runs` runs, by wall clock and (separately) by CPU time.
func best(runs: Int, _ body: () throws -> Tally) throws -> (timing: Timing, tally: Tally) {
    var timing = Timing()
    var tally = Tally()
    let clock = ContinuousClock()
    for _ in 0..<runs {
        let start = clock.now
        let cpuStart = cpuSeconds()
        tally = try body()
        timing.cpu = min(timing.cpu, cpuSeconds() - cpuStart)
        timing.wall = min(timing.wall, seconds(clock.now - start))
    }
    return (timing, tally)
}

let pythonScript = """
import csv, sys, time
path, runs = sys.argv[1], int(sys.argv[2])
best = cpu_best = float('inf')
for _ in range(runs):
    start = time.perf_counter()
    cpu_start = time.process_time()
    records = fields = characters = 0
    with open(path, newline='', encoding='utf-8') as f:
        for row in csv.reader(f):
            records += 1
            for field in row:
                fields += 1
                characters += len(field)
    cpu_best = min(cpu_best, time.process_time() - cpu_start)
    best = min(best, time.perf_counter() - start)
print(best, cpu_best, records, fields, sys.version.split()[0])
"""

func measurePython(path: String, runs: Int, python: String) throws -> (timing: Timing, records: Int, fields: Int, version: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, "-c", pythonScript, path, String(runs)]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let parts = String(decoding: output, as: UTF8.self).split(separator: " ").map(String.init)
    guard process.terminationStatus == 0, parts.count >= 5, let wall = Double(parts[0]), let cpu = Double(parts[1]),
          let records = Int(parts[2]), let fields = Int(parts[3]) else {
        throw CSVError(code: .io, file: python, line: 0, column: 0, byteOffset: 0,
                       reason: "the Python benchmark failed (status \(process.terminationStatus))", hint: "Is python3 installed?")
    }
    return (Timing(wall: wall, cpu: cpu), records, fields, parts[4].trimmingCharacters(in: .whitespacesAndNewlines))
}

func measure(path: String, runs: Int, python: String?) throws {
    let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0)
    let megabytes = size / 1e6
    // Warm the page cache so that every reader sees the same, cached file.
    _ = try best(runs: 1) { try readBytes(path) }

    if ProcessInfo.processInfo.environment["CSV_BENCH_ONLY"] == "strings" {
        for _ in 0..<runs { _ = try readStrings(path) }
        return
    }
    if ProcessInfo.processInfo.environment["CSV_BENCH_ONLY"] == "bytes" {
        for _ in 0..<runs { _ = try readBytes(path) }
        return
    }
    // Interleaved, so that each reader meets the same load on a shared machine; best of `runs` each.
    var strings = (timing: Timing(), tally: Tally())
    var bytes = (timing: Timing(), tally: Tally())
    var pythonResult: (timing: Timing, records: Int, fields: Int, version: String)?
    for _ in 0..<runs {
        let s = try best(runs: 1) { try readStrings(path) }
        strings = (Timing(wall: min(strings.timing.wall, s.timing.wall), cpu: min(strings.timing.cpu, s.timing.cpu)), s.tally)
        let b = try best(runs: 1) { try readBytes(path) }
        bytes = (Timing(wall: min(bytes.timing.wall, b.timing.wall), cpu: min(bytes.timing.cpu, b.timing.cpu)), b.tally)
        if let python {
            let p = try measurePython(path: path, runs: 1, python: python)
            let previous = pythonResult?.timing ?? Timing()
            pythonResult = (Timing(wall: min(previous.wall, p.timing.wall), cpu: min(previous.cpu, p.timing.cpu)), p.records, p.fields, p.version)
        }
    }
    let peak = peakMemoryBytes()
    func rate(_ seconds: Double) -> Double { megabytes / seconds }
    func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

    print("file: \(path) (\(format(megabytes)) MB, \(strings.tally.records) records incl. header, \(strings.tally.fields) fields)")
    print("best of \(runs) interleaved run(s) each, same file, same run; MB/s by wall clock [by CPU time]:")
    func line(_ label: String, _ timing: Timing) {
        let padded = label.padding(toLength: 34, withPad: " ", startingAt: 0)
        print("  \(padded) \(format(rate(timing.wall))) MB/s [\(format(rate(timing.cpu)))]  (\(format(timing.wall, 3)) s)")
    }
    line("CSVKit, every field as String:", strings.timing)
    line("CSVKit, lazy byte slices:", bytes.timing)
    var ratio: Double?
    if let result = pythonResult {
        line("Python \(result.version) csv.reader:", result.timing)
        if result.records != strings.tally.records || result.fields != strings.tally.fields {
            print("  WARNING: Python saw \(result.records) records / \(result.fields) fields; CSVKit saw \(strings.tally.records) / \(strings.tally.fields)")
        }
        ratio = result.timing.wall / strings.timing.wall
        print("ratio CSVKit Strings / Python csv: \(format(ratio!, 2))x [CPU \(format(result.timing.cpu / strings.timing.cpu, 2))x]"
            + "   (byte slices / Python: \(format(result.timing.wall / bytes.timing.wall, 2))x)")
    }
    let peakMB = Double(peak.bytes) / 1_048_576
    print("CSVKit peak memory (\(peak.source), whole process): \(format(peakMB)) MiB")
    if let ratio {
        print("targets: Strings >= 4x Python: \(ratio >= 4 ? "met" : "NOT met"); peak < 64 MiB: \(peakMB < 64 ? "met" : "NOT met")")
    }
}

// MARK: Main

do {
    var arguments = Array(CommandLine.arguments.dropFirst())
    guard let command = arguments.first else { usage() }
    arguments.removeFirst()
    switch command {
    case "generate":
        let megabytes = Int(option("--megabytes", default: "200", in: &arguments)) ?? 200
        let seed = UInt64(option("--seed", default: "20240917", in: &arguments)) ?? 20240917
        guard let path = arguments.first else { usage() }
        try generate(path: path, megabytes: megabytes, seed: seed)
    case "measure":
        let runs = max(1, Int(option("--runs", default: "3", in: &arguments)) ?? 3)
        let python = option("--python", default: "python3", in: &arguments)
        guard let path = arguments.first else { usage() }
        try measure(path: path, runs: runs, python: python == "none" ? nil : python)
    default:
        usage()
    }
} catch {
    FileHandle.standardError.write(Data("csv-bench: \(error)\n".utf8))
    exit(1)
}
