import CSVKit
import CatalogModels
import Foundation
import TestSupport

@testable import BulkRunner

/// 2026-01-01T00:00:00Z: "today" in every planning test.
let testToday = Date(timeIntervalSince1970: 1_767_225_600)

/// Options for tests: today fixed.
func testOptions(strict: Bool = false, rowsPerChangeSet: Int? = nil, allowDuplicates: Bool = false,
                 skip: Set<RowOutcome> = []) -> PlanOptions {
    PlanOptions(today: testToday, strict: strict, rowsPerChangeSet: rowsPerChangeSet, allowDuplicateRows: allowDuplicates,
                skipRowsWithOutcomes: skip)
}

/// A temporary folder for one test, removed when the test ends.
final class Workspace {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory(prefix: "bulkrunner-planning")
    }

    deinit { directory.remove() }

    var url: URL { directory.url }

    /// Writes `text` to `name` and returns its URL.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let url = directory.path(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: directory.path(name), encoding: .utf8)
    }

    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.path(name).path)
    }

    /// Writes a CSV of `header` and `rows` (RFC 4180 quoting) to `name`.
    @discardableResult
    func csv(_ name: String = "input.csv", _ header: [String], _ rows: [[String]]) throws -> URL {
        try write(name, csvText(header, rows))
    }
}

/// RFC 4180 text for a header and rows (no formula guard: test inputs are taken as given).
func csvText(_ header: [String], _ rows: [[String]]) -> String {
    let writer = CSVWriter(options: CSVWriter.Options(recordEnd: .lf, neutralizesFormulas: false))
    try? writer.write(header)
    for row in rows { try? writer.write(row) }
    return writer.string
}

/// The result of planning one input.
struct Planned {
    let plan: Plan
    let sets: [PlannedChangeSet]

    var summary: PlanSummary { plan.summary }

    /// Every row's results-file outcome after a dry run, by row index.
    func results(_ workspace: Workspace) throws -> [RowResult] {
        let output = workspace.directory.path("results-\(UUID().uuidString).csv")
        try plan.writeDryRunResults(to: output)
        let reader = try CSVReader(path: output.path)
        var results: [RowResult] = []
        let names = reader.header?.names ?? []
        while let record = try reader.next() {
            var cells: [String: String] = [:]
            for (index, name) in names.enumerated() where RowResult.isResultColumn(name) { cells[name] = record.fields[index] }
            results.append(RowResult(cells: cells)!)
        }
        return results
    }
}

/// Plans `rows` (under `header`) with `template`, collecting every change set.
func plan(_ template: Template, header: [String], rows: [[String]], constants: [String: String] = [:],
          options: PlanOptions = testOptions(), identity: String = "test", in workspace: Workspace) throws -> Planned {
    let input = try workspace.csv("input-\(UUID().uuidString).csv", header, rows)
    let plan = try Planner.analyze(input: input, template: template, constants: constants, options: options,
                                   runIdentity: try RunIdentity(identity))
    var sets: [PlannedChangeSet] = []
    let iterator = try plan.changeSets()
    while let set = try iterator.next() { sets.append(set) }
    return Planned(plan: plan, sets: sets)
}

/// Compiles `json` as a template named `test.json`.
func template(_ json: String) throws -> Template {
    try Template(json: json, file: "test.json")
}

/// A one-change template: `details` is the DetailsDocument JSON.
func singleChange(_ changeType: String = "UpdateInformation", entityType: String = "Offer@1.0",
                  identifier: String? = "{{OFFER_ID}}", details: String, extra: String = "") throws -> Template {
    let id = identifier.map { ", \"Identifier\": \"\($0)\"" } ?? ""
    return try template("""
    {"Catalog": "AWSMarketplace", "ChangeSet": [
      {"ChangeType": "\(changeType)", "Entity": {"Type": "\(entityType)"\(id)}\(extra), "DetailsDocument": \(details)}
    ]}
    """)
}

/// The details of change `index` of a set.
func details(_ set: PlannedChangeSet, _ index: Int = 0) -> JSONValue? {
    set.request.changeSet[index].detailsDocument
}

/// Parses JSON text in a test.
func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: text)
}
