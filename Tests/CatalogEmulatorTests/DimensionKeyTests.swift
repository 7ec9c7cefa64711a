import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

/// Dimension keys are checked against the product: pricing terms of authorizations and offers
/// (rate cards, grants) and UpdateDimensions may only name dimensions the product has at that
/// point of the change set. The code and wording are the emulator's (the service publishes none).
@Suite("Dimension keys")
struct DimensionKeyTests {
    /// The one error of change `index`, checked to be `INVALID_DIMENSION_KEY` naming `key`.
    func expectUnknown(_ description: DescribeChangeSetResponse, index: Int, key: String, product: String) {
        #expect(description.status == .failed)
        #expect(description.failureCode == .clientError)
        let error = description.changeSet?[index].errorDetailList?.first
        #expect(error?.errorCode == "INVALID_DIMENSION_KEY", "\(String(describing: error))")
        #expect(error?.errorMessage?.contains("DimensionKey '\(key)' is not a dimension of product \(product)") == true,
                "\(error?.errorMessage ?? "")")
        #expect(error?.errorMessage?.contains("its dimensions are") == true)
    }

    static func raTerms(_ keys: [String]) -> JSONValue {
        ["PricingModel": "Contract",
         "Terms": [["Type": "ResaleConfigurableUpfrontPricingTerm", "CurrencyCode": "USD",
                    "RateCards": [["Selector": ["Type": "Duration", "Value": "P12M"],
                                   "RateCard": .array(keys.map { ["DimensionKey": .string($0), "Price": "10"] })]]]]]
    }

    @Test func authorizationPricingOfAnUnknownDimensionFailsTheSet() async throws {
        let world = World()
        let product = await world.product(.saasProduct)
        let before = await world.inventory().resaleAuthorizations.count
        let description = try await world.run([
            C.createRA(product: product, reseller: "111111111111"),
            C.change("UpdatePricingTerms", .resaleAuthorization, "$RA.Entity.Identifier", Self.raTerms(["BasicService", "t2.small"])),
            C.raLegal("$RA.Entity.Identifier"), C.release("$RA.Entity.Identifier"),
        ])
        expectUnknown(description, index: 1, key: "t2.small", product: product)
        #expect(description.changeSet?[1].errorDetailList?.first?.errorMessage?.contains("BasicService, PremiumService") == true)
        #expect(await world.inventory().resaleAuthorizations.count == before, "nothing applied")
    }

    @Test(arguments: [EntityKind.saasProduct, .amiProduct, .containerProduct])
    func authorizationPricingOfTheProductsDimensionsSucceeds(kind: EntityKind) async throws {
        let world = World()
        let product = await world.product(kind)
        let keys = await world.inventory().products.first { $0.id == product }?.dimensionKeys ?? []
        #expect(keys.contains("BasicService"), "every seeded product has the dimension seeded terms price")
        let description = try await world.run([
            C.createRA(product: product, reseller: "111111111111"),
            C.change("UpdatePricingTerms", .resaleAuthorization, "$RA.Entity.Identifier", Self.raTerms(Array(keys.prefix(3)))),
        ])
        #expect(description.status == .succeeded, "\(description.changeSet?.compactMap(\.errorDetailList) ?? [])")
    }

    @Test func grantsAreCheckedToo() async throws {
        let world = World()
        let product = await world.product(.saasProduct)
        let fixed: JSONValue = ["PricingModel": "Contract",
                                "Terms": [["Type": "ResaleFixedUpfrontPricingTerm", "CurrencyCode": "USD", "Price": "0.00",
                                           "Duration": "P12M", "Grants": [["DimensionKey": "Seats", "MaxQuantity": 10]]]]]
        let ra = try await world.run([C.createRA(product: product, reseller: "111111111111"),
                                      C.change("UpdatePricingTerms", .resaleAuthorization, "$RA.Entity.Identifier", fixed)])
        expectUnknown(ra, index: 1, key: "Seats", product: product)
        let offer = try await world.draftOffer(product: product)
        let trial: JSONValue = ["PricingModel": "Free",
                                "Terms": [["Type": "FreeTrialPricingTerm", "Duration": "P21D",
                                           "Grants": [["DimensionKey": "WorkloadSmall"], ["DimensionKey": "WorkloadHuge"]]]]]
        let offerSet = try await world.run([C.change("UpdatePricingTerms", .offer, offer, trial)])
        expectUnknown(offerSet, index: 0, key: "WorkloadHuge", product: product)
    }

    @Test func offerPricingIsCheckedAgainstTheOffersProduct() async throws {
        let world = World()
        let ami = await world.product(.amiProduct)
        let offer = try await world.draftOffer(product: ami)
        let wrong = try await world.run([C.offerPricing(offer, dimension: "WorkloadSmall")])
        expectUnknown(wrong, index: 0, key: "WorkloadSmall", product: ami)
        let right = try await world.run([C.offerPricing(offer, dimension: "t2.small")])
        #expect(right.status == .succeeded)
    }

    @Test func channelPartnerOfferPricingIsCheckedAgainstTheAuthorizationsProduct() async throws {
        let world = World()
        let product = await world.product(.containerProduct)
        let ra = try await world.activeAuthorization(product: product)
        let created = try await world.run([C.cppo(ra)])
        let offer = try world.createdId(created)
        let description = try await world.run([C.offerPricing(offer, dimension: "m5.large")])
        expectUnknown(description, index: 0, key: "m5.large", product: product)
    }

    /// The public sample offers_create_saas_product_custom_dimension_and_private_offer.json: the
    /// dimension an offer prices may be added by the same change set (products are updated first).
    @Test func aDimensionAddedInTheSameSetCanBePriced() async throws {
        let world = World()
        let product = await world.product(.saasProduct)
        let description = try await world.run([
            C.createOffer(product: product), C.offerPricing("$O.Entity.Identifier", dimension: "Custom4"),
            C.change("AddDimensions", .saasProduct, product, [["Key": "Custom4", "Name": "Custom 4", "Types": ["Entitled"]]]),
        ])
        #expect(description.status == .succeeded, "\(description.changeSet?.compactMap(\.errorDetailList) ?? [])")
        // Without the AddDimensions, the same pricing fails.
        let other = await world.product(.amiProduct)
        let alone = try await world.run([C.createOffer(product: other), C.offerPricing("$O.Entity.Identifier", dimension: "Custom4")])
        expectUnknown(alone, index: 1, key: "Custom4", product: other)
    }

    @Test func anAuthorizationForAllProductsIsNotChecked() async throws {
        let world = World()
        let description = try await world.run([
            C.createRA(product: nil, reseller: "111111111111"),
            C.change("UpdatePricingTerms", .resaleAuthorization, "$RA.Entity.Identifier", Self.raTerms(["AnythingGoes"])),
        ])
        #expect(description.status == .succeeded, "\(description.changeSet?.compactMap(\.errorDetailList) ?? [])")
    }

    @Test func updateDimensionsChangesExistingDimensionsOnly() async throws {
        let world = World()
        let product = await world.product(.saasProduct)
        let renamed = try await world.run([C.change("UpdateDimensions", .saasProduct, product,
            [["Key": "BasicService", "Types": ["Entitled"], "Name": "Some new name", "Description": "Some new description"]])])
        #expect(renamed.status == .succeeded)
        let dimensions = try await world.entity(product)["Dimensions"]?.arrayValue ?? []
        let basic = try #require(dimensions.first { $0["Key"] == "BasicService" })
        #expect(basic["Name"] == "Some new name" && basic["Description"] == "Some new description")
        let unknown = try await world.run([C.change("UpdateDimensions", .saasProduct, product, [["Key": "GoldSupport", "Name": "Gold"]])])
        expectUnknown(unknown, index: 0, key: "GoldSupport", product: product)
        #expect(unknown.changeSet?[0].errorDetailList?.first?.errorMessage?.hasSuffix("add it with AddDimensions") == true)
        let twice = await catalogError {
            try await world.start([C.change("UpdateDimensions", .saasProduct, product, [["Key": "Users", "Name": "a"], ["Key": "Users", "Name": "b"]])])
        }
        #expect(twice?.code == .validation && twice?.message.contains("appears twice") == true)
    }
}
