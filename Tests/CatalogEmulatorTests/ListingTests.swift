import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

@Suite("ListEntities, DescribeEntity, BatchDescribeEntities")
struct EntityListingTests {
    func listAll(_ world: World, _ request: ListEntitiesRequest) async throws -> [EntitySummary] {
        var all: [EntitySummary] = []
        var request = request
        repeat {
            let page = try await world.emulator.listEntities(request)
            all += page.entitySummaryList ?? []
            request.nextToken = page.nextToken
        } while request.nextToken != nil
        return all
    }

    @Test func pagesCoverEverythingOnceInOrder() async throws {
        let world = World(seeding: SeedPlan(resaleAuthorizations: 57))
        let first = try await world.emulator.listEntities(ListEntitiesRequest(entityType: "ResaleAuthorization"))
        #expect(first.entitySummaryList?.count == 20) // default page size
        #expect(first.nextToken != nil)
        let all = try await listAll(world, ListEntitiesRequest(entityType: "ResaleAuthorization", maxResults: 50))
        #expect(all.count == 57)
        #expect(Set(all.compactMap(\.entityId)).count == 57)
        let dates = all.compactMap(\.lastModifiedDate)
        #expect(dates == dates.sorted()) // default sort: LastModifiedDate ascending
        let summary = try #require(all.first)
        #expect(summary.entityType == "ResaleAuthorization")
        #expect(summary.entityArn?.hasSuffix("AWSMarketplace/ResaleAuthorization/\(summary.entityId!)") == true)
        #expect(summary.resaleAuthorizationSummary?.manufacturerAccountId == "444455556666")
        #expect(summary.resaleAuthorizationSummary?.resellerAccountID?.count == 12)
    }

    @Test func paginationIsStableWhileEntitiesAreAdded() async throws {
        let world = World(seeding: SeedPlan(resaleAuthorizations: 30))
        let request = ListEntitiesRequest(entityType: "ResaleAuthorization", maxResults: 10,
                                          entityTypeSort: .resaleAuthorization(Sort(sortBy: "EntityId", sortOrder: .ascending)))
        let page1 = try await world.emulator.listEntities(request)
        // Entities appear between pages (some sort before the cursor, some after).
        let product = await world.product()
        _ = try await world.run((0..<6).map { C.createRA(product: product, reseller: "111111111111", changeName: "R\($0)") })
        var rest: [EntitySummary] = []
        var next = request
        next.nextToken = page1.nextToken
        while next.nextToken != nil {
            let page = try await world.emulator.listEntities(next)
            rest += page.entitySummaryList ?? []
            next.nextToken = page.nextToken
        }
        let firstIds = page1.entitySummaryList!.compactMap(\.entityId)
        let restIds = rest.compactMap(\.entityId)
        #expect(Set(firstIds).isDisjoint(with: restIds)) // nothing repeated
        #expect(restIds == restIds.sorted())
        #expect(restIds.allSatisfy { $0 > firstIds.last! })
        let original = Set(await world.inventory().resaleAuthorizations.map(\.id)).subtracting(firstIds)
        #expect(original.isSubset(of: Set(restIds).union(firstIds)) || original.allSatisfy { restIds.contains($0) || $0 < firstIds.last! })
    }

    @Test func nextTokenBelongsToItsRequest() async throws {
        let world = World()
        let page = try await world.emulator.listEntities(ListEntitiesRequest(entityType: "ResaleAuthorization", maxResults: 5))
        let other = await catalogError {
            try await world.emulator.listEntities(ListEntitiesRequest(entityType: "Offer", nextToken: page.nextToken, maxResults: 5))
        }
        #expect(other?.code == .validation)
        #expect(await catalogError {
            try await world.emulator.listEntities(ListEntitiesRequest(entityType: "ResaleAuthorization", nextToken: "garbage"))
        }?.code == .validation)
        // Changing only MaxResults is fine.
        _ = try await world.emulator.listEntities(ListEntitiesRequest(entityType: "ResaleAuthorization", nextToken: page.nextToken, maxResults: 7))
    }

    @Test func resaleAuthorizationFilters() async throws {
        let world = World(seeding: SeedPlan(resaleAuthorizations: 40))
        let inventory = await world.inventory()
        let all = inventory.resaleAuthorizations
        func list(_ filters: ResaleAuthorizationFilters) async throws -> [EntitySummary] {
            try await listAll(world, ListEntitiesRequest(entityType: "ResaleAuthorization", maxResults: 50,
                                                         entityTypeFilters: .resaleAuthorization(filters)))
        }
        let active = try await list(ResaleAuthorizationFilters(status: ValueListFilter(valueList: ["Active"])))
        #expect(active.count == all.filter { $0.status == "Active" }.count)
        #expect(active.allSatisfy { $0.resaleAuthorizationSummary?.status == "Active" })
        let sample = all[3]
        let byReseller = try await list(ResaleAuthorizationFilters(resellerAccountID: WildcardFilter(valueList: [sample.resellerAccountId])))
        #expect(byReseller.map(\.entityId) == [sample.id])
        let byProduct = try await list(ResaleAuthorizationFilters(productId: WildcardFilter(valueList: [sample.productId!]),
                                                                  status: ValueListFilter(valueList: ["Draft", "Active", "Restricted"])))
        #expect(byProduct.count == all.filter { $0.productId == sample.productId }.count)
        let byId = try await list(ResaleAuthorizationFilters(entityId: ValueListFilter(valueList: [sample.id, all[5].id])))
        #expect(Set(byId.compactMap(\.entityId)) == [sample.id, all[5].id])
        let byName = try await list(ResaleAuthorizationFilters(name: WildcardFilter(wildCardValue: "authorization 1")))
        #expect(byName.allSatisfy { $0.name?.lowercased().contains("authorization 1") == true })
        #expect(byName.count == 11) // 1, 10–19
        let manufacturer = try await list(ResaleAuthorizationFilters(manufacturerAccountId: WildcardFilter(valueList: ["444455556666"])))
        #expect(manufacturer.count == 40)
        let extended = try await list(ResaleAuthorizationFilters(offerExtendedStatus: ValueListFilter(valueList: ["NoOffersCreated"])))
        #expect(extended.allSatisfy { $0.resaleAuthorizationSummary?.offerExtendedStatus == "NoOffersCreated" })
        // Date ranges: created in the last 100 days.
        let after = CatalogTime.timestamp(world.clock.now().addingTimeInterval(-100 * 86_400))
        let recent = try await list(ResaleAuthorizationFilters(createdDate: DateFilter(dateRange: DateRange(afterValue: after))))
        #expect(recent.allSatisfy { ($0.resaleAuthorizationSummary?.createdDate ?? "") >= after })
        #expect(recent.count < 40)
        let expiring = try await list(ResaleAuthorizationFilters(availabilityEndDate: DateFilter(dateRange: DateRange(afterValue: "2030-01-01T00:00:00Z"))))
        #expect(expiring.count == all.filter { $0.availabilityEndDate != nil }.count)
        let modified = try await list(ResaleAuthorizationFilters(lastModifiedDate: DateFilter(dateRange: DateRange(beforeValue: "2029-06-01T00:00:00.000Z"))))
        #expect(modified.allSatisfy { ($0.lastModifiedDate ?? "") <= "2029-06-01T00:00:00Z" })
        let legal = try await list(ResaleAuthorizationFilters(resellerLegalName: WildcardFilter(wildCardValue: "LLC")))
        #expect(legal.allSatisfy { $0.resaleAuthorizationSummary?.resellerLegalName?.contains("LLC") == true })
        let productName = try await list(ResaleAuthorizationFilters(productName: WildcardFilter(wildCardValue: "(SaaS)")))
        #expect(productName.allSatisfy { $0.resaleAuthorizationSummary?.productName?.contains("(SaaS)") == true })
    }

    @Test func offerFilters() async throws {
        let world = World(seeding: SeedPlan(offers: 30))
        let offers = await world.inventory().offers
        func list(_ filters: OfferFilters) async throws -> [EntitySummary] {
            try await listAll(world, ListEntitiesRequest(entityType: "Offer", maxResults: 50, entityTypeFilters: .offer(filters)))
        }
        let released = try await list(OfferFilters(state: ValueListFilter(valueList: ["Released"])))
        #expect(released.count == offers.filter { $0.state == "Released" }.count)
        #expect(released.allSatisfy { $0.offerSummary?.releaseDate != nil })
        let cppo = offers.first { $0.resaleAuthorizationId != nil }
        if let cppo {
            let byRA = try await list(OfferFilters(resaleAuthorizationId: ValueListFilter(valueList: [cppo.resaleAuthorizationId!])))
            #expect(byRA.contains { $0.entityId == cppo.id })
        }
        let product = offers[0].productId
        let byProduct = try await list(OfferFilters(productId: ValueListFilter(valueList: [product])))
        #expect(byProduct.count == offers.filter { $0.productId == product }.count)
        let targeted = try await list(OfferFilters(targeting: ValueListFilter(valueList: ["BuyerAccounts"])))
        #expect(targeted.count == 30)
        let buyer = try #require(targeted.first?.offerSummary?.buyerAccounts?.first)
        let byBuyer = try await list(OfferFilters(buyerAccounts: WildcardFilter(wildCardValue: buyer)))
        #expect(byBuyer.contains { $0.entityId == targeted.first?.entityId })
        let ending = try await list(OfferFilters(availabilityEndDate: DateFilter(dateRange: DateRange(afterValue: "2030-01-01T00:00:00Z"))))
        #expect(ending.count == offers.filter { $0.availabilityEndDate != nil }.count)
        let byName = try await list(OfferFilters(name: WildcardFilter(valueList: ["Seeded private offer 1"])))
        #expect(byName.count <= 1)
    }

    @Test func sorting() async throws {
        let world = World(seeding: SeedPlan(resaleAuthorizations: 30))
        for field in ["EntityId", "Name", "ResellerAccountID", "CreatedDate", "Status", "ProductId"] {
            for order in [Sort.Order.ascending, .descending] {
                let all = try await listAll(world, ListEntitiesRequest(
                    entityType: "ResaleAuthorization", maxResults: 7,
                    entityTypeSort: .resaleAuthorization(Sort(sortBy: field, sortOrder: order))))
                #expect(all.count == 30)
                let keys: [String] = all.map {
                    switch field {
                    case "EntityId": return $0.entityId ?? ""
                    case "Name": return $0.name ?? ""
                    case "ResellerAccountID": return $0.resaleAuthorizationSummary?.resellerAccountID ?? ""
                    case "CreatedDate": return $0.resaleAuthorizationSummary?.createdDate ?? ""
                    case "Status": return $0.resaleAuthorizationSummary?.status ?? ""
                    default: return $0.resaleAuthorizationSummary?.productId ?? ""
                    }
                }
                #expect(keys == (order == .ascending ? keys.sorted() : keys.sorted(by: >)), "\(field) \(order)")
            }
        }
        let generic = try await listAll(world, ListEntitiesRequest(entityType: "ResaleAuthorization", sort: Sort(sortBy: "EntityId", sortOrder: .descending)))
        #expect(generic.compactMap(\.entityId) == generic.compactMap(\.entityId).sorted(by: >))
    }

    @Test func requestChecks() async throws {
        let world = World()
        let cases: [(ListEntitiesRequest, String)] = [
            (ListEntitiesRequest(entityType: "ResaleAuthorization@1.0"), "without a version"),
            (ListEntitiesRequest(entityType: "Gadget"), "not a supported entity type"),
            (ListEntitiesRequest(entityType: "Offer", maxResults: 51), "between 1 and 50"),
            (ListEntitiesRequest(entityType: "Offer", maxResults: 0), "between 1 and 50"),
            (ListEntitiesRequest(entityType: "Offer", entityTypeFilters: .resaleAuthorization(ResaleAuthorizationFilters())), "use OfferFilters"),
            (ListEntitiesRequest(entityType: "ResaleAuthorization", entityTypeFilters: .resaleAuthorization(ResaleAuthorizationFilters(
                status: ValueListFilter(valueList: ["Published"])))), "expected Draft, Active or Restricted"),
            (ListEntitiesRequest(entityType: "ResaleAuthorization", entityTypeFilters: .resaleAuthorization(ResaleAuthorizationFilters(
                name: WildcardFilter(wildCardValue: "a"), productName: WildcardFilter(wildCardValue: "b")))), "one wildcard"),
            (ListEntitiesRequest(entityType: "ResaleAuthorization", entityTypeFilters: .resaleAuthorization(ResaleAuthorizationFilters(
                entityId: ValueListFilter(valueList: (0..<11).map { "resaleauthz-\($0)" })))), "1–10 values"),
            (ListEntitiesRequest(entityType: "ResaleAuthorization", entityTypeSort: .resaleAuthorization(Sort(sortBy: "Colour"))), "SortBy 'Colour'"),
            (ListEntitiesRequest(entityType: "ResaleAuthorization", entityTypeSort: .offer(Sort(sortBy: "Name"))), "use ResaleAuthorizationSort"),
            (ListEntitiesRequest(entityType: "Offer", filterList: [Filter(name: "Colour", valueList: ["x"])]), "not supported"),
            (ListEntitiesRequest(entityType: "Offer", sort: Sort(sortBy: "Name", sortOrder: "SIDEWAYS")), "ASCENDING or DESCENDING"),
            (ListEntitiesRequest(catalog: "Other", entityType: "Offer"), "catalog"),
        ]
        for (request, fragment) in cases {
            let error = await catalogError { try await world.emulator.listEntities(request) }
            #expect(error?.code == .validation, "\(request)")
            #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "") ∌ \(fragment)")
        }
        // Types the emulator does not model list as empty; so do SHARED entities.
        #expect(try await world.emulator.listEntities(ListEntitiesRequest(entityType: "DataProduct")).entitySummaryList == [])
        #expect(try await world.emulator.listEntities(ListEntitiesRequest(entityType: "Offer", ownershipType: .shared)).entitySummaryList == [])
        let products = try await world.emulator.listEntities(ListEntitiesRequest(entityType: "SaaSProduct"))
        #expect(products.entitySummaryList?.count == 2) // the foreign product is not listed
        #expect(products.entitySummaryList?.first?.saaSProductSummary?.visibility == "Public")
        let byId = try await world.emulator.listEntities(ListEntitiesRequest(
            entityType: "SaaSProduct", filterList: [Filter(name: "EntityId", valueList: [products.entitySummaryList![0].entityId!])]))
        #expect(byId.entitySummaryList?.count == 1)
    }

    @Test func describeEntityErrors() async throws {
        let world = World()
        let inventory = await world.inventory()
        #expect(await catalogError { try await world.emulator.describeEntity(DescribeEntityRequest(entityId: "offer-nothere")) }?.code == .resourceNotFound)
        let foreign = try #require(inventory.products.first { !$0.isOwned })
        #expect(await catalogError { try await world.emulator.describeEntity(DescribeEntityRequest(entityId: foreign.id)) }?.code == .accessDenied)
        let agreement = try #require(inventory.agreements.first)
        #expect(await catalogError { try await world.emulator.describeEntity(DescribeEntityRequest(entityId: agreement.id)) }?.code == .resourceNotSupported)
        let offer = try #require(inventory.offers.first)
        let described = try await world.emulator.describeEntity(DescribeEntityRequest(entityId: offer.id + "@1"))
        #expect(described.entityType == "Offer@1.0")
        #expect(described.entityIdentifier?.hasPrefix(offer.id + "@") == true)
    }

    @Test func batchDescribe() async throws {
        let world = World()
        let inventory = await world.inventory()
        let ra = inventory.resaleAuthorizations[0]
        let offer = inventory.offers[0]
        let foreign = try #require(inventory.products.first { !$0.isOwned })
        let response = try await world.emulator.batchDescribeEntities(BatchDescribeEntitiesRequest(entityRequestList: [
            EntityRequest(entityId: ra.id), EntityRequest(entityId: offer.id), EntityRequest(entityId: "offer-missing"),
            EntityRequest(entityId: foreign.id), EntityRequest(catalog: "Other", entityId: ra.id + "@1"),
        ]))
        #expect(response.entityDetails?[ra.id]?.entityType == "ResaleAuthorization@1.0")
        #expect(response.entityDetails?[ra.id]?.detailsDocument?["Status"] == .string(ra.status))
        #expect(response.entityDetails?[offer.id]?.entityIdentifier?.hasPrefix(offer.id) == true)
        #expect(response.errors?["offer-missing"]?.errorCode == "ResourceNotFoundException")
        #expect(response.errors?[foreign.id]?.errorCode == "AccessDeniedException")
        #expect(response.errors?[ra.id + "@1"]?.errorCode == "ValidationException")
        #expect(await catalogError { try await world.emulator.batchDescribeEntities(BatchDescribeEntitiesRequest(entityRequestList: [])) }?.code == .validation)
        let tooMany = (0..<21).map { EntityRequest(entityId: "offer-\($0)") }
        #expect(await catalogError { try await world.emulator.batchDescribeEntities(BatchDescribeEntitiesRequest(entityRequestList: tooMany)) }?.code == .validation)
    }
}

@Suite("ListChangeSets")
struct ChangeSetListingTests {
    /// 12 change sets: names "batch-0" … "batch-5" twice, one per virtual second; ra-failing ones every third.
    func populate(_ world: World) async throws -> [String] {
        let product = await world.product()
        var ids: [String] = []
        for n in 0..<12 {
            let reseller = n % 3 == 0 ? "999999999999" : "111111111111"
            ids.append(try await world.start([C.createRA(product: product, reseller: reseller)], name: "batch-\(n % 6)"))
            world.advance(1)
        }
        return ids
    }

    func listAll(_ world: World, _ request: ListChangeSetsRequest) async throws -> [ChangeSetSummaryListItem] {
        var all: [ChangeSetSummaryListItem] = []
        var request = request
        repeat {
            let page = try await world.emulator.listChangeSets(request)
            all += page.changeSetSummaryList ?? []
            request.nextToken = page.nextToken
        } while request.nextToken != nil
        return all
    }

    @Test func filtersAndPages() async throws {
        let world = World()
        let ids = try await populate(world)
        world.settle()
        let all = try await listAll(world, ListChangeSetsRequest(maxResults: 5))
        #expect(all.compactMap(\.changeSetId) == ids) // StartTime ascending by default
        let byName = try await listAll(world, ListChangeSetsRequest(filterList: [Filter(name: "ChangeSetName", valueList: ["batch-1", "batch-2"])]))
        #expect(byName.count == 4)
        let failed = try await listAll(world, ListChangeSetsRequest(filterList: [Filter(name: "Status", valueList: ["FAILED"])]))
        #expect(failed.count == 4)
        #expect(failed.allSatisfy { $0.failureCode == .clientError && $0.endTime != nil })
        let succeeded = try await listAll(world, ListChangeSetsRequest(filterList: [Filter(name: "Status", valueList: ["SUCCEEDED"])]))
        let entity = try #require(succeeded.first?.entityIdList?.first)
        #expect(entity.hasPrefix("resaleauthz-"))
        let byEntity = try await listAll(world, ListChangeSetsRequest(filterList: [Filter(name: "EntityId", valueList: [entity + "@1"])]))
        #expect(byEntity.map(\.changeSetId) == [succeeded.first?.changeSetId])
        let combined = try await listAll(world, ListChangeSetsRequest(filterList: [
            Filter(name: "ChangeSetName", valueList: ["batch-0"]), Filter(name: "Status", valueList: ["FAILED"])]))
        #expect(combined.count == 2)
        let window = try await listAll(world, ListChangeSetsRequest(filterList: [
            Filter(name: "AfterStartTime", valueList: ["2030-01-01T00:00:02Z"]), Filter(name: "BeforeStartTime", valueList: ["2030-01-01T00:00:06.000Z"])]))
        #expect(window.compactMap(\.changeSetId) == Array(ids[3...5]))
        let ended = try await listAll(world, ListChangeSetsRequest(filterList: [Filter(name: "BeforeEndTime", valueList: ["2030-01-01T00:00:08Z"])]))
        #expect(ended.allSatisfy { ($0.endTime ?? "9") < "2030-01-01T00:00:08Z" })
        let later = try await listAll(world, ListChangeSetsRequest(filterList: [Filter(name: "AfterEndTime", valueList: ["2030-01-01T00:00:08Z"])]))
        #expect(ended.count + later.count <= 12)
        let descending = try await listAll(world, ListChangeSetsRequest(sort: Sort(sortBy: "StartTime", sortOrder: .descending), maxResults: 3))
        #expect(descending.compactMap(\.changeSetId) == ids.reversed())
        let byId = try await listAll(world, ListChangeSetsRequest(sort: Sort(sortBy: "ChangeSetId")))
        #expect(byId.compactMap(\.changeSetId) == ids.sorted())
    }

    @Test func openSetsShowOnlyExistingEntities() async throws {
        let world = World()
        let ra = try await world.draftAuthorization()
        let product = await world.product()
        let id = try await world.start([C.raPricing(ra), C.createRA(product: product, reseller: "111111111111", changeName: "New")])
        let open = try await world.emulator.listChangeSets(ListChangeSetsRequest(filterList: [Filter(name: "Status", valueList: ["PREPARING", "APPLYING"])]))
        #expect(open.changeSetSummaryList?.map(\.changeSetId) == [id])
        #expect(open.changeSetSummaryList?.first?.entityIdList == [ra])
        #expect(open.changeSetSummaryList?.first?.endTime == nil)
        world.settle()
        let done = try await world.emulator.listChangeSets(ListChangeSetsRequest(filterList: [Filter(name: "EntityId", valueList: [ra])]))
        #expect(done.changeSetSummaryList?.last?.entityIdList?.count == 2)
    }

    @Test func requestChecks() async throws {
        let world = World()
        let cases: [(ListChangeSetsRequest, String)] = [
            (ListChangeSetsRequest(maxResults: 21), "between 1 and 20"),
            (ListChangeSetsRequest(filterList: (0..<9).map { _ in Filter(name: "Status", valueList: ["FAILED"]) }), "less than or equal to 8"),
            (ListChangeSetsRequest(filterList: [Filter(name: "Status", valueList: (0..<11).map { _ in "FAILED" })]), "1–10 values"),
            (ListChangeSetsRequest(filterList: [Filter(name: "Status", valueList: ["DONE"])]), "not a change set status"),
            (ListChangeSetsRequest(filterList: [Filter(name: "Owner", valueList: ["me"])]), "not supported by ListChangeSets"),
            (ListChangeSetsRequest(filterList: [Filter(name: "AfterStartTime", valueList: ["yesterday"])]), "ISO 8601"),
            (ListChangeSetsRequest(sort: Sort(sortBy: "Colour")), "SortBy 'Colour'"),
            (ListChangeSetsRequest(nextToken: "bm9wZQ=="), "NextToken"),
        ]
        for (request, fragment) in cases {
            let error = await catalogError { try await world.emulator.listChangeSets(request) }
            #expect(error?.code == .validation)
            #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "") ∌ \(fragment)")
        }
    }
}
