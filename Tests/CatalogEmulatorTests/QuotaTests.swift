import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

@Suite("Request quotas")
struct QuotaTests {
    static let published: [(CatalogOperation, Int)] = [
        (.startChangeSet, 5), (.describeChangeSet, 10), (.listChangeSets, 5), (.cancelChangeSet, 5),
        (.listEntities, 10), (.describeEntity, 20), (.batchDescribeEntities, 10),
    ]

    /// Calls `operation` once with a request that is cheap and valid or harmlessly invalid.
    static func call(_ operation: CatalogOperation, _ world: World) async -> CatalogError? {
        let e = world.emulator
        switch operation {
        case .startChangeSet:
            return await catalogError { try await e.startChangeSet(StartChangeSetRequest(catalog: "Nope", changeSet: [])) }
        case .describeChangeSet:
            return await catalogError { try await e.describeChangeSet(DescribeChangeSetRequest(changeSetId: "missing")) }
        case .listChangeSets:
            return await catalogError { try await e.listChangeSets(ListChangeSetsRequest()) }
        case .cancelChangeSet:
            return await catalogError { try await e.cancelChangeSet(CancelChangeSetRequest(changeSetId: "missing")) }
        case .listEntities:
            return await catalogError { try await e.listEntities(ListEntitiesRequest(entityType: "Offer")) }
        case .describeEntity:
            return await catalogError { try await e.describeEntity(DescribeEntityRequest(entityId: "offer-missing")) }
        case .batchDescribeEntities:
            return await catalogError {
                try await e.batchDescribeEntities(BatchDescribeEntitiesRequest(entityRequestList: [EntityRequest(entityId: "offer-x")]))
            }
        }
    }

    @Test("the published quota is served at one instant and the next call is throttled", arguments: published)
    func overQuotaAtOneInstant(operation: CatalogOperation, quota: Int) async {
        let world = World(quotas: .published)
        for _ in 0..<quota {
            let error = await Self.call(operation, world)
            #expect(error?.code != .throttling)
        }
        let error = await Self.call(operation, world)
        #expect(error?.code == .throttling)
        #expect(error?.httpStatus == 429)
        #expect(error?.requestId != nil)
        let stats = await world.emulator.statistics()[operation]
        #expect(stats.quota == quota)
        #expect(stats.throttled == 1)
        #expect(stats.peakCallsInAnyWindow == quota + 1)
        #expect(stats.peakAcceptedInAnyWindow == quota)
        #expect(!stats.quotaRespected)
    }

    @Test("a client spacing calls 1/N s apart is never throttled", arguments: published)
    func respectfulClient(operation: CatalogOperation, quota: Int) async {
        let world = World(quotas: .published)
        for _ in 0..<(quota * 3) {
            let error = await Self.call(operation, world)
            #expect(error?.code != .throttling)
            world.advance(1.0 / Double(quota))
        }
        let stats = await world.emulator.statistics()
        #expect(stats[operation].throttled == 0)
        #expect(stats[operation].peakCallsInAnyWindow == quota)
        #expect(stats.quotasRespected)
    }

    @Test func windowIsTheLastSecond() async {
        let world = World(quotas: .published)
        for _ in 0..<5 { _ = await Self.call(.listChangeSets, world) }
        world.advance(0.999)
        #expect(await Self.call(.listChangeSets, world)?.code == .throttling)
        world.advance(0.001)
        #expect(await Self.call(.listChangeSets, world)?.code != .throttling)
        // Throttled calls do not use the quota: the window now holds one accepted call.
        for _ in 0..<4 { #expect(await Self.call(.listChangeSets, world)?.code != .throttling) }
        #expect(await Self.call(.listChangeSets, world)?.code == .throttling)
    }

    @Test func operationsHaveSeparateQuotas() async {
        let world = World(quotas: .published)
        for _ in 0..<5 { _ = await Self.call(.listChangeSets, world) }
        #expect(await Self.call(.listChangeSets, world)?.code == .throttling)
        #expect(await Self.call(.describeEntity, world)?.code != .throttling)
    }

    @Test func quotasAreConfigurable() async {
        var quotas = RequestQuotas.published
        quotas[.describeEntity] = 2
        let world = World(quotas: quotas)
        _ = await Self.call(.describeEntity, world)
        _ = await Self.call(.describeEntity, world)
        #expect(await Self.call(.describeEntity, world)?.code == .throttling)
    }
}

@Suite("Account limits and locks")
struct LimitTests {
    @Test func at250OpenChangeSetsTheNextIsRefusedWith402() async throws {
        let world = World(seeding: .empty)
        let product = "prod-none"
        _ = product
        // Creates need no existing entity; every one locks nothing, so only the quota applies.
        for n in 0..<250 {
            try await world.start([C.change("CreateProduct", .saasProduct, nil, [:], name: "P")], name: "set \(n)")
        }
        let error = await catalogError { try await world.start([C.change("CreateProduct", .saasProduct, nil, [:])]) }
        #expect(error?.code == .serviceQuotaExceeded)
        #expect(error?.httpStatus == 402)
        #expect(error?.message.contains("250") == true)
        world.advance(2) // All move to APPLYING: still open.
        #expect(await catalogError { try await world.start([C.change("CreateProduct", .saasProduct, nil, [:])]) }?.code == .serviceQuotaExceeded)
        world.advance(3) // All finished.
        try await world.start([C.change("CreateProduct", .saasProduct, nil, [:])])
        let stats = await world.emulator.statistics()
        #expect(stats.changeSetsByStatus["SUCCEEDED"] == 250)
        #expect(stats.changeSetsByStatus["PREPARING"] == 1)
    }

    @Test func openChangeSetLimitIsConfigurable() async throws {
        let world = World(limits: ChangeSetLimits(maxOpenChangeSets: 2))
        try await world.start([C.change("CreateProduct", .saasProduct, nil, [:])])
        try await world.start([C.change("CreateProduct", .saasProduct, nil, [:])])
        #expect(await catalogError { try await world.start([C.change("CreateProduct", .saasProduct, nil, [:])]) }?.code == .serviceQuotaExceeded)
    }

    @Test func atMost20OffersInProgress() async throws {
        let world = World()
        let product = await world.product()
        for n in 0..<4 {
            let changes = (0..<5).map { C.createOffer(product: product, changeName: "O\($0)") }
            try await world.start(changes, name: "batch \(n)")
        }
        let error = await catalogError { try await world.start([C.createOffer(product: product)]) }
        #expect(error?.code == .serviceQuotaExceeded)
        #expect(error?.message.contains("20 offers") == true)
        // Resale authorizations do not count towards the offer limit.
        try await world.start([C.createRA(product: product, reseller: "111111111111")])
        world.settle()
        try await world.start([C.createOffer(product: product)])
    }

    @Test func updatingExistingOffersCountsToo() async throws {
        let world = World(limits: ChangeSetLimits(maxOffersInProgress: 2))
        let a = try await world.releasedOffer()
        let b = try await world.releasedOffer()
        let c = try await world.releasedOffer()
        try await world.start([C.change("UpdateInformation", .offer, a, ["Name": "A"])])
        try await world.start([C.change("UpdateInformation", .offer, b, ["Name": "B"])])
        #expect(await catalogError { try await world.start([C.change("UpdateInformation", .offer, c, ["Name": "C"])]) }?.code == .serviceQuotaExceeded)
    }

    @Test func anOpenChangeSetLocksItsEntities() async throws {
        let world = World()
        let ra = try await world.draftAuthorization()
        let first = try await world.start([C.change("UpdateInformation", .resaleAuthorization, ra, ["Name": "One"])])
        let error = await catalogError {
            try await world.start([C.change("UpdateInformation", .resaleAuthorization, "\(ra)@1", ["Description": "Two"])])
        }
        #expect(error?.code == .resourceInUse)
        #expect(error?.httpStatus == 423)
        #expect(error?.message.contains(ra) == true)
        #expect(error?.message.contains(first) == true)
        world.advance(2) // APPLYING: still locked.
        #expect(await catalogError {
            try await world.start([C.change("UpdateInformation", .resaleAuthorization, ra, ["Description": "Two"])])
        }?.code == .resourceInUse)
        world.advance(3) // SUCCEEDED: unlocked.
        try await world.start([C.change("UpdateInformation", .resaleAuthorization, ra, ["Description": "Two"])])
    }

    @Test func cancellingReleasesTheLock() async throws {
        let world = World()
        let ra = try await world.draftAuthorization()
        let first = try await world.start([C.change("UpdateInformation", .resaleAuthorization, ra, ["Name": "One"])])
        _ = try await world.emulator.cancelChangeSet(CancelChangeSetRequest(changeSetId: first))
        try await world.start([C.change("UpdateInformation", .resaleAuthorization, ra, ["Name": "Two"])])
    }

    @Test func aRejectedRequestLeavesNoChangeSetAndNoLock() async throws {
        let world = World()
        let ra = try await world.draftAuthorization()
        let bad = C.change("UpdateInformation", .resaleAuthorization, ra, ["Name": "Bad<name>"])
        #expect(await catalogError { try await world.start([bad]) }?.code == .validation)
        try await world.start([C.change("UpdateInformation", .resaleAuthorization, ra, ["Name": "Good"])])
        let list = try await world.emulator.listChangeSets(ListChangeSetsRequest())
        #expect(list.changeSetSummaryList?.count == 2) // the draft's creation and the good one
    }
}
