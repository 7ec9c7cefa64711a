import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

@Suite("Scale")
struct ScaleTests {
    /// Thousands of entities are listed 50 at a time, each exactly once, in order.
    @Test func listingThousandsOfEntities() async throws {
        let world = World(seeding: SeedPlan(resaleAuthorizations: 2000))
        var request = ListEntitiesRequest(entityType: "ResaleAuthorization", maxResults: 50,
                                          entityTypeSort: .resaleAuthorization(Sort(sortBy: "CreatedDate", sortOrder: .descending)))
        var ids: [String] = []
        var created: [String] = []
        repeat {
            let page = try await world.emulator.listEntities(request)
            ids += page.entitySummaryList?.compactMap(\.entityId) ?? []
            created += page.entitySummaryList?.compactMap(\.resaleAuthorizationSummary?.createdDate) ?? []
            request.nextToken = page.nextToken
        } while request.nextToken != nil
        #expect(ids.count == 2000)
        #expect(Set(ids).count == 2000)
        #expect(created == created.sorted(by: >))
    }

    /// Many change sets: a long run of quota-respecting starts, each finishing in turn.
    @Test func thousandChangeSetsThroughTheLifecycle() async throws {
        let world = World(quotas: .published, seeding: SeedPlan(resaleAuthorizations: 0, offers: 0))
        let product = await world.product()
        for n in 0..<1000 {
            try await world.start([C.createRA(product: product, reseller: String(100_000_000_000 + n))], name: "row-\(n)")
            world.advance(0.2)
        }
        world.settle()
        let statistics = await world.emulator.statistics()
        #expect(statistics.changeSetsByStatus["SUCCEEDED"] == 1000)
        #expect(statistics.entitiesByType["ResaleAuthorization"] == 1000)
        #expect(statistics[.startChangeSet].peakCallsInAnyWindow == 5)
        #expect(statistics.quotasRespected)
        let page = try await world.emulator.listChangeSets(ListChangeSetsRequest(
            filterList: [Filter(name: "ChangeSetName", valueList: ["row-999"])]))
        #expect(page.changeSetSummaryList?.first?.status == .succeeded)
    }
}
