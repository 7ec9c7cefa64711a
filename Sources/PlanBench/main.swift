// plan-bench: dry-run planning throughput and memory.
//
//   swift run -c release plan-bench [ROWS] [--template grant|restrict] [--plan-dir DIR] [--keep]
//
// Generates a deterministic grant CSV of ROWS rows (1,000,000 by default) in a temporary
// folder, reads it once with CSVKit alone (the peer figure: what reading costs), then runs
// the whole dry run with the built-in `grant` template: pass 1 (read and check every row),
// pass 2 (render, token and pretty JSON of every change set, in memory), and the results
// CSV (a third read). Prints rows/s for each (wall clock, and per CPU second, steadier on a
// busy machine) and the peak resident memory (VmHWM) of the dry run.
// Targets: >= 50,000 rows/s and < 100 MB.
// --plan-dir DIR then also times `DryRun.plan` writing every changeset-NNNNNN.json there
// (bound by file creation: a million rows make 250,000 files). --keep keeps the CSV files.
// --template restrict plans a sheet of distinct resale authorization ids instead (every row
// targets an existing entity: the worst case for the ordering table's memory).

import BulkRunner
import CSVKit
import CatalogModels
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

var rowCount = 1_000_000
var planDirectory: URL?
var keep = false
var templateName = "grant"
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--plan-dir":
        guard let path = arguments.popFirst() else { fatalError("--plan-dir needs a directory") }
        planDirectory = URL(fileURLWithPath: path)
    case "--keep": keep = true
    case "--template":
        guard let name = arguments.popFirst(), ["grant", "restrict"].contains(name) else { fatalError("--template grant|restrict") }
        templateName = name
    default:
        guard let n = Int(argument.replacingOccurrences(of: "_", with: "")), n > 0 else {
            print("usage: plan-bench [ROWS] [--template grant|restrict] [--plan-dir DIR] [--keep]")
            exit(2)
        }
        rowCount = n
    }
}

/// Peak and current resident memory from /proc/self/status (Linux); 0 elsewhere.
func memory() -> (peak: Int, current: Int) {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func value(_ key: String) -> Int {
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
    return (value("VmHWM:") * 1024, value("VmRSS:") * 1024)
}

/// Resets VmHWM to the current RSS (Linux: write 5 to clear_refs), so the dry run's peak is its own.
func resetPeak() {
    if let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") {
        handle.write(Data("5".utf8))
        try? handle.close()
    }
}

func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
func rate(_ rows: Int, _ seconds: Double) -> String { String(format: "%9.0f rows/s", Double(rows) / seconds) }
func now() -> Double { Date().timeIntervalSinceReferenceDate }
/// CPU seconds used by this process so far (user + system): steadier than wall time on a busy machine.
func cpu() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plan-bench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
if keep { print("plan-bench: files kept in \(directory.path)") }
let input = directory.appendingPathComponent("\(templateName)-\(rowCount).csv")
let results = directory.appendingPathComponent("\(templateName)-\(rowCount).results.csv")

// 1. A deterministic grant sheet: unique partners, a few products and prices, every other
//    row with an expiry date, every fifth with a custom EULA.
var start = now()
if templateName == "restrict" {
    // One resale authorization per row, each id unique: the ordering table holds them all.
    let writer = try CSVWriter(path: input.path)
    try writer.write(["Resale Authorization Id", "Partner"])
    for i in 0..<rowCount { try writer.write(["resaleauthz-\(String(i, radix: 36))x\(i % 7)", "Partner \(i)"]) }
    try writer.close()
} else {
    let writer = try CSVWriter(path: input.path)
    try writer.write(["Reseller Account Id", "Product Id", "Name", "Dimension Key", "Price", "Expiry Date", "Custom EULA URL"])
    let products = ["prod-abcdefghij123", "prod-klmnopqrst456", "prod-uvwxyzabcd789"]
    for i in 0..<rowCount {
        let account = String(100_000_000_000 + i * 7 % 900_000_000_000)
        try writer.write([
            account, products[i % 3], "Partner \(i) resale", "Users", "\(10 + i % 90).\(i % 10)0",
            i % 2 == 0 ? "2099-12-31" : "", i % 5 == 0 ? "https://example.com/eula/\(i % 97).pdf" : "",
        ])
    }
    try writer.close()
}
let size = (try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? NSNumber)?.intValue ?? 0
print("plan-bench: \(rowCount) rows, \(megabytes(size)) CSV generated in \(String(format: "%.1f", now() - start)) s")

// 2. Peer figure: CSVKit reading the same file, a String per field (what the planner reads).
start = now()
var readRows = 0
do {
    let reader = try CSVReader(path: input.path)
    while let record = try reader.next() { readRows += record.fields.count > 0 ? 1 : 0 }
}
let readSeconds = now() - start
print("csv read only      \(rate(readRows, readSeconds))   \(String(format: "%6.2f", readSeconds)) s   (CSVKit CSVReader.next, one pass)")

// 3. The dry run.
let template = try Template.load(templateName)
let options = PlanOptions(today: Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01
let identity = try RunIdentity("bench")
resetPeak()
let before = memory()

start = now()
var cpuStart = cpu()
let plan = try Planner.analyze(input: input, template: template, constants: [:], options: options, runIdentity: identity)
let pass1 = now() - start
let pass1CPU = cpu() - cpuStart

start = now()
cpuStart = cpu()
var sets = 0
var bytes = 0
var firstToken = ""
do {
    let iterator = try plan.changeSets()
    while let set = try iterator.next() {
        if sets == 0 { firstToken = set.clientRequestToken }
        sets += 1
        bytes += set.prettyJSONBytes().count
    }
}
let pass2 = now() - start
let pass2CPU = cpu() - cpuStart

start = now()
cpuStart = cpu()
try plan.writeDryRunResults(to: results)
let pass3 = now() - start
let pass3CPU = cpu() - cpuStart
let after = memory()
let total = pass1 + pass2 + pass3

let rows = rowCount
func cpuNote(_ seconds: Double) -> String { String(format: "cpu %6.2f s = %8.0f rows/cpu-s", seconds, Double(rows) / seconds) }
print("pass 1 check+pack  \(rate(rowCount, pass1))   \(String(format: "%6.2f", pass1)) s   \(cpuNote(pass1CPU))")
print("pass 2 render+JSON \(rate(rowCount, pass2))   \(String(format: "%6.2f", pass2)) s   \(cpuNote(pass2CPU))")
print("                   \(sets) change sets, \(megabytes(bytes)) of JSON (made in memory, not written)")
print("results CSV        \(rate(rowCount, pass3))   \(String(format: "%6.2f", pass3)) s   \(cpuNote(pass3CPU))")
print("dry run total      \(rate(rowCount, total))   \(String(format: "%6.2f", total)) s   \(cpuNote(pass1CPU + pass2CPU + pass3CPU))")
print("                   (\(String(format: "%.2f", total / readSeconds))x one CSV read)")
print("peak memory (VmHWM) during the dry run: \(megabytes(after.peak)) (RSS before: \(megabytes(before.current)))")
print("summary: \(plan.summary.text)")
if !firstToken.isEmpty { print("first token: \(firstToken)") }
let ok = Double(rowCount) / total >= 50_000 && after.peak < 100 * 1_048_576
print(ok ? "targets met: >= 50,000 rows/s and < 100 MB" : "TARGETS MISSED: want >= 50,000 rows/s and < 100 MB")

// 4. Optionally the whole `DryRun.plan` entry point, writing every changeset-NNNNNN.json:
//    what `bulkrunner run --dry-run --plan-dir DIR` does (file creation dominates).
if let planDirectory {
    try? FileManager.default.removeItem(at: planDirectory)
    resetPeak()
    start = now()
    cpuStart = cpu()
    let summary = try DryRun.plan(input: input, template: template, options: options, runIdentity: identity,
                                  output: .directory(planDirectory), results: results)
    let seconds = now() - start
    print("DryRun.plan to \(planDirectory.path): \(rate(rowCount, seconds))   \(String(format: "%6.2f", seconds)) s   \(cpuNote(cpu() - cpuStart))")
    print("                   \(summary.changeSets) files + changesets.csv + results; peak memory \(megabytes(memory().peak))")
}
