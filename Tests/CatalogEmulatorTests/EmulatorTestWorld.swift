import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

/// One emulated account on a virtual clock, with helpers to build change sets and move time.
///
/// Quotas are off unless a test asks for them (most tests call faster than 5/s at one virtual
/// instant); lifecycle is exact: PREPARING 2 s, APPLYING 3 s, no jitter.
struct World {
    let clock: VirtualTimeSource
    let emulator: CatalogEmulator

    init(seed: UInt64 = 0, quotas: RequestQuotas = .unlimited, limits: ChangeSetLimits = .published,
         seeding: SeedPlan = SeedPlan(), faults: FaultPlan = FaultPlan(),
         resellers: ResellerDirectory = ResellerDirectory(), jitter: Double = 0) {
        clock = VirtualTimeSource()
        let configuration = EmulatorConfiguration(
            seed: seed, quotas: quotas, limits: limits,
            lifecycle: LifecycleTiming(prepareSeconds: 2, applySeconds: 3, jitter: jitter),
            resellers: resellers, seeding: seeding, faults: faults)
        emulator = CatalogEmulator(configuration: configuration, clock: clock)
    }

    /// Moves the virtual clock.
    func advance(_ seconds: Double) { clock.advance(by: seconds) }

    /// Moves past any change set's lifecycle (2 s + 3 s).
    func settle() { clock.advance(by: 10) }

    /// Today plus `days`, as `YYYY-MM-DD`.
    func day(_ days: Int) -> String {
        CatalogTime.day(number: CatalogTime.dayNumber(clock.now()) + Int64(days))
    }

    func inventory() async -> EmulatorInventory { await emulator.inventory() }

    /// An owned product of `kind`.
    func product(_ kind: EntityKind = .saasProduct) async -> String {
        let products = await inventory().ownedProducts(kind)
        return products.first!.id
    }

    /// Starts a change set.
    @discardableResult
    func start(_ changes: [Change], name: String? = nil, token: String? = nil) async throws -> String {
        let response = try await emulator.startChangeSet(
            StartChangeSetRequest(changeSet: changes, changeSetName: name, clientRequestToken: token))
        return try #require(response.changeSetId)
    }

    func describe(_ id: String) async throws -> DescribeChangeSetResponse {
        try await emulator.describeChangeSet(DescribeChangeSetRequest(changeSetId: id))
    }

    func status(_ id: String) async throws -> ChangeStatus? { try await describe(id).status }

    /// Starts a change set, lets it finish, and returns its description.
    func run(_ changes: [Change], name: String? = nil) async throws -> DescribeChangeSetResponse {
        let id = try await start(changes, name: name)
        settle()
        return try await describe(id)
    }

    /// The new entity id of change `index` of a SUCCEEDED set (revision suffix cut).
    func createdId(_ description: DescribeChangeSetResponse, _ index: Int = 0) throws -> String {
        let identifier = try #require(description.changeSet?[index].entity?.identifier)
        return String(identifier.split(separator: "@")[0])
    }

    func entity(_ id: String) async throws -> JSONValue {
        try #require(try await emulator.describeEntity(DescribeEntityRequest(entityId: id)).detailsDocument)
    }

    /// A released (Active) resale authorization made through the API.
    func activeAuthorization(product: String? = nil, endDate: String? = nil, maxOffers: Int? = nil) async throws -> String {
        let productId: String
        if let product { productId = product } else { productId = await self.product() }
        var changes = [
            C.createRA(product: productId, reseller: "111111111111"),
            C.raPricing("$RA.Entity.Identifier"), C.raLegal("$RA.Entity.Identifier"),
            C.release("$RA.Entity.Identifier"),
        ]
        if endDate != nil || maxOffers != nil {
            changes.append(C.raAvailability("$RA.Entity.Identifier", endDate: endDate, maxOffers: maxOffers))
        }
        let description = try await run(changes)
        #expect(description.status == .succeeded, "\(description.changeSet?.compactMap(\.errorDetailList) ?? [])")
        return try createdId(description)
    }

    /// A Draft resale authorization made through the API.
    func draftAuthorization(product: String? = nil, reseller: String = "111111111111") async throws -> String {
        let productId: String
        if let product { productId = product } else { productId = await self.product() }
        let description = try await run([C.createRA(product: productId, reseller: reseller)])
        #expect(description.status == .succeeded)
        return try createdId(description)
    }

    /// A released private offer made through the API.
    func releasedOffer(product: String? = nil) async throws -> String {
        let productId: String
        if let product { productId = product } else { productId = await self.product() }
        let description = try await run([
            C.createOffer(product: productId), C.offerPricing("$O.Entity.Identifier"),
            C.offerLegal("$O.Entity.Identifier"), C.change("ReleaseOffer", .offer, "$O.Entity.Identifier", [:]),
        ])
        #expect(description.status == .succeeded)
        return try createdId(description)
    }

    /// A draft private offer made through the API.
    func draftOffer(product: String? = nil) async throws -> String {
        let productId: String
        if let product { productId = product } else { productId = await self.product() }
        let description = try await run([C.createOffer(product: productId)])
        return try createdId(description)
    }
}

/// Change builders.
enum C {
    static func change(_ type: String, _ kind: EntityKind, _ identifier: String?, _ details: JSONValue,
                       name: String? = nil) -> Change {
        Change(changeType: type, entity: Entity(type: kind.versionedName, identifier: identifier),
               detailsDocument: details, changeName: name)
    }

    static func createRA(product: String?, reseller: String, name: String = "Test authorization", changeName: String = "RA") -> Change {
        var details: JSONValue = ["Name": .string(name), "ResellerAccountId": .string(reseller)]
        if let product { details["ProductId"] = .string(product) }
        return change("CreateResaleAuthorization", .resaleAuthorization, nil, details, name: changeName)
    }

    static let raPricingTerms: JSONValue = [
        "PricingModel": "Contract",
        "Terms": [["Type": "ResaleConfigurableUpfrontPricingTerm", "CurrencyCode": "USD",
                   "RateCards": [["Selector": ["Type": "Duration", "Value": "P12M"],
                                  "RateCard": [["DimensionKey": "BasicService", "Price": "150"]],
                                  "Constraints": ["MultipleDimensionSelection": "Allowed", "QuantityConfiguration": "Allowed"]]]]],
    ]

    static func raPricing(_ id: String) -> Change { change("UpdatePricingTerms", .resaleAuthorization, id, raPricingTerms) }

    static func raLegal(_ id: String) -> Change {
        change("UpdateLegalTerms", .resaleAuthorization, id,
               ["Terms": [["Type": "BuyerLegalTerm", "Documents": [["Type": "CustomEula", "Url": "https://example.com/eula.pdf"]]]]])
    }

    static func release(_ id: String) -> Change { change("ReleaseResaleAuthorization", .resaleAuthorization, id, [:]) }

    static func restrict(_ id: String) -> Change { change("RestrictResaleAuthorization", .resaleAuthorization, id, [:]) }

    static func raAvailability(_ id: String, endDate: String? = nil, maxOffers: Int? = nil) -> Change {
        var details: JSONValue = [:]
        if let endDate { details["AvailabilityEndDate"] = .string(endDate) }
        if let maxOffers { details["OffersMaxQuantity"] = .number(JSONNumber(maxOffers)) }
        return change("UpdateAvailability", .resaleAuthorization, id, details)
    }

    static func createOffer(product: String, changeName: String = "O") -> Change {
        change("CreateOffer", .offer, nil, ["ProductId": .string(product)], name: changeName)
    }

    static func cppo(_ ra: String, changeName: String = "O") -> Change {
        change("CreateOfferUsingResaleAuthorization", .offer, nil, ["ResaleAuthorizationId": .string(ra)], name: changeName)
    }

    /// Usage pricing of `dimension` (BasicService: a dimension of every seeded product).
    static func offerPricing(_ id: String, dimension: String = "BasicService") -> Change {
        change("UpdatePricingTerms", .offer, id, [
            "PricingModel": "Usage",
            "Terms": [["Type": "UsageBasedPricingTerm", "CurrencyCode": "USD",
                       "RateCards": [["RateCard": [["DimensionKey": .string(dimension), "Price": "0.13"]]]]]],
        ])
    }

    static func offerLegal(_ id: String) -> Change {
        change("UpdateLegalTerms", .offer, id,
               ["Terms": [["Type": "LegalTerm", "Documents": [["Type": "StandardEula", "Version": "2022-07-14"]]]]])
    }
}

/// The CatalogError a call throws, or `nil` when it succeeds (or throws something else).
func catalogError<T>(_ body: () async throws -> T) async -> CatalogError? {
    do {
        _ = try await body()
        return nil
    } catch let error as CatalogError {
        return error
    } catch {
        Issue.record("expected a CatalogError, got \(error)")
        return nil
    }
}
