import CatalogModels
import Clocks
import Foundation

/// How one call ended after its retries.
enum CallOutcome<Value: Sendable>: Sendable {
    case success(Value)
    /// Back-pressure or a refusal: the machine decides.
    case surfaced(CatalogError)
    /// Transient failures used up the attempts.
    case gaveUp(CatalogError)
    /// The run is stopping.
    case cancelled

    var result: Result<Value, CatalogError>? {
        switch self {
        case .success(let value): .success(value)
        case .surfaced(let error), .gaveUp(let error): .failure(error)
        case .cancelled: nil
        }
    }
}

extension BulkRun {
    /// Calls `body` under `operation`'s rate limit, retrying as ``CallRetry`` decides, with
    /// jitter drawn from a stream named by `stream` (so delays do not depend on scheduling).
    static func call<Value: Sendable>(
        _ operation: CatalogOperation, stream: String, limiter: RateLimiter, clock: any TimeSource,
        options: RunOptions, _ body: @Sendable () async throws -> Value
    ) async -> CallOutcome<Value> {
        var retry = CallRetry(options: options)
        while true {
            do {
                try await limiter.acquire(operation)
            } catch {
                return .cancelled
            }
            let error: CatalogError
            do {
                return .success(try await body())
            } catch let caught as CatalogError {
                error = caught
            } catch {
                if Task.isCancelled || error is CancellationError { return .cancelled }
                return .surfaced(CatalogError(.unknown("LocalError"), message: "\(error)"))
            }
            if error.code == .throttling { limiter.recordThrottle(operation) }
            var generator = SplitMix64.stream(seed: options.seed, label: "\(operation.name) \(stream) \(retry.failures)")
            switch retry.decide(after: error, using: &generator) {
            case .retry(let delay):
                do {
                    try await clock.sleep(seconds: delay)
                } catch {
                    return .cancelled
                }
            case .surface:
                return .surfaced(error)
            case .giveUp:
                return .gaveUp(error)
            }
        }
    }

    static func submit(unit: Int, request: StartChangeSetRequest, api: any CatalogAPI, limiter: RateLimiter,
                       clock: any TimeSource, options: RunOptions) async -> MachineEvent? {
        let outcome = await call(.startChangeSet, stream: request.clientRequestToken ?? "", limiter: limiter,
                                 clock: clock, options: options) {
            try await api.startChangeSet(request)
        }
        switch outcome {
        case .success(let response):
            guard let id = response.changeSetId, !id.isEmpty else {
                return .submitted(unit: unit, .gaveUp(CatalogError(.serialization, message: "StartChangeSet answered without a ChangeSetId")))
            }
            return .submitted(unit: unit, .accepted(id: id, arn: response.changeSetArn))
        case .surfaced(let error): return .submitted(unit: unit, .refused(error))
        case .gaveUp(let error): return .submitted(unit: unit, .gaveUp(error))
        case .cancelled: return nil
        }
    }

    /// Every page of ListChangeSets for `filters`.
    static func listAll(filters: [Filter], stream: String, api: any CatalogAPI, limiter: RateLimiter,
                        clock: any TimeSource, options: RunOptions) async -> CallOutcome<[ChangeSetSummaryListItem]> {
        var items: [ChangeSetSummaryListItem] = []
        var nextToken: String?
        for page in 0..<50 {
            let request = ListChangeSetsRequest(filterList: filters, maxResults: 20, nextToken: nextToken)
            let outcome = await call(.listChangeSets, stream: "\(stream) page \(page)", limiter: limiter,
                                     clock: clock, options: options) {
                try await api.listChangeSets(request)
            }
            switch outcome {
            case .success(let response):
                items += response.changeSetSummaryList ?? []
                nextToken = response.nextToken
                if nextToken?.isEmpty ?? true { return .success(items) }
            case .surfaced(let error): return .surfaced(error)
            case .gaveUp(let error): return .gaveUp(error)
            case .cancelled: return .cancelled
            }
        }
        return .success(items)
    }

    static func poll(id: Int, names: [String], api: any CatalogAPI, limiter: RateLimiter, clock: any TimeSource,
                     options: RunOptions) async -> MachineEvent? {
        let outcome = await listAll(filters: [Filter(name: "ChangeSetName", valueList: names)], stream: "poll \(id)",
                                    api: api, limiter: limiter, clock: clock, options: options)
        return outcome.result.map { .listed(poll: id, $0) }
    }

    static func searchHistory(unit: Int, name: String, api: any CatalogAPI, limiter: RateLimiter, clock: any TimeSource,
                              options: RunOptions) async -> MachineEvent? {
        let outcome = await listAll(filters: [Filter(name: "ChangeSetName", valueList: [name])], stream: "history \(name)",
                                    api: api, limiter: limiter, clock: clock, options: options)
        return outcome.result.map { .history(unit: unit, $0) }
    }

    static func describe(unit: Int, changeSetId: String, api: any CatalogAPI, limiter: RateLimiter,
                         clock: any TimeSource, options: RunOptions) async -> MachineEvent? {
        let outcome = await call(.describeChangeSet, stream: changeSetId, limiter: limiter, clock: clock, options: options) {
            try await api.describeChangeSet(DescribeChangeSetRequest(changeSetId: changeSetId))
        }
        return outcome.result.map { .described(unit: unit, $0) }
    }

    /// Looks each create up with ListEntities (its ``CreationKey/listEntitiesRequest``, every
    /// page) and keeps the entities whose key fields all match.
    static func lookUp(unit: Int, queries: [CreationQuery], api: any CatalogAPI, limiter: RateLimiter,
                       clock: any TimeSource, options: RunOptions) async -> MachineEvent? {
        var lookup = CreationLookup(found: [], unverifiable: [:])
        for query in queries {
            guard query.key.isVerifiable, var request = query.key.listEntitiesRequest else {
                lookup.unverifiable[query.row] = query.key.summary
                continue
            }
            request.maxResults = 50
            var matches: [String] = []
            for page in 0..<20 {
                let pageRequest = request
                let outcome = await call(.listEntities, stream: "lookup \(query.row) \(query.key.changeIndex) \(page)",
                                         limiter: limiter, clock: clock, options: options) {
                    try await api.listEntities(pageRequest)
                }
                switch outcome {
                case .success(let response):
                    for summary in response.entitySummaryList ?? [] where query.key.matches(summary) {
                        if let id = summary.entityId { matches.append(id) }
                    }
                    request.nextToken = response.nextToken
                case .surfaced(let error), .gaveUp(let error):
                    return .lookedUp(unit: unit, .failure(error))
                case .cancelled:
                    return nil
                }
                if request.nextToken?.isEmpty ?? true { break }
            }
            if let id = matches.sorted().first {
                lookup.found.append(AdaptedCreate(row: query.row, changeIndex: query.key.changeIndex, entityId: id))
            }
        }
        return .lookedUp(unit: unit, .success(lookup))
    }
}
