import BulkRunner
import CSVKit
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

@Suite("Exporter against the emulator")
struct ExporterTests {
    // MARK: Paging, batching, rates

    @Test func pagesAndBatchesEveryResaleAuthorization() async throws {
        let world = ExportWorld(resaleAuthorizations: 320, offers: 0)
        let run = try await world.export(ExportQuery(kind: .resaleAuthorizations))
        let inventory = await world.emulator.inventory()
        #expect(run.rows.count == 320)
        #expect(Set(run.ids(.resaleAuthorizations)) == Set(inventory.resaleAuthorizations.map(\.id)))
        #expect(run.ids(.resaleAuthorizations) == run.ids(.resaleAuthorizations).sorted(), "EntityId order")
        // 7 pages (6 × 50 + 20); each full page is 3 batches (20 + 20 + 10), the last one 1.
        let statistics = await world.statistics()
        #expect(statistics[.listEntities].calls == 7)
        #expect(statistics[.batchDescribeEntities].calls == 6 * 3 + 1)
        #expect(run.progress.pages == 7)
        #expect(run.progress.listCalls == 7 && run.progress.describeCalls == 19)
        #expect(run.progress.entitiesWritten == 320 && run.progress.finished)
        #expect(statistics[.listEntities].throttled == 0 && statistics[.batchDescribeEntities].throttled == 0)
        #expect(statistics.quotasRespected)
        // 19 describe calls at 5 per second cannot take less than 3 s of virtual time.
        #expect(run.seconds >= 3)
    }

    @Test func smallerPagesAndBatchesCountCalls() async throws {
        let world = ExportWorld(resaleAuthorizations: 45, offers: 0)
        let run = try await world.export(ExportQuery(kind: .resaleAuthorizations), options: ExportOptions(pageSize: 10, batchSize: 4))
        let statistics = await world.statistics()
        #expect(run.rows.count == 45)
        #expect(statistics[.listEntities].calls == 5)
        #expect(statistics[.batchDescribeEntities].calls == 4 * 3 + 2)  // pages of 10 → 4+4+2; the last page of 5 → 4+1
    }

    @Test func configuredRatesAreRespected() async throws {
        let world = ExportWorld(resaleAuthorizations: 200, offers: 0)
        let options = ExportOptions(pageSize: 20, listEntitiesRate: 2, batchDescribeRate: 1)
        let run = try await world.export(ExportQuery(kind: .resaleAuthorizations), options: options)
        let statistics = await world.statistics()
        #expect(run.rows.count == 200)
        #expect(statistics[.listEntities].peakCallsInAnyWindow <= 2)
        #expect(statistics[.batchDescribeEntities].peakCallsInAnyWindow <= 1)
        #expect(statistics[.batchDescribeEntities].calls == 10)
        #expect(run.seconds >= 9, "10 describe calls at 1 per second")
        #expect(statistics[.batchDescribeEntities].throttled == 0)
    }

    @Test func throttlingIsRetriedUntilEveryRowIsDescribed() async throws {
        // The service allows 2 BatchDescribeEntities per second; the export is told it may send 10.
        var quotas = RequestQuotas.published
        quotas[.batchDescribeEntities] = 2
        let world = ExportWorld(resaleAuthorizations: 150, offers: 0, quotas: quotas)
        let run = try await world.export(ExportQuery(kind: .resaleAuthorizations), options: ExportOptions(batchDescribeRate: 10))
        let statistics = await world.statistics()
        #expect(statistics[.batchDescribeEntities].throttled > 0)
        #expect(run.progress.throttles == statistics[.batchDescribeEntities].throttled)
        #expect(run.progress.retries >= run.progress.throttles)
        #expect(run.rows.count == 150)
        #expect(run.progress.notDescribed == 0)
        #expect(run.rows.allSatisfy { !($0["LastModifiedDate"] ?? "").isEmpty && !($0["Pricing"] ?? "").isEmpty })
    }

    @Test func throttlingBurstsAndInternalErrorsAreRetried() async throws {
        let faults = FaultPlan(internalErrorRate: 0.15, throttleBurstRate: 0.1, throttleBurstSeconds: 1)
        let world = ExportWorld(resaleAuthorizations: 120, offers: 60, faults: faults)
        let ras = try await world.export(ExportQuery(kind: .resaleAuthorizations))
        world.rest()
        let offers = try await world.export(ExportQuery(kind: .offers))
        let statistics = await world.statistics()
        #expect(statistics[.listEntities].internalErrors + statistics[.batchDescribeEntities].internalErrors > 0)
        #expect(ras.rows.count == 120 && offers.rows.count == 60)
        #expect(ras.progress.retries + offers.progress.retries > 0)
        #expect(ras.progress.notDescribed == 0 && offers.progress.notDescribed == 0)
    }

    @Test func serviceRefusalStopsTheExport() async throws {
        let world = ExportWorld(resaleAuthorizations: 5, offers: 0)
        let scripted = ScriptedCatalog(world.emulator)
        await scripted.script(listFailure: CatalogError(.accessDenied, message: "not allowed"))
        await #expect(throws: CatalogError.self) {
            _ = try await world.export(ExportQuery(kind: .resaleAuthorizations), api: scripted)
        }
    }

    // MARK: Rows and columns

    @Test func resaleAuthorizationRowsCarryTheDetails() async throws {
        let world = ExportWorld(resaleAuthorizations: 60, offers: 0)
        let run = try await world.export(ExportQuery(kind: .resaleAuthorizations))
        #expect(run.header == ExportFormat.header(.resaleAuthorizations))
        let inventory = await world.emulator.inventory()
        for row in run.rows {
            let id = try #require(row["ResaleAuthorizationId"])
            let expected = try #require(inventory.resaleAuthorizations.first { $0.id == id })
            #expect(row["Status"] == expected.status)
            #expect(row["ProductId"] == (expected.productId ?? ""))
            #expect(row["ResellerAccountId"] == "'" + expected.resellerAccountId)
            #expect(row["OfferCreatedCount"] == String(expected.offerCreatedCount))
            #expect(row["OffersMaxQuantity"] == expected.offersMaxQuantity.map(String.init) ?? "")
            #expect(row["AvailabilityEndDate"] == (expected.availabilityEndDate ?? ""))
            #expect(["NoOffersCreated", "OffersCreated", "MaxOffersCreated"].contains(row["OfferExtendedStatus"] ?? ""))
            #expect(row["Pricing"] == (expected.hasMandatoryTerms ? "Contract USD: P12M BasicService=150.00" : ExportFormat.none))
            #expect(row["PaymentSchedule"] == ExportFormat.none)
            #expect(ExportFormat.reviewColumns.allSatisfy { (row[$0.name] ?? "x").isEmpty })
            world.clock.advance(by: 0.1)  // stay under DescribeEntity's 20 per second
            let described = try await world.emulator.describeEntity(DescribeEntityRequest(entityId: id))
            #expect(row["LastModifiedDate"] == described.lastModifiedDate)
            #expect(row["Name"] == described.detailsDocument?["Name"]?.stringValue)
            #expect(row["ResellerLegalName"] == described.detailsDocument?["ResellerLegalName"]?.stringValue)
            #expect(row["CreatedDate"] == described.detailsDocument?["CreatedDate"]?.stringValue)
        }
    }

    @Test func offerRowsCarryBuyersAndProductNames() async throws {
        let world = ExportWorld(resaleAuthorizations: 40, offers: 130)
        let run = try await world.export(ExportQuery(kind: .offers))
        #expect(run.header == ExportFormat.header(.offers))
        let inventory = await world.emulator.inventory()
        let titles = Dictionary(uniqueKeysWithValues: inventory.products.map { ($0.id, $0.title) })
        #expect(run.rows.count == 130)
        for row in run.rows {
            let id = try #require(row["OfferId"])
            let expected = try #require(inventory.offers.first { $0.id == id })
            #expect(row["State"] == expected.state)
            #expect(row["ProductId"] == expected.productId)
            #expect(row["ProductName"] == titles[expected.productId])
            #expect(row["ResaleAuthorizationId"] == (expected.resaleAuthorizationId ?? ""))
            #expect(row["AvailabilityEndDate"] == (expected.availabilityEndDate ?? ""))
            #expect(row["Pricing"] == "Usage USD: BasicService=0.10")
            let buyers = try #require(row["BuyerAccounts"])
            #expect(buyers.hasPrefix("'") && buyers.count == 13)
            #expect((row["ReleaseDate"] ?? "").isEmpty == (expected.state == "Draft"))
        }
        // Product titles cost one describe per distinct product, packed into the same batches.
        let statistics = await world.statistics()
        let products = Set(inventory.offers.map(\.productId)).count
        #expect(products == 5)
        #expect(statistics[.batchDescribeEntities].calls <= 3 * 3 + 1 + 1)
        let unresolved = try await world.export(ExportQuery(kind: .offers), options: ExportOptions(resolvesProductNames: false))
        #expect(unresolved.rows.allSatisfy { ($0["ProductName"] ?? "x").isEmpty })
    }

    @Test func leadingZerosSurviveTheRoundTrip() async throws {
        let world = ExportWorld(resaleAuthorizations: 3, offers: 0)
        let product = try #require(await world.emulator.inventory().ownedProducts(.saasProduct).first?.id)
        try await world.apply("""
            {"Catalog":"AWSMarketplace","ChangeSet":[
              {"ChangeType":"CreateResaleAuthorization","ChangeName":"RA","Entity":{"Type":"ResaleAuthorization@1.0"},
               "DetailsDocument":{"ProductId":"\(product)","Name":"Zero reseller","ResellerAccountId":"000123456789"}},
              {"ChangeType":"UpdateBuyerTargetingTerms","Entity":{"Type":"ResaleAuthorization@1.0","Identifier":"$RA.Entity.Identifier"},
               "DetailsDocument":{"Terms":[{"Type":"BuyerTargetingTerm","PositiveTargeting":{"BuyerAccounts":["001000000001","012345678901"]}}]}}
            ]}
            """)
        try await world.apply("""
            {"Catalog":"AWSMarketplace","ChangeSet":[
              {"ChangeType":"CreateOffer","ChangeName":"O","Entity":{"Type":"Offer@1.0"},"DetailsDocument":{"ProductId":"\(product)","Name":"Zero buyer"}},
              {"ChangeType":"UpdateTargeting","Entity":{"Type":"Offer@1.0","Identifier":"$O.Entity.Identifier"},
               "DetailsDocument":{"PositiveTargeting":{"BuyerAccounts":["011122233344"]}}}
            ]}
            """)
        world.rest()
        var query = ExportQuery(kind: .resaleAuthorizations)
        query.resellerAccountIds = ["000123456789"]
        let ras = try await world.export(query)
        #expect(ras.text.contains(",'000123456789,"))
        #expect(ras.text.contains(",'001000000001;012345678901,"))
        let sheet = try ExportSheetReader(string: ras.text)
        let row = try #require(try sheet.next())
        #expect(row.value(.resellerAccountId) == "000123456789")
        #expect(row.value(.buyerAccounts) == "001000000001;012345678901")
        #expect(try sheet.next() == nil)

        world.rest()
        var offers = ExportQuery(kind: .offers)
        offers.names = .anyOf(["Zero buyer"])
        let offerRun = try await world.export(offers)
        #expect(offerRun.rows.count == 1)
        #expect(offerRun.rows.first?["BuyerAccounts"] == "'011122233344")
        let offerRow = try #require(try ExportSheetReader(string: offerRun.text).next())
        #expect(offerRow.value(.buyerAccounts) == "011122233344")
        #expect(offerRow.entityId.hasPrefix("offer-"))
        #expect(offerRow.status == "Draft")
    }

    @Test func paymentScheduleAndContractPricingAreSummarised() async throws {
        let world = ExportWorld(resaleAuthorizations: 0, offers: 0)
        let product = try #require(await world.emulator.inventory().ownedProducts(.amiProduct).first?.id)
        let schedule = try PaymentSchedule.generate(spec: "total=1000;first=2030-03-01;every=90;count=3;days=business;type=resale")
        try await world.apply("""
            {"Catalog":"AWSMarketplace","ChangeSet":[
              {"ChangeType":"CreateResaleAuthorization","ChangeName":"RA","Entity":{"Type":"ResaleAuthorization@1.0"},
               "DetailsDocument":{"ProductId":"\(product)","Name":"Scheduled","ResellerAccountId":"123456789012"}},
              {"ChangeType":"UpdatePricingTerms","Entity":{"Type":"ResaleAuthorization@1.0","Identifier":"$RA.Entity.Identifier"},
               "DetailsDocument":{"PricingModel":"Contract","Terms":[{"Type":"ResaleConfigurableUpfrontPricingTerm","CurrencyCode":"USD",
                 "RateCards":[{"Selector":{"Type":"Duration","Value":"P12M"},"RateCard":[{"DimensionKey":"t2.small","Price":"150"},{"DimensionKey":"m5.large","Price":"300"}],
                 "Constraints":{"MultipleDimensionSelection":"Allowed","QuantityConfiguration":"Allowed"}}]}]}},
              {"ChangeType":"UpdatePaymentScheduleTerms","Entity":{"Type":"ResaleAuthorization@1.0","Identifier":"$RA.Entity.Identifier"},
               "DetailsDocument":\(schedule.detailsDocument.compactString)}
            ]}
            """)
        let run = try await world.export(ExportQuery(kind: .resaleAuthorizations))
        let row = try #require(run.rows.first)
        #expect(row["Pricing"] == "Contract USD: P12M t2.small=150, m5.large=300")
        // 2030-03-01 is a Friday; +90 days is Thursday 2030-05-30; +180 is Wednesday 2030-08-28.
        #expect(row["PaymentSchedule"] == "USD: 2030-03-01=333.33, 2030-05-30=333.33, 2030-08-28=333.34")
        #expect(row["Status"] == "Draft")
    }

    // MARK: Filters

    @Test func resaleAuthorizationFiltersSelectTheMatchingRows() async throws {
        let world = ExportWorld(resaleAuthorizations: 240, offers: 0, seed: 3)
        let all = try await world.export(ExportQuery(kind: .resaleAuthorizations)).rows
        #expect(all.count == 240)

        func check(_ label: String, _ configure: (inout ExportQuery) -> Void, _ predicate: ([String: String]) -> Bool) async throws {
            world.rest()
            var query = ExportQuery(kind: .resaleAuthorizations)
            configure(&query)
            let got = try await world.export(query).ids(.resaleAuthorizations)
            let expected = all.filter(predicate).map { $0["ResaleAuthorizationId"]! }
            #expect(!expected.isEmpty, "\(label): the seed should give matches")
            #expect(expected.count < all.count, "\(label): the filter should exclude some")
            #expect(got == expected, "\(label)")
        }
        let sample = all[17]
        try await check("status", { $0.statuses = ["Active"] }) { $0["Status"] == "Active" }
        try await check("two statuses", { $0.statuses = ["Draft", "Restricted"] }) { ["Draft", "Restricted"].contains($0["Status"]!) }
        try await check("product id", { $0.productIds = .anyOf([sample["ProductId"]!]) }) { $0["ProductId"] == sample["ProductId"] }
        try await check("product name contains", { $0.productNames = .contains("AMI") }) { $0["ProductName"]!.lowercased().contains("ami") }
        try await check("entity ids", { $0.entityIds = [all[3]["ResaleAuthorizationId"]!, all[200]["ResaleAuthorizationId"]!] }) {
            [all[3]["ResaleAuthorizationId"], all[200]["ResaleAuthorizationId"]].contains($0["ResaleAuthorizationId"])
        }
        try await check("name contains", { $0.names = .contains("authorization 1") }) { $0["Name"]!.lowercased().contains("authorization 1") }
        try await check("name exact", { $0.names = .anyOf([sample["Name"]!]) }) { $0["Name"] == sample["Name"] }
        let reseller = String(sample["ResellerAccountId"]!.dropFirst())
        try await check("reseller", { $0.resellerAccountIds = [reseller] }) { $0["ResellerAccountId"] == "'" + reseller }
        try await check("reseller legal name", { $0.resellerLegalNames = .contains("Contoso") }) { $0["ResellerLegalName"]!.lowercased().contains("contoso") }
        try await check("offer extended status", { $0.offerExtendedStatuses = ["OffersCreated"] }) { $0["OfferExtendedStatus"] == "OffersCreated" }
        let created = all.map { $0["CreatedDate"]! }.sorted()
        let (from, to) = (created[60], created[150])
        try await check("created range", { $0.createdDate = ExportQuery.DateBounds(after: from, before: to) }) {
            $0["CreatedDate"]! >= from && $0["CreatedDate"]! <= to
        }
        let ends = all.compactMap { $0["AvailabilityEndDate"].flatMap { $0.isEmpty ? nil : $0 } }.sorted()
        let cut = ends[ends.count / 2]
        try await check("expiring before", { $0.availabilityEndDate = try! .parse(after: nil, before: cut, field: "expires") }) {
            !$0["AvailabilityEndDate"]!.isEmpty && $0["AvailabilityEndDate"]! <= cut
        }
        let modified = all.map { $0["LastModifiedDate"]! }.sorted()
        try await check("modified after", { $0.lastModifiedDate = ExportQuery.DateBounds(after: modified[200]) }) {
            $0["LastModifiedDate"]! >= modified[200]
        }
        try await check("status and product", {
            $0.statuses = ["Active"]
            $0.productIds = .anyOf([sample["ProductId"]!])
        }) { $0["Status"] == "Active" && $0["ProductId"] == sample["ProductId"] }
    }

    @Test func offerFiltersSelectTheMatchingRows() async throws {
        let world = ExportWorld(resaleAuthorizations: 60, offers: 200, seed: 5)
        let all = try await world.export(ExportQuery(kind: .offers)).rows
        #expect(all.count == 200)
        func check(_ label: String, _ configure: (inout ExportQuery) -> Void, _ predicate: ([String: String]) -> Bool) async throws {
            world.rest()
            var query = ExportQuery(kind: .offers)
            configure(&query)
            let got = try await world.export(query).ids(.offers)
            let expected = all.filter(predicate).map { $0["OfferId"]! }
            #expect(!expected.isEmpty && expected.count < all.count, "\(label)")
            #expect(got == expected, "\(label)")
        }
        let channel = try #require(all.first { !($0["ResaleAuthorizationId"] ?? "").isEmpty })
        try await check("state", { $0.statuses = ["Released"] }) { $0["State"] == "Released" }
        try await check("product", { $0.productIds = .anyOf([channel["ProductId"]!]) }) { $0["ProductId"] == channel["ProductId"] }
        try await check("resale authorization", { $0.resaleAuthorizationIds = [channel["ResaleAuthorizationId"]!] }) {
            $0["ResaleAuthorizationId"] == channel["ResaleAuthorizationId"]
        }
        let buyer = String(channel["BuyerAccounts"]!.dropFirst())
        try await check("buyer contains", { $0.buyerAccount = String(buyer.prefix(6)) }) {
            $0["BuyerAccounts"]!.contains(buyer.prefix(6))
        }
        let released = all.compactMap { $0["ReleaseDate"].flatMap { $0.isEmpty ? nil : $0 } }.sorted()
        try await check("released after", { $0.releaseDate = ExportQuery.DateBounds(after: released[released.count / 2]) }) {
            !$0["ReleaseDate"]!.isEmpty && $0["ReleaseDate"]! >= released[released.count / 2]
        }
        let ends = all.compactMap { $0["AvailabilityEndDate"].flatMap { $0.isEmpty ? nil : $0 } }.sorted()
        let cut = ends[ends.count / 2]
        try await check("expiring after", { $0.availabilityEndDate = try! .parse(after: cut, before: nil, field: "expires") }) {
            !$0["AvailabilityEndDate"]!.isEmpty && $0["AvailabilityEndDate"]! >= cut
        }
        try await check("name contains", { $0.names = .contains("channel") }) { $0["Name"]!.contains("channel") }
    }

    @Test func descendingSortReversesTheRows() async throws {
        let world = ExportWorld(resaleAuthorizations: 70, offers: 0)
        let ascending = try await world.export(ExportQuery(kind: .resaleAuthorizations)).ids(.resaleAuthorizations)
        world.rest()
        var query = ExportQuery(kind: .resaleAuthorizations)
        query.sort = ExportQuery.Ordering(field: "EntityId", descending: true)
        let descending = try await world.export(query).ids(.resaleAuthorizations)
        #expect(descending == ascending.reversed())
    }

    // MARK: Entities that cannot be described, repeats, progress

    @Test func perEntityErrorsAreRetriedOrReported() async throws {
        let world = ExportWorld(resaleAuthorizations: 30, offers: 0)
        let ids = await world.emulator.inventory().resaleAuthorizations.map(\.id)
        let scripted = ScriptedCatalog(world.emulator)
        await scripted.script(entityErrors: [
            ids[0]: ["ThrottlingException", "InternalServiceException"],  // described on the third try
            ids[1]: ["ResourceNotFoundException"],  // deleted since listed: not written
            ids[2]: ["AccessDeniedException"],  // written from the summary
        ])
        let run = try await world.export(ExportQuery(kind: .resaleAuthorizations), api: scripted)
        let rows = Dictionary(uniqueKeysWithValues: run.rows.map { ($0["ResaleAuthorizationId"]!, $0) })
        #expect(run.rows.count == 29)
        #expect(rows[ids[1]] == nil)
        let retried = rows[ids[0]]?["Pricing"] ?? ""
        #expect(retried.isEmpty == false, "described on the third try")
        #expect(rows[ids[2]]?["Pricing"] == "")
        #expect(rows[ids[2]]?["OfferCreatedCount"] == "")
        #expect(rows[ids[2]]?["Status"]?.isEmpty == false, "summary fields are still written")
        #expect(rows[ids[2]]?["ResellerAccountId"]?.hasPrefix("'") == true)
        #expect(run.progress.vanished == 1 && run.progress.notDescribed == 1)
        #expect(run.progress.describeCalls == 2 + 2)  // 20 + 10, then two retry rounds of one entity
    }

    @Test func repeatedEntitiesAreWrittenOnce() async throws {
        let world = ExportWorld(resaleAuthorizations: 120, offers: 0)
        let scripted = ScriptedCatalog(world.emulator)
        await scripted.script(repeatAcrossPages: true)
        let run = try await world.export(ExportQuery(kind: .resaleAuthorizations), api: scripted)
        #expect(run.rows.count == 120)
        #expect(Set(run.ids(.resaleAuthorizations)).count == 120)
        #expect(run.progress.repeats == 2)
    }

    @Test func progressReportsGrowAndEndFinished() async throws {
        let world = ExportWorld(resaleAuthorizations: 260, offers: 0)
        let reports = Reports()
        let run = try await world.export(ExportQuery(kind: .resaleAuthorizations), options: ExportOptions(progressInterval: 0)) {
            reports.append($0)
        }
        let all = reports.all
        #expect(all.count == 6 + 1)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.entitiesWritten <= $1.entitiesWritten && $0.elapsed <= $1.elapsed })
        #expect(all.last?.finished == true)
        #expect(all.last?.entitiesWritten == 260)
        #expect(all.dropLast().allSatisfy { !$0.finished })
        #expect(run.progress.line(kind: .resaleAuthorizations).hasPrefix("260 resale authorizations written · 6 pages"))
    }

    @Test func invalidQueriesFailBeforeAnyCall() async throws {
        let world = ExportWorld(resaleAuthorizations: 5, offers: 0)
        var query = ExportQuery(kind: .offers)
        query.resellerAccountIds = ["123456789012"]
        await #expect(throws: BulkRunnerError.self) { _ = try await world.export(query) }
        await #expect(throws: BulkRunnerError.self) {
            _ = try await world.export(ExportQuery(kind: .offers), options: ExportOptions(pageSize: 51))
        }
        let statistics = await world.statistics()
        #expect(statistics[.listEntities].calls == 0)
    }
}

/// Progress reports collected from a `@Sendable` callback.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [ExportProgress] = []
    func append(_ progress: ExportProgress) { lock.withLock { items.append(progress) } }
    var all: [ExportProgress] { lock.withLock { items } }
}
