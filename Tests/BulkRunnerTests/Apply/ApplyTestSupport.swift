import BulkRunner
import CSVKit
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import TestSupport

/// An emulated seller account with hundreds of resale authorizations and offers, on a virtual
/// clock, in a temporary folder: export from it, mark the sheet up in code, apply, look.
struct ApplyWorld: Sendable {
    let clock: VirtualTimeSource
    let emulator: CatalogEmulator
    let api: CallTap
    let directory: TemporaryDirectory
    private let cleanup: Cleanup

    final class Cleanup: Sendable {
        let url: URL
        init(_ url: URL) { self.url = url }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    init(resaleAuthorizations: Int = 300, offers: Int = 200, seed: UInt64 = 21) throws {
        clock = VirtualTimeSource()
        var configuration = EmulatorConfiguration(seed: seed)
        configuration.lifecycle = LifecycleTiming(prepareSeconds: 2, applySeconds: 3, jitter: 0)
        configuration.seeding = SeedPlan(amiProducts: 2, containerProducts: 1, saasProducts: 2, foreignProducts: 0,
                                         resaleAuthorizations: resaleAuthorizations, offers: offers, agreements: 0)
        emulator = CatalogEmulator(configuration: configuration, clock: clock)
        api = CallTap(emulator, clock: clock)
        directory = try TemporaryDirectory(prefix: "apply-test")
        cleanup = Cleanup(directory.url)
    }

    /// Runs `operation` in virtual time, never moving the clock while a call is in flight.
    func inVirtualTime<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let api = self.api
        return try await clock.run(idle: { api.inFlight == 0 }, operation)
    }

    /// Exports `kind` (optionally only some statuses) to `name` in the world's folder.
    func export(_ kind: ExportKind, statuses: [String] = [], to name: String) async throws -> URL {
        var filter = ExportQuery(kind: kind)
        filter.statuses = statuses
        let exporter = Exporter(api: api, clock: clock)
        let query = filter
        let text = try await inVirtualTime {
            let writer = CSVWriter(options: CSVWriter.Options(recordEnd: .lf))
            try await exporter.export(query, to: writer)
            return writer.string
        }
        let url = directory.path(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        clock.advance(by: 2)
        return url
    }

    /// Reads `url`, lets `edit` change its rows (cells by column name, as written), writes `name`.
    func markUp(_ url: URL, as name: String, _ edit: (inout [Sheet.Row]) throws -> Void) throws -> URL {
        var sheet = try Sheet(url)
        try edit(&sheet.rows)
        let out = directory.path(name)
        try sheet.write(to: out)
        return out
    }

    /// Checks and applies `sheet`, writing the results to `output`.
    func apply(_ sheet: URL, output name: String, options: ApplyOptions? = nil, journals: ApplyJournals? = nil,
               identity: String = "apply-test") async throws -> (plan: ApplyPlan, report: ApplyReport, results: Sheet) {
        let options = options ?? ApplyOptions(today: clock.now())
        let applier = Applier(api: api, clock: clock, options: options)
        let output = directory.path(name)
        let journals = journals ?? ApplyJournals(besideResults: output)
        let identity = try RunIdentity(identity)
        let plan = try await inVirtualTime { try await applier.check(sheet: sheet, identity: identity) }
        try plan.record.write(to: ApplyRecord.url(besideResults: output))
        let report = try await inVirtualTime { try await applier.run(plan, journals: journals) }
        try report.write(plan: plan, to: output)
        return (plan, report, try Sheet(output))
    }

    /// An entity's DetailsDocument as DescribeEntity gives it now.
    func document(_ id: String) async throws -> JSONValue {
        try await emulator.describeEntity(DescribeEntityRequest(entityId: id)).detailsDocument ?? .null
    }

    /// Every resale authorization, by id.
    func authorizations() async -> [String: EmulatorInventory.ResaleAuthorization] {
        Dictionary(uniqueKeysWithValues: await emulator.inventory().resaleAuthorizations.map { ($0.id, $0) })
    }

    /// Every offer, by id.
    func offers() async -> [String: EmulatorInventory.Offer] {
        Dictionary(uniqueKeysWithValues: await emulator.inventory().offers.map { ($0.id, $0) })
    }

    /// Starts a change set outside apply and lets it finish (someone else changing an entity).
    func change(_ changes: [Change]) async throws {
        let response = try await emulator.startChangeSet(StartChangeSetRequest(changeSet: changes))
        clock.advance(by: 10)
        let described = try await emulator.describeChangeSet(DescribeChangeSetRequest(changeSetId: response.changeSetId ?? ""))
        guard described.status?.rawValue == "SUCCEEDED" else {
            throw ApplyTestFailure("change set \(described.status?.rawValue ?? "?"): \(described.changeSet ?? [])")
        }
    }
}

struct ApplyTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A CSV file as rows of cells by column name, cells exactly as written (apostrophes kept).
struct Sheet: Sendable {
    struct Row: Sendable {
        var cells: [String: String]
        subscript(_ column: String) -> String {
            get { cells[column] ?? "" }
            set { cells[column] = newValue }
        }
        /// The value without the export's spreadsheet apostrophe.
        func bare(_ column: String) -> String { self[column].hasPrefix("'") ? String(self[column].dropFirst()) : self[column] }
    }

    var header: [String]
    var rows: [Row]

    init(_ url: URL) throws {
        let reader = try CSVReader(path: url.path)
        header = reader.header?.names ?? []
        let names = header
        rows = try reader.readAll().map { record in
            Row(cells: Dictionary(uniqueKeysWithValues: zip(names, record.fields + Array(repeating: "", count: max(0, names.count - record.fields.count)))))
        }
    }

    func write(to url: URL) throws {
        let writer = CSVWriter(options: CSVWriter.Options(recordEnd: .lf))
        try writer.write(header)
        for row in rows { try writer.write(header.map { row[$0] }) }
        try writer.string.write(to: url, atomically: true, encoding: .utf8)
    }

    /// The row of entity `id` (first column `ResaleAuthorizationId` or `OfferId`).
    func row(_ id: String) -> Row? {
        rows.first { $0["ResaleAuthorizationId"] == id || $0["OfferId"] == id }
    }
}

extension JSONValue {
    /// Every `Price` in the document's pricing terms' rate cards, by dimension key.
    var ratePrices: [String: String] {
        var prices: [String: String] = [:]
        for term in self["Terms"]?.arrayValue ?? [] where (term["Type"]?.stringValue ?? "").hasSuffix("PricingTerm") {
            for card in term["RateCards"]?.arrayValue ?? [] {
                for item in card["RateCard"]?.arrayValue ?? [] {
                    if let key = item["DimensionKey"]?.stringValue { prices[key] = item["Price"]?.stringValue }
                }
            }
        }
        return prices
    }
}

extension CallTap {
    /// Refuses StartChangeSet requests that `rule` matches with a ValidationException (a
    /// request the service will not take).
    func refuse(_ rule: @escaping @Sendable (StartChangeSetRequest) -> Bool) {
        refuseStarts { request in
            rule(request) ? CatalogError(.validation, message: "refused by the test: \(request.changeSet.map(\.changeType))") : nil
        }
    }
}
