import CatalogModels
import Clocks
import Foundation

/// One export's calls: every Catalog API call goes through ``call(_:_:)``, which waits for
/// the operation's rate limit (the runner's ``RateLimiter``), counts the call, and retries
/// throttling and transient failures with capped exponential backoff and full jitter
/// (``CallRetry``). Shared by the export's concurrent describe calls; one lock.
final class ExportSession: @unchecked Sendable {
    let api: any CatalogAPI
    let clock: any TimeSource
    let options: ExportOptions
    let limiter: RateLimiter
    let started: Date
    private let lock = NSLock()
    private var counters = ExportProgress()
    private var sequence: UInt64 = 0

    init(api: any CatalogAPI, clock: any TimeSource, options: ExportOptions, limiter: RateLimiter) {
        self.api = api
        self.clock = clock
        self.options = options
        self.limiter = limiter
        started = clock.now()
    }

    /// The counters now, with the elapsed time.
    var progress: ExportProgress {
        let now = clock.now()
        return lock.withLock {
            var copy = counters
            copy.elapsed = now.timeIntervalSince(started)
            return copy
        }
    }

    func update(_ change: (inout ExportProgress) -> Void) {
        lock.withLock { change(&counters) }
    }

    private func nextSequence() -> UInt64 {
        lock.withLock {
            sequence += 1
            return sequence
        }
    }

    /// Calls `body` (one request of `operation`) within the rate limit, retrying throttling
    /// (up to ``ExportOptions/maxThrottledAttempts``) and transient failures (up to
    /// ``ExportOptions/maxAttempts``). Throws the last `CatalogError` when it gives up or the
    /// error is not retryable, and `CancellationError` when cancelled.
    func call<T: Sendable>(_ operation: CatalogOperation, _ body: @Sendable () async throws -> T) async throws -> T {
        var retry = CallRetry(maxAttempts: options.maxAttempts, maxThrottledAttempts: options.maxThrottledAttempts,
                              base: options.backoffBase, cap: options.backoffCap)
        var generator = SplitMix64.stream(seed: options.seed, label: "export-\(operation.name)-\(nextSequence())")
        while true {
            try await limiter.acquire(operation)
            update {
                if operation == .listEntities { $0.listCalls += 1 } else { $0.describeCalls += 1 }
            }
            do {
                return try await body()
            } catch let error as CatalogError {
                if error.code == .throttling {
                    limiter.recordThrottle(operation)
                    update { $0.throttles += 1 }
                }
                switch retry.decide(after: error, using: &generator) {
                case .retry(let delay):
                    update { $0.retries += 1 }
                    try await clock.sleep(seconds: delay)
                case .surface, .giveUp:
                    throw error
                }
            }
        }
    }

    /// One ListEntities page.
    func list(_ query: ExportQuery, nextToken: String?) async throws -> ListEntitiesResponse {
        let request = query.listRequest(maxResults: options.pageSize, nextToken: nextToken)
        let api = self.api
        return try await call(.listEntities) { try await api.listEntities(request) }
    }

    /// What BatchDescribeEntities said about one entity.
    enum Described: Sendable {
        case detail(EntityDetail)
        case failed(BatchDescribeErrorDetail)
    }

    /// Describes `ids` in batches of ``ExportOptions/batchSize``, the batches concurrently
    /// (each waits for its rate-limit slot). Entities the service could not describe for a
    /// transient reason (`ThrottlingException`, `InternalServiceException` in `Errors`) are
    /// asked for again, up to ``ExportOptions/maxAttempts`` rounds, after a backoff.
    func describe(_ ids: [String]) async throws -> [String: Described] {
        var results: [String: Described] = [:]
        var pending = ids
        var round = 0
        var generator = SplitMix64.stream(seed: options.seed, label: "export-entity-retry-\(nextSequence())")
        while !pending.isEmpty {
            round += 1
            let batches = stride(from: 0, to: pending.count, by: options.batchSize).map {
                Array(pending[$0..<min($0 + options.batchSize, pending.count)])
            }
            let answers = try await withThrowingTaskGroup(of: (batch: [String], response: BatchDescribeEntitiesResponse).self) { group in
                for batch in batches {
                    let request = BatchDescribeEntitiesRequest(entityRequestList: batch.map { EntityRequest(entityId: $0) })
                    let api = self.api
                    group.addTask {
                        (batch, try await self.call(.batchDescribeEntities) { try await api.batchDescribeEntities(request) })
                    }
                }
                var collected: [(batch: [String], response: BatchDescribeEntitiesResponse)] = []
                for try await answer in group { collected.append(answer) }
                return collected
            }
            var retry: [String] = []
            for (batch, response) in answers {
                let details = Self.byBaseId(response.entityDetails ?? [:])
                let errors = Self.byBaseId(response.errors ?? [:])
                for id in batch {
                    if let detail = details[id] {
                        results[id] = .detail(detail)
                    } else {
                        let error = errors[id] ?? BatchDescribeErrorDetail(errorCode: "MissingFromResponse",
                                                                         errorMessage: "BatchDescribeEntities returned nothing for \(id)")
                        let code = CatalogError.Code(wireName: error.errorCode ?? "")
                        if (code == .throttling || code == .internalService || code.wireName == "MissingFromResponse"),
                           round < options.maxAttempts {
                            retry.append(id)
                        }
                        results[id] = .failed(error)
                    }
                }
            }
            pending = retry
            if !pending.isEmpty {
                update { $0.retries += 1 }
                try await clock.sleep(seconds: CallRetry.delay(retry: round, base: options.backoffBase, cap: options.backoffCap,
                                                               using: &generator))
            }
        }
        return results
    }

    /// A response map re-keyed by entity id without a `@revision` suffix.
    static func byBaseId<V>(_ map: [String: V]) -> [String: V] {
        var out: [String: V] = [:]
        for (key, value) in map {
            let base = key.split(separator: "@", maxSplits: 1).first.map(String.init) ?? key
            out[base] = value
        }
        return out
    }
}
