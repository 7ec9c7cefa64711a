import CatalogModels
import Foundation

/// What a run was (template, constants, packing), kept beside its results as `RESULTS.csv.job`,
/// so that `retry` and `status` rebuild exactly the same plan from the results file alone.
struct JobRecord: Equatable {
    /// A built-in template's name, or the template file's absolute path.
    var template: String
    /// The `--set` constants.
    var constants: [String: String]
    /// Whether the run used the embedded emulator.
    var emulator: Bool
    /// `--rows-per-change-set`, when given: the packing decides the change sets and their tokens.
    var rowsPerChangeSet: Int? = nil
    /// Where the run sent its change sets (endpoint and profile; nil for the emulator or a dry run).
    var target: String? = nil

    static func url(besideResults results: URL) -> URL { URL(fileURLWithPath: results.path + ".job") }

    /// Writes the record (best effort: a run does not fail because its sidecar cannot be written).
    func write(besideResults results: URL) {
        var object = JSONObject()
        object["Template"] = .string(template)
        object["Constants"] = .object(JSONObject(constants.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
        object["Emulator"] = .bool(emulator)
        if let rowsPerChangeSet { object["RowsPerChangeSet"] = .number(JSONNumber(rowsPerChangeSet)) }
        if let target { object["Target"] = .string(target) }
        let data = Data((JSONValue.object(object).prettyString(indent: 2) + "\n").utf8)
        try? data.write(to: Self.url(besideResults: results), options: .atomic)
    }

    /// The record beside `results`, or `nil` when there is none (or it cannot be read).
    static func read(besideResults results: URL) -> JobRecord? {
        guard let data = FileManager.default.contents(atPath: url(besideResults: results).path),
              let value = try? JSONValue(parsing: String(decoding: data, as: UTF8.self)),
              let template = value["Template"]?.stringValue else { return nil }
        var constants: [String: String] = [:]
        if let object = value["Constants"]?.objectValue {
            for (key, item) in object { if let text = item.stringValue { constants[key] = text } }
        }
        let rows = value["RowsPerChangeSet"].flatMap { $0.numberValue.flatMap { Int($0.text) } }
        return JobRecord(template: template, constants: constants, emulator: value["Emulator"]?.boolValue ?? false,
                         rowsPerChangeSet: rows, target: value["Target"]?.stringValue)
    }
}
