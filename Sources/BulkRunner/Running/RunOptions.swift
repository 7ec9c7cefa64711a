import Foundation
import CatalogModels

/// How a bulk run submits and waits: rates, bounds, retries, timeouts, seed. A value with
/// the published numbers as defaults ("Service quotas for AWS Marketplace Catalog API");
/// the CLI changes what its options say.
public struct RunOptions: Sendable, Hashable {
    /// Requests per second allowed per operation. Defaults are the published quotas
    /// (StartChangeSet 5, DescribeChangeSet 10, ListChangeSets 5, CancelChangeSet 5,
    /// ListEntities 10, DescribeEntity 20, BatchDescribeEntities 10 — the last has none
    /// published). A rate below the quota (`--rate StartChangeSet=3`) leaves room for other
    /// tools on the same account. Rates of 1 or more are whole requests per second (2.5 acts
    /// as 2); below 1, one request every 1/rate seconds.
    public var rates: [CatalogOperation: Double]
    /// At most this many of the run's change sets open (PREPARING or APPLYING) at once. The
    /// account allows 250 (ServiceQuotaExceededException, 402, past it); other tools on the
    /// account share that limit, and a 402 lowers this bound until sets finish.
    public var maxOpenChangeSets: Int
    /// At most this many distinct offers created or updated by open change sets at once
    /// (the account allows 20). A single set that holds more is sent only when nothing else is open.
    public var maxOffersInFlight: Int
    /// How many times one call is tried when it fails transiently (5xx, timeouts, resets),
    /// the first try included. Throttled tries count against ``maxThrottledAttempts`` instead.
    public var maxAttempts: Int
    /// How many times one call may be throttled (ThrottlingException, 429) before the run
    /// gives up on it (its rows stay PENDING, resumable).
    public var maxThrottledAttempts: Int
    /// Backoff before retry n (n ≥ 1) is uniform in 0…min(``backoffCap``, ``backoffBase`` × 2ⁿ⁻¹)
    /// ("full jitter"), in seconds.
    public var backoffBase: Double
    /// The longest backoff, in seconds.
    public var backoffCap: Double
    /// How many times a change set that ends FAILED with SERVER_FAULT is submitted again
    /// (with a new token; the docs say nothing was applied, and creates are checked anyway).
    public var serverFaultResubmissions: Int
    /// The longest the run waits, once there is nothing left it can send, for its open change
    /// sets to finish; then it stops and their rows are PENDING (run again, or `refresh`,
    /// later). `nil`: wait until every set is final.
    public var waitTimeout: Double?
    /// The first poll of a change set comes this many seconds after it was accepted.
    public var firstPollDelay: Double
    /// Polls of one change set are at least this many seconds apart…
    public var minPollInterval: Double
    /// …and at most this many: between the two, the interval grows with the set's age (a
    /// tenth of it), so sets that take hours are not polled every second.
    public var maxPollInterval: Double
    /// Seeds every random draw (backoff jitter): same seed and same service answers, same run.
    public var seed: UInt64
    /// Extra seconds added to every one-second rate window, to absorb the jitter between
    /// when a call leaves and when the service counts it (0.05 by default: 5 % under the
    /// quota, against throttling from a late packet).
    public var rateWindowSlack: Double
    /// Spread calls of one operation evenly over the window (one every 1.05 s ÷ 5 for
    /// StartChangeSet) instead of letting them out in bursts; the same rate, less jitter.
    public var pacesCalls: Bool
    /// Whether the run may send change sets. `false` is the `refresh` mode: it only polls
    /// what the journal says is open, sends nothing new, and leaves unsent rows PENDING.
    public var sendsChangeSets: Bool
    /// At least this many seconds between two progress events (clock time).
    public var progressInterval: Double

    /// The published quotas and limits (paced, windows of 1.05 s), 8 attempts, backoff 0.5 s
    /// doubling to 20 s, 3 SERVER_FAULT resubmissions, no wait timeout, polls 2 s after
    /// acceptance then every 1–30 s, seed 0.
    public init(
        rates: [CatalogOperation: Double] = RunOptions.publishedRates,
        maxOpenChangeSets: Int = 250,
        maxOffersInFlight: Int = 20,
        maxAttempts: Int = 8,
        maxThrottledAttempts: Int = 40,
        backoffBase: Double = 0.5,
        backoffCap: Double = 20,
        serverFaultResubmissions: Int = 3,
        waitTimeout: Double? = nil,
        firstPollDelay: Double = 2,
        minPollInterval: Double = 1,
        maxPollInterval: Double = 30,
        seed: UInt64 = 0,
        rateWindowSlack: Double = 0.05,
        pacesCalls: Bool = true,
        sendsChangeSets: Bool = true,
        progressInterval: Double = 0.5
    ) {
        self.rates = rates
        self.maxOpenChangeSets = maxOpenChangeSets
        self.maxOffersInFlight = maxOffersInFlight
        self.maxAttempts = maxAttempts
        self.maxThrottledAttempts = maxThrottledAttempts
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.serverFaultResubmissions = serverFaultResubmissions
        self.waitTimeout = waitTimeout
        self.firstPollDelay = firstPollDelay
        self.minPollInterval = minPollInterval
        self.maxPollInterval = maxPollInterval
        self.seed = seed
        self.rateWindowSlack = rateWindowSlack
        self.pacesCalls = pacesCalls
        self.sendsChangeSets = sendsChangeSets
        self.progressInterval = progressInterval
    }

    /// The published per-account quotas ("Service quotas for AWS Marketplace Catalog API"),
    /// with BatchDescribeEntities at 10/s (none is published).
    public static let publishedRates: [CatalogOperation: Double] = [
        .startChangeSet: 5, .describeChangeSet: 10, .listChangeSets: 5, .cancelChangeSet: 5,
        .listEntities: 10, .describeEntity: 20, .batchDescribeEntities: 10,
    ]

    /// The rate of `operation` (the published quota when not set).
    public func rate(of operation: CatalogOperation) -> Double {
        rates[operation] ?? Self.publishedRates[operation] ?? 1
    }

    /// Sets a rate from `--rate` text: `StartChangeSet=3` (operation names as the API spells
    /// them, case-insensitive; the rate a positive number, at most the published quota).
    ///
    /// - Throws: ``BulkRunnerError`` with code ``BulkRunnerError/Code/invalidOption``.
    public mutating func setRate(_ text: String) throws(BulkRunnerError) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let names = CatalogOperation.allCases.map(\.name).joined(separator: ", ")
        guard parts.count == 2,
              let operation = CatalogOperation.allCases.first(where: { $0.name.lowercased() == parts[0].lowercased() })
        else {
            throw BulkRunnerError(code: .invalidOption, field: "--rate",
                                  reason: "'\(text)' is not OPERATION=RATE",
                                  hint: "e.g. --rate StartChangeSet=3; operations: \(names)")
        }
        let quota = Self.publishedRates[operation] ?? 1
        guard let value = Double(parts[1]), value.isFinite, value > 0, value <= quota else {
            throw BulkRunnerError(code: .invalidOption, field: "--rate",
                                  reason: "the rate of \(operation.name) must be a number above 0 and at most \(Self.format(quota)) (the published quota), got '\(parts[1])'",
                                  hint: "e.g. --rate \(operation.name)=\(Self.format(quota / 2))")
        }
        rates[operation] = value
    }

    /// Checks the bounds and numbers: positive limits, attempts ≥ 1, non-negative delays.
    ///
    /// - Throws: ``BulkRunnerError`` with code ``BulkRunnerError/Code/invalidOption``.
    public func validate() throws(BulkRunnerError) {
        func fail(_ field: String, _ reason: String) -> BulkRunnerError {
            BulkRunnerError(code: .invalidOption, field: field, reason: reason)
        }
        guard (1...250).contains(maxOpenChangeSets) else { throw fail("max open change sets", "must be 1–250, got \(maxOpenChangeSets)") }
        guard maxOffersInFlight >= 1 else { throw fail("max offers in flight", "must be at least 1") }
        guard maxAttempts >= 1, maxThrottledAttempts >= 1 else { throw fail("max attempts", "must be at least 1") }
        guard backoffBase >= 0, backoffCap >= backoffBase else { throw fail("backoff", "needs 0 ≤ base ≤ cap") }
        guard serverFaultResubmissions >= 0 else { throw fail("server-fault resubmissions", "must be 0 or more") }
        if let waitTimeout, !(waitTimeout >= 0) { throw fail("wait timeout", "must be 0 or more seconds") }
        guard minPollInterval > 0, maxPollInterval >= minPollInterval, firstPollDelay >= 0 else {
            throw fail("poll interval", "needs 0 < minimum ≤ maximum")
        }
        for (operation, rate) in rates where !(rate > 0) || !rate.isFinite {
            throw fail("--rate", "the rate of \(operation.name) must be above 0")
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
