import CatalogModels

/// How an export calls the Catalog API: page and batch sizes, rates, retries.
///
/// Defaults follow the published quotas ("Service quotas for AWS Marketplace Catalog API":
/// ListEntities 10 per second) and the API's limits (ListEntities `MaxResults` ≤ 50,
/// BatchDescribeEntities `EntityRequestList` of 1–20). BatchDescribeEntities has no
/// published quota: the export uses 5 per second by default — half of what the runner
/// assumes for a bulk run, since an export is never urgent and shares the account with it —
/// and slows down further when throttled.
public struct ExportOptions: Sendable, Hashable {
    /// ListEntities `MaxResults`: 1–50; 50 by default.
    public var pageSize: Int
    /// Entities per BatchDescribeEntities call: 1–20; 20 by default.
    public var batchSize: Int
    /// ListEntities calls per second: at most 10 (the published quota); 10 by default.
    public var listEntitiesRate: Double
    /// BatchDescribeEntities calls per second: 5 by default (no quota is published; at most 10).
    public var batchDescribeRate: Double
    /// Tries per call for transient failures (5xx, timeouts), the first included.
    public var maxAttempts: Int
    /// Throttles (ThrottlingException, 429) one call may take before the export gives up.
    public var maxThrottledAttempts: Int
    /// Backoff before retry n is uniform in 0…min(``backoffCap``, ``backoffBase`` × 2ⁿ⁻¹) seconds.
    public var backoffBase: Double
    /// The longest backoff, in seconds.
    public var backoffCap: Double
    /// Seeds the backoff jitter, so runs in virtual time repeat exactly.
    public var seed: UInt64
    /// Offers only: look up product titles (the `ProductName` column) by describing each
    /// product once, in the same BatchDescribeEntities calls; on by default.
    public var resolvesProductNames: Bool
    /// At least this many seconds (on the injected clock) between two progress reports; the
    /// last report always comes.
    public var progressInterval: Double

    /// The defaults: pages of 50, batches of 20, 10 ListEntities and 5 BatchDescribeEntities
    /// per second, 8 attempts, 40 throttles, backoff 0.5 s doubling to 20 s.
    public init(
        pageSize: Int = 50, batchSize: Int = 20, listEntitiesRate: Double = 10, batchDescribeRate: Double = 5,
        maxAttempts: Int = 8, maxThrottledAttempts: Int = 40, backoffBase: Double = 0.5, backoffCap: Double = 20,
        seed: UInt64 = 0, resolvesProductNames: Bool = true, progressInterval: Double = 0.5
    ) {
        self.pageSize = pageSize
        self.batchSize = batchSize
        self.listEntitiesRate = listEntitiesRate
        self.batchDescribeRate = batchDescribeRate
        self.maxAttempts = maxAttempts
        self.maxThrottledAttempts = maxThrottledAttempts
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.seed = seed
        self.resolvesProductNames = resolvesProductNames
        self.progressInterval = progressInterval
    }

    /// The highest BatchDescribeEntities rate accepted (what the runner and the emulator assume).
    public static let maximumBatchDescribeRate = 10.0

    /// Checks every number.
    ///
    /// - Throws: ``BulkRunnerError`` (``BulkRunnerError/Code/invalidOption``) naming the option.
    public func validate() throws(BulkRunnerError) {
        func fail(_ field: String, _ reason: String) -> BulkRunnerError {
            BulkRunnerError(code: .invalidOption, field: field, reason: reason)
        }
        guard (1...50).contains(pageSize) else { throw fail("page size", "must be 1–50 (ListEntities MaxResults), got \(pageSize)") }
        guard (1...20).contains(batchSize) else { throw fail("batch size", "must be 1–20 (BatchDescribeEntities), got \(batchSize)") }
        guard listEntitiesRate > 0, listEntitiesRate <= 10, listEntitiesRate.isFinite else {
            throw fail("--list-rate", "must be above 0 and at most 10 per second (the published ListEntities quota)")
        }
        guard batchDescribeRate > 0, batchDescribeRate <= Self.maximumBatchDescribeRate, batchDescribeRate.isFinite else {
            throw fail("--describe-rate", "must be above 0 and at most \(Int(Self.maximumBatchDescribeRate)) per second")
        }
        guard maxAttempts >= 1, maxThrottledAttempts >= 1 else { throw fail("max attempts", "must be at least 1") }
        guard backoffBase >= 0, backoffCap >= backoffBase else { throw fail("backoff", "needs 0 ≤ base ≤ cap") }
        guard progressInterval >= 0 else { throw fail("progress interval", "must be 0 or more seconds") }
    }

    /// The runner's options carrying these rates, for its ``RateLimiter``.
    var runOptions: RunOptions {
        var rates = RunOptions.publishedRates
        rates[.listEntities] = listEntitiesRate
        rates[.batchDescribeEntities] = batchDescribeRate
        return RunOptions(rates: rates)
    }
}

/// How far an export has come: for a live progress line, and as the export's final result.
public struct ExportProgress: Sendable, Hashable {
    /// ListEntities pages received.
    public var pages = 0
    /// Entities listed (after dropping repeats).
    public var entitiesListed = 0
    /// Rows written.
    public var entitiesWritten = 0
    /// ListEntities calls made (retries included).
    public var listCalls = 0
    /// BatchDescribeEntities calls made (retries included).
    public var describeCalls = 0
    /// Calls answered with ThrottlingException.
    public var throttles = 0
    /// Calls retried (after throttling or a transient failure).
    public var retries = 0
    /// Entities written from their summary alone because BatchDescribeEntities could not
    /// describe them (their `Pricing`, `OfferCreatedCount` … cells are empty).
    public var notDescribed = 0
    /// Entities listed but gone when described (ResourceNotFoundException): not written.
    public var vanished = 0
    /// Entities the listing returned twice (a page boundary moved): written once.
    public var repeats = 0
    /// Seconds since the export started, on the injected clock.
    public var elapsed: Double = 0
    /// Whether this is the last report.
    public var finished = false

    /// Creates an empty progress.
    public init() {}

    /// `1,250 offers written · 25 pages · 25 ListEntities + 65 BatchDescribeEntities calls · 2 throttled`.
    public func line(kind: ExportKind) -> String {
        var parts = [Plural.count(entitiesWritten, kind == .offers ? "offer" : "resale authorization") + " written",
                     Plural.count(pages, "page"),
                     "\(listCalls) ListEntities + \(describeCalls) BatchDescribeEntities \(Plural.word(listCalls + describeCalls, "call"))"]
        if throttles > 0 { parts.append("\(throttles) throttled") }
        if notDescribed > 0 { parts.append("\(notDescribed) not described") }
        if vanished > 0 { parts.append("\(vanished) gone") }
        return parts.joined(separator: " · ")
    }
}
