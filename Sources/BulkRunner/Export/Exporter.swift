import CSVKit
import CatalogModels
import Clocks
import Foundation

/// Lists resale authorizations or offers and writes one spreadsheet row per entity: the
/// first half of the spreadsheet round-trip (the apply step reads the rows back).
///
/// It walks ListEntities page by page (`MaxResults` 50, `NextToken`; AWS Marketplace
/// Catalog API reference, ListEntities) with the query's filters, and describes each page's
/// entities with BatchDescribeEntities in batches of 20 (its `EntityRequestList` limit),
/// fetching the next page while the current one is described. Every call waits for its
/// operation's rate limit — ListEntities 10/s (published quota), BatchDescribeEntities 5/s
/// by default (none published; ``ExportOptions``) — through the runner's ``RateLimiter``
/// (share one with a concurrent run by passing it in), and ThrottlingException and
/// transient errors are retried with backoff.
///
/// Memory stays flat: one page of summaries and details at a time, plus the set of ids
/// already written (to drop repeats when a page boundary moves) and, for offers, a cache of
/// product titles. Rows stream to the ``CSVWriter`` (64 KiB buffer).
///
/// ```swift
/// let exporter = Exporter(api: client, clock: SystemTimeSource())
/// var query = ExportQuery(kind: .resaleAuthorizations)
/// query.statuses = ["Active"]
/// let writer = try CSVWriter(path: "resale-authorizations.csv")
/// let done = try await exporter.export(query, to: writer) { print($0.line(kind: .resaleAuthorizations)) }
/// try writer.close()
/// ```
public struct Exporter: Sendable {
    /// The Catalog API: the HTTP client or the emulator.
    public let api: any CatalogAPI
    /// The clock rate limits, backoff and progress use.
    public let clock: any TimeSource
    /// Page and batch sizes, rates, retries.
    public let options: ExportOptions
    /// The rate limiter every call goes through.
    public let limiter: RateLimiter

    /// An exporter. Without `limiter`, it gets its own at ``ExportOptions``' rates; pass a
    /// shared one (whose rates then apply) when other work calls the same account at once.
    public init(api: any CatalogAPI, clock: any TimeSource, options: ExportOptions = ExportOptions(), limiter: RateLimiter? = nil) {
        self.api = api
        self.clock = clock
        self.options = options
        self.limiter = limiter ?? RateLimiter(options: options.runOptions, clock: clock)
    }

    /// Writes the header and one row per entity matching `query` as CSV to `writer` (which
    /// stays open: the caller closes it), in ListEntities order.
    ///
    /// - Parameter progress: called after each page (at most every
    ///   ``ExportOptions/progressInterval`` seconds) and once at the end with `finished` set.
    /// - Returns: the final counts.
    /// - Throws: ``BulkRunnerError`` for an invalid query or options
    ///   (``BulkRunnerError/Code/invalidOption``) or a write failure
    ///   (``BulkRunnerError/Code/cannotWrite``); `CatalogError` when the service refuses a
    ///   call or keeps failing after the retries (what was written so far stays written).
    @discardableResult
    public func export(_ query: ExportQuery, to writer: CSVWriter,
                       progress: (@Sendable (ExportProgress) -> Void)? = nil) async throws -> ExportProgress {
        try await export(query, into: CSVExportSink(writer: writer), progress: progress)
    }

    /// Writes the header and one row per entity matching `query` into `sink` (CSV or XLSX).
    ///
    /// - Throws: as ``export(_:to:progress:)``, and whatever the sink throws.
    @discardableResult
    public func export(_ query: ExportQuery, into sink: some ExportSink,
                       progress: (@Sendable (ExportProgress) -> Void)? = nil) async throws -> ExportProgress {
        try options.validate()
        try query.validate()
        let columns = query.kind.columns
        try sink.begin(columns: columns)
        return try await forEachEntity(query, progress: progress) { entity in
            try sink.write(values: columns.map(entity.value(of:)))
        }
    }

    /// Calls `body` with each entity matching `query`, in ListEntities order, described
    /// (or, when the description failed, with its summary only). Entities that vanished
    /// between listing and describing are skipped; repeats are dropped.
    ///
    /// - Throws: what ``export(_:to:progress:)`` throws, and whatever `body` throws.
    @discardableResult
    public func forEachEntity(_ query: ExportQuery, progress: (@Sendable (ExportProgress) -> Void)? = nil,
                              _ body: (ExportedEntity) throws -> Void) async throws -> ExportProgress {
        try options.validate()
        try query.validate()
        let session = ExportSession(api: api, clock: clock, options: options, limiter: limiter)
        var seen = Set<String>()
        var productTitles: [String: String] = [:]
        var lastReport: Date?
        func report(finished: Bool) {
            guard let progress else { return }
            let now = clock.now()
            if !finished, let lastReport, now.timeIntervalSince(lastReport) < options.progressInterval { return }
            lastReport = now
            var snapshot = session.progress
            snapshot.finished = finished
            progress(snapshot)
        }

        var page = try await session.list(query, nextToken: nil)
        while true {
            let token = page.nextToken
            async let following = Self.nextPage(session, query, token)

            var summaries: [EntitySummary] = []
            var repeats = 0
            for summary in page.entitySummaryList ?? [] {
                guard let id = summary.entityId, !id.isEmpty else { continue }
                if seen.insert(id).inserted { summaries.append(summary) } else { repeats += 1 }
            }
            var ids = summaries.compactMap(\.entityId)
            var productIds: [String] = []
            if query.kind == .offers, options.resolvesProductNames {
                var wanted = Set<String>()
                for summary in summaries {
                    guard let product = summary.offerSummary?.productId, !product.isEmpty,
                          productTitles[product] == nil, wanted.insert(product).inserted else { continue }
                    productIds.append(product)
                }
                ids += productIds
            }
            let described = ids.isEmpty ? [:] : try await session.describe(ids)
            for product in productIds {
                if case .detail(let detail)? = described[product], let title = Self.productTitle(detail.detailsDocument) {
                    productTitles[product] = title
                } else {
                    productTitles[product] = ""
                }
            }
            var written = 0, notDescribed = 0, vanished = 0
            for summary in summaries {
                let id = summary.entityId!
                var entity = ExportedEntity(kind: query.kind, summary: summary)
                switch described[id] {
                case .detail(let detail)?:
                    entity.detail = detail
                case .failed(let error)?:
                    if CatalogError.Code(wireName: error.errorCode ?? "") == .resourceNotFound {
                        vanished += 1
                        continue
                    }
                    entity.describeError = error
                    notDescribed += 1
                case nil:
                    notDescribed += 1
                }
                if let product = entity.value(of: .productId).nilIfEmpty, let title = productTitles[product], !title.isEmpty {
                    entity.productName = title
                }
                try body(entity)
                written += 1
            }
            session.update {
                $0.pages += 1
                $0.entitiesListed += summaries.count
                $0.entitiesWritten += written
                $0.notDescribed += notDescribed
                $0.vanished += vanished
                $0.repeats += repeats
            }
            report(finished: false)
            guard let next = try await following else { break }
            if next.nextToken != nil, next.nextToken == token {
                throw CatalogError(.internalService, message: "ListEntities returned the same NextToken twice; stopping rather than looping")
            }
            page = next
        }
        report(finished: true)
        var result = session.progress
        result.finished = true
        return result
    }

    private static func nextPage(_ session: ExportSession, _ query: ExportQuery, _ token: String?) async throws -> ListEntitiesResponse? {
        guard let token, !token.isEmpty else { return nil }
        return try await session.list(query, nextToken: token)
    }

    /// A product's title from its details: `Description.ProductTitle` (AmiProduct,
    /// ContainerProduct, SaaSProduct … DescribeEntity), else a top-level `ProductTitle`.
    static func productTitle(_ document: JSONValue?) -> String? {
        document?["Description"]?["ProductTitle"]?.stringValue ?? document?["ProductTitle"]?.stringValue
    }
}

extension String {
    /// `nil` for the empty string.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
