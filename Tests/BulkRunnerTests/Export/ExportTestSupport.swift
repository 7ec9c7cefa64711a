import BulkRunner
import CSVKit
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation

/// An emulated seller account on a virtual clock, seeded with `resaleAuthorizations` and
/// `offers`, and helpers to export from it.
struct ExportWorld {
    let clock: VirtualTimeSource
    let emulator: CatalogEmulator

    init(resaleAuthorizations: Int, offers: Int, quotas: RequestQuotas = .published, faults: FaultPlan = FaultPlan(),
         seed: UInt64 = 11) {
        clock = VirtualTimeSource()
        var configuration = EmulatorConfiguration(seed: seed)
        configuration.quotas = quotas
        configuration.faults = faults
        configuration.lifecycle = LifecycleTiming(prepareSeconds: 1, applySeconds: 1, jitter: 0)
        configuration.seeding = SeedPlan(amiProducts: 2, containerProducts: 1, saasProducts: 2, foreignProducts: 0,
                                         resaleAuthorizations: resaleAuthorizations, offers: offers, agreements: 0)
        emulator = CatalogEmulator(configuration: configuration, clock: clock)
    }

    /// Exports `query` through `api` (the emulator by default) in virtual time.
    func export(_ query: ExportQuery, options: ExportOptions = ExportOptions(), api: (any CatalogAPI)? = nil,
                progress: (@Sendable (ExportProgress) -> Void)? = nil) async throws -> ExportRun {
        let exporter = Exporter(api: api ?? emulator, clock: clock, options: options)
        let clock = self.clock
        let started = clock.now()
        let (text, result) = try await clock.run {
            let writer = CSVWriter(options: CSVWriter.Options(recordEnd: .lf))
            let result = try await exporter.export(query, to: writer, progress: progress)
            return (writer.string, result)
        }
        return ExportRun(text: text, progress: result, seconds: clock.now().timeIntervalSince(started))
    }

    /// Starts a change set (JSON StartChangeSet body) and lets virtual time pass until it is final.
    func apply(_ json: String) async throws {
        let request = try CatalogJSON.decode(StartChangeSetRequest.self, from: Data(json.utf8))
        let response = try await emulator.startChangeSet(request)
        clock.advance(by: 5)
        let described = try await emulator.describeChangeSet(
            DescribeChangeSetRequest(changeSetId: response.changeSetId ?? ""))
        guard described.status?.rawValue == "SUCCEEDED" else {
            let errors = (described.changeSet ?? []).flatMap { $0.errorDetailList ?? [] }.map { "\($0.errorCode ?? ""): \($0.errorMessage ?? "")" }
            throw TestFailure("change set \(described.status?.rawValue ?? "?"): \(errors)")
        }
    }

    /// Lets a second of virtual time pass (so the emulator's rate windows reset between phases).
    func rest() { clock.advance(by: 2) }

    func statistics() async -> EmulatorStatistics { await emulator.statistics() }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One export's output.
struct ExportRun: Sendable {
    let text: String
    let progress: ExportProgress
    let seconds: Double

    /// The data rows by column name.
    var rows: [[String: String]] {
        let reader = try! CSVReader(string: text)
        let names = reader.header?.names ?? []
        return try! reader.readAll().map { record in
            Dictionary(uniqueKeysWithValues: zip(names, record.fields))
        }
    }

    var header: [String] {
        (try? CSVReader(string: text))?.header?.names ?? []
    }

    func ids(_ kind: ExportKind) -> [String] { rows.map { $0[kind.idColumn.name] ?? "" } }
}

/// The emulator behind a script: per-entity BatchDescribeEntities errors, repeated list
/// entries, and a failing call.
actor ScriptedCatalog: CatalogAPI {
    let base: CatalogEmulator
    /// Error codes to answer in `Errors` for an id, one per describe of it, before answering normally.
    var entityErrors: [String: [String]] = [:]
    /// Repeat the previous page's last entity at the top of the next page.
    var repeatAcrossPages = false
    /// Fail every ListEntities call with this error.
    var listFailure: CatalogError?
    private var previousLast: EntitySummary?

    init(_ base: CatalogEmulator) { self.base = base }

    func script(entityErrors: [String: [String]] = [:], repeatAcrossPages: Bool = false, listFailure: CatalogError? = nil) {
        self.entityErrors = entityErrors
        self.repeatAcrossPages = repeatAcrossPages
        self.listFailure = listFailure
    }

    func startChangeSet(_ request: StartChangeSetRequest) async throws -> StartChangeSetResponse { try await base.startChangeSet(request) }
    func describeChangeSet(_ request: DescribeChangeSetRequest) async throws -> DescribeChangeSetResponse { try await base.describeChangeSet(request) }
    func listChangeSets(_ request: ListChangeSetsRequest) async throws -> ListChangeSetsResponse { try await base.listChangeSets(request) }
    func cancelChangeSet(_ request: CancelChangeSetRequest) async throws -> CancelChangeSetResponse { try await base.cancelChangeSet(request) }
    func describeEntity(_ request: DescribeEntityRequest) async throws -> DescribeEntityResponse { try await base.describeEntity(request) }

    func listEntities(_ request: ListEntitiesRequest) async throws -> ListEntitiesResponse {
        if let listFailure { throw listFailure }
        var response = try await base.listEntities(request)
        if repeatAcrossPages {
            if request.nextToken != nil, let previousLast {
                response.entitySummaryList = [previousLast] + (response.entitySummaryList ?? [])
            }
            previousLast = response.entitySummaryList?.last
        }
        return response
    }

    func batchDescribeEntities(_ request: BatchDescribeEntitiesRequest) async throws -> BatchDescribeEntitiesResponse {
        var response = try await base.batchDescribeEntities(request)
        for entry in request.entityRequestList {
            guard var codes = entityErrors[entry.entityId], !codes.isEmpty else { continue }
            let code = codes.removeFirst()
            entityErrors[entry.entityId] = codes
            response.entityDetails?[entry.entityId] = nil
            response.errors = (response.errors ?? [:]).merging([entry.entityId: BatchDescribeErrorDetail(errorCode: code, errorMessage: "scripted \(code)")]) { $1 }
        }
        return response
    }
}
