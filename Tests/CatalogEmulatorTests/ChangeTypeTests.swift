import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

@Suite("Change type effects")
struct ChangeTypeTests {
    @Test func createResaleAuthorizationMakesADraft() async throws {
        let world = World()
        let product = await world.product()
        let description = try await world.run([C.createRA(product: product, reseller: "111111111111", name: "Partner grant")])
        let id = try world.createdId(description)
        let response = try await world.emulator.describeEntity(DescribeEntityRequest(entityId: id))
        #expect(response.entityType == "ResaleAuthorization@1.0")
        #expect(response.entityArn == "arn:aws:aws-marketplace:us-east-1:444455556666:AWSMarketplace/ResaleAuthorization/\(id)")
        #expect(response.lastModifiedDate == "2030-01-01T00:00:05Z")
        let d = try #require(response.detailsDocument)
        #expect(response.details.map { try? JSONValue(detailsString: $0) } == d)
        #expect(d["Status"] == "Draft")
        #expect(d["Name"] == "Partner grant")
        #expect(d["ProductId"] == .string(product))
        #expect(d["ProductName"]?.stringValue?.isEmpty == false)
        #expect(d["ManufacturerAccountId"] == "444455556666")
        #expect(d["ResellerAccountId"] == "111111111111")
        #expect(d["ResellerLegalName"]?.stringValue?.isEmpty == false)
        #expect(d["CreatedDate"] == "2030-01-01T00:00:05Z")
        #expect(d["OfferDetails"] == ["OfferExtendedStatus": "NoOffersCreated", "OfferCreatedCount": 0])
        #expect(d["Rules"]?[1] == ["Type": "PartnerTargetingRule", "PositiveTargeting": ["SellerAccounts": ["111111111111"]]])
    }

    @Test func resaleAuthorizationUpdatesWhileDraft() async throws {
        let world = World()
        let ra = try await world.draftAuthorization()
        let end = world.day(90)
        let description = try await world.run([
            C.change("UpdateInformation", .resaleAuthorization, ra, ["Name": "Renamed", "Description": "New text",
                                                                    "PreExistingBuyerAgreement": ["AcquisitionChannel": "AwsMarketplace", "PricingModel": "Contract"]]),
            C.raPricing(ra), C.raLegal(ra),
            C.change("UpdatePaymentScheduleTerms", .resaleAuthorization, ra, ["Terms": [["Type": "ResalePaymentScheduleTerm", "CurrencyCode": "USD",
                "Schedule": [["ChargeDate": .string(world.day(10)), "ChargeAmount": "200.00"]]]]]),
            C.raAvailability(ra, endDate: end, maxOffers: 1),
            C.change("UpdateBuyerTargetingTerms", .resaleAuthorization, ra, ["Terms": [["Type": "BuyerTargetingTerm",
                "PositiveTargeting": ["BuyerAccounts": ["222222222222"]]]]]),
            C.change("UpdateBuyerValidityTerms", .resaleAuthorization, ra, ["Terms": [["Type": "BuyerValidityTerm", "AgreementDuration": "P12M"]]]),
            C.change("UpdateNetPaymentTerms", .resaleAuthorization, ra, ["Terms": [["Type": "NetPaymentTerm", "PaymentTermDays": 30]]]),
        ])
        #expect(description.status == .succeeded)
        let d = try await world.entity(ra)
        #expect(d["Name"] == "Renamed")
        #expect(d["Description"] == "New text")
        #expect(d["PreExistingBuyerAgreement"]?["AcquisitionChannel"] == "AwsMarketplace")
        #expect(d["PricingModel"] == "Contract")
        let types = d["Terms"]?.arrayValue?.compactMap { $0["Type"]?.stringValue } ?? []
        #expect(types == ["ResaleConfigurableUpfrontPricingTerm", "BuyerLegalTerm", "ResalePaymentScheduleTerm", "BuyerTargetingTerm",
                          "BuyerValidityTerm", "NetPaymentTerm"])
        #expect(d["Rules"]?[0] == ["Type": "AvailabilityRule", "AvailabilityEndDate": .string(end), "OffersMaxQuantity": 1])
        // UpdatePricingTerms replaces the terms of its category.
        _ = try await world.run([C.change("UpdatePricingTerms", .resaleAuthorization, ra, [
            "PricingModel": "Usage",
            "Terms": [["Type": "ResaleUsageBasedPricingTerm", "CurrencyCode": "USD", "RateCards": [["RateCard": [["DimensionKey": "Users", "Price": "1"]]]]]],
        ])])
        let after = try await world.entity(ra)
        #expect(after["PricingModel"] == "Usage")
        #expect(after["Terms"]?[0]?["Type"] == "ResaleUsageBasedPricingTerm")
        #expect(after["Terms"]?.arrayValue?.count == 6)
    }

    @Test func releaseThenRestrict() async throws {
        let world = World()
        let ra = try await world.activeAuthorization()
        var d = try await world.entity(ra)
        #expect(d["Status"] == "Active")
        #expect(d["ReleaseDate"] != nil)
        _ = try await world.run([C.restrict(ra)])
        d = try await world.entity(ra)
        #expect(d["Status"] == "Restricted")
    }

    @Test func authorizationForAllProducts() async throws {
        let world = World()
        let description = try await world.run([C.createRA(product: nil, reseller: "111111111111")])
        let d = try await world.entity(try world.createdId(description))
        #expect(d["ProductId"] == nil)
        #expect(d["Status"] == "Draft")
    }

    @Test func privateOfferLifecycle() async throws {
        let world = World()
        let product = await world.product()
        let end = world.day(60)
        let description = try await world.run([
            C.change("CreateOffer", .offer, nil, ["ProductId": .string(product), "Name": "Draft name"], name: "O"),
            C.change("UpdateInformation", .offer, "$O.Entity.Identifier", ["Name": "Acme private offer", "Description": "For Acme"]),
            C.change("UpdateTargeting", .offer, "$O.Entity.Identifier", ["PositiveTargeting": ["BuyerAccounts": ["111111111111", "222222222222"]]]),
            C.offerLegal("$O.Entity.Identifier"), C.offerPricing("$O.Entity.Identifier"),
            C.change("UpdateAvailability", .offer, "$O.Entity.Identifier", ["AvailabilityEndDate": .string(end)]),
            C.change("UpdatePaymentScheduleTerms", .offer, "$O.Entity.Identifier", ["Terms": [["Type": "PaymentScheduleTerm", "CurrencyCode": "USD",
                "Schedule": [["ChargeDate": .string(world.day(1)), "ChargeAmount": "100"]]]]]),
            C.change("UpdateValidityTerms", .offer, "$O.Entity.Identifier", ["Terms": [["Type": "ValidityTerm", "AgreementDuration": "P365D"]]]),
            C.change("UpdateSupportTerms", .offer, "$O.Entity.Identifier", ["Terms": [["Type": "SupportTerm", "RefundPolicy": "30 days"]]]),
            C.change("UpdateRenewalTerms", .offer, "$O.Entity.Identifier", ["Terms": [["Type": "RenewalTerm"]]]),
            C.change("ReleaseOffer", .offer, "$O.Entity.Identifier", [:]),
        ])
        #expect(description.status == .succeeded)
        let id = try world.createdId(description)
        #expect(id.hasPrefix("offer-") && id.count == 19)
        let d = try await world.entity(id)
        #expect(d["State"] == "Released")
        #expect(d["Name"] == "Acme private offer")
        #expect(d["ProductId"] == .string(product))
        let types = d["Terms"]?.arrayValue?.compactMap { $0["Type"]?.stringValue } ?? []
        #expect(types == ["UsageBasedPricingTerm", "LegalTerm", "PaymentScheduleTerm", "ValidityTerm", "SupportTerm", "RenewalTerm"])
        #expect(d["Rules"] == [["Type": "AvailabilityRule", "DateAvailability": ["EndDate": .string(end + "T23:59:59Z")]],
                               ["Type": "TargetingRule", "PositiveTargeting": ["BuyerAccounts": ["111111111111", "222222222222"]]]])
        // Expire it: a date in the past is how a released offer is expired.
        _ = try await world.run([C.change("UpdateAvailability", .offer, id, ["AvailabilityEndDate": .string(world.day(-1))])])
        #expect(try await world.entity(id)["Rules"]?[0]?["DateAvailability"]?["EndDate"] == .string(world.day(-1) + "T23:59:59Z"))
        // Pricing terms are replaced wholesale.
        _ = try await world.run([C.change("UpdatePricingTerms", .offer, id, [
            "PricingModel": "Free", "Terms": [["Type": "FreeTrialPricingTerm", "Duration": "P21D", "Grants": [["DimensionKey": "WorkloadSmall"]]]],
        ])])
        let repriced = try await world.entity(id)
        #expect(repriced["PricingModel"] == "Free")
        #expect(repriced["Terms"]?[0]?["Type"] == "FreeTrialPricingTerm")
        #expect(repriced["Terms"]?.arrayValue?.filter { $0["Type"] == "UsageBasedPricingTerm" }.isEmpty == true)
    }

    @Test func channelPartnerOfferInheritsTheAuthorization() async throws {
        let world = World()
        let product = await world.product()
        let ra = try await world.activeAuthorization(product: product)
        let description = try await world.run([
            C.change("CreateOfferUsingResaleAuthorization", .offer, nil, ["ResaleAuthorizationId": .string(ra), "Name": "CPPO"], name: "O"),
            C.change("UpdateMarkup", .offer, "$O.Entity.Identifier", ["Percentage": "5.0"]),
            C.change("UpdateTargeting", .offer, "$O.Entity.Identifier", ["PositiveTargeting": ["BuyerAccounts": ["222222222222"]]]),
            C.change("ReleaseOffer", .offer, "$O.Entity.Identifier", [:]),
        ])
        #expect(description.status == .succeeded)
        let offer = try world.createdId(description)
        let d = try await world.entity(offer)
        #expect(d["ResaleAuthorizationId"] == .string(ra))
        #expect(d["ProductId"] == .string(product))
        #expect(d["Markup"] == ["Percentage": "5.0"])
        #expect(d["State"] == "Released")
        let types = d["Terms"]?.arrayValue?.compactMap { $0["Type"]?.stringValue } ?? []
        #expect(types == ["ConfigurableUpfrontPricingTerm", "LegalTerm"])
        let raDetails = try await world.entity(ra)
        #expect(raDetails["OfferDetails"] == ["OfferExtendedStatus": "OffersCreated", "OfferCreatedCount": 1])
        // The authorization's revision grows too: its OfferDetails changed.
        #expect(try await world.emulator.describeEntity(DescribeEntityRequest(entityId: ra)).entityIdentifier == "\(ra)@2")
    }

    @Test func replacementOffers() async throws {
        let world = World()
        let agreement = try #require(await world.inventory().agreements.first)
        let plain = try await world.run([C.change("CreateReplacementOffer", .offer, nil, ["AgreementId": .string(agreement.id)])])
        let offer = try await world.entity(try world.createdId(plain))
        #expect(offer["AgreementId"] == .string(agreement.id))
        #expect(offer["ProductId"] == .string(agreement.productId))
        let ra = try await world.activeAuthorization(product: agreement.productId)
        let viaRA = try await world.run([C.change("CreateReplacementOfferUsingResaleAuthorization", .offer, nil,
                                                  ["AgreementId": .string(agreement.id), "ResaleAuthorizationId": .string(ra)])])
        let cppo = try await world.entity(try world.createdId(viaRA))
        #expect(cppo["ResaleAuthorizationId"] == .string(ra))
        #expect(cppo["AgreementId"] == .string(agreement.id))
    }

    @Test func productCreationAndRelease() async throws {
        let world = World()
        let description = try await world.run([
            C.change("CreateProduct", .saasProduct, nil, [:], name: "P"),
            C.change("UpdateInformation", .saasProduct, "$P.Entity.Identifier", ["ProductTitle": "New SaaS", "ShortDescription": "Short"]),
            C.change("UpdateTargeting", .saasProduct, "$P.Entity.Identifier", ["PositiveTargeting": ["BuyerAccounts": ["111111111111"]]]),
            C.change("AddDeliveryOptions", .saasProduct, "$P.Entity.Identifier",
                     ["DeliveryOptions": [["Details": ["SaaSUrlDeliveryOptionDetails": ["FulfillmentUrl": "https://example.com"]]]]]),
            C.change("AddDimensions", .saasProduct, "$P.Entity.Identifier", [["Key": "seats", "Name": "Seats", "Unit": "Users", "Types": ["Entitled"]]]),
            C.change("ReleaseProduct", .saasProduct, "$P.Entity.Identifier", [:]),
            C.change("CreateOffer", .offer, nil, ["ProductId": "$P.Entity.Identifier"], name: "O"),
            C.offerPricing("$O.Entity.Identifier", dimension: "seats"), C.offerLegal("$O.Entity.Identifier"),
            C.change("ReleaseOffer", .offer, "$O.Entity.Identifier", [:]),
        ])
        #expect(description.status == .succeeded, "\(description.changeSet?.compactMap(\.errorDetailList) ?? [])")
        let product = try world.createdId(description)
        #expect(product.hasPrefix("prod-"))
        let d = try await world.entity(product)
        #expect(d["Description"]?["ProductTitle"] == "New SaaS")
        #expect(d["Description"]?["Visibility"] == "Limited")
        #expect(d["Dimensions"]?[0]?["Key"] == "seats")
        let offer = try await world.entity(try world.createdId(description, 6))
        #expect(offer["ProductId"] == .string(product))
        #expect(offer["State"] == "Released")
    }

    @Test func offersOfADraftProductCannotBeReleased() async throws {
        let world = World()
        let created = try await world.run([C.change("CreateProduct", .saasProduct, nil, [:], name: "P")])
        let product = try world.createdId(created)
        let description = try await world.run([C.createOffer(product: product), C.offerPricing("$O.Entity.Identifier"),
                                               C.offerLegal("$O.Entity.Identifier"), C.change("ReleaseOffer", .offer, "$O.Entity.Identifier", [:])])
        #expect(description.status == .failed)
        #expect(description.changeSet?[3].errorDetailList?.first?.errorCode == "INCOMPATIBLE_STATUS")
        #expect(description.changeSet?[3].errorDetailList?.first?.errorMessage?.contains("still Draft") == true)
    }

    @Test func addDimensionsToExistingProducts() async throws {
        let world = World()
        let ami = await world.product(.amiProduct)
        let description = try await world.run([C.change("AddDimensions", .amiProduct, ami,
            [["Key": "m7g.8xlarge", "Name": "m7g.8xlarge", "Description": "m7g.8xlarge", "Unit": "Hrs", "Types": ["Metered"]]])])
        #expect(description.status == .succeeded)
        #expect(await world.inventory().products.first { $0.id == ami }?.dimensionKeys.contains("m7g.8xlarge") == true)
        let again = try await world.run([C.change("AddDimensions", .amiProduct, ami, [["Key": "t2.micro", "Name": "t2.micro", "Types": ["Metered"]]])])
        #expect(again.changeSet?[0].errorDetailList?.first?.errorCode == "DUPLICATE_DIMENSION_KEY")
    }

    /// A standard EULA on an authorization is a BuyerLegalTerm holding the samples' StandardEula
    /// document; `LegalTerm` is an offer's term and is refused on an authorization (public samples:
    /// resale_authorization_* use BuyerLegalTerm, offers_* LegalTerm).
    @Test func standardEulaOfAnAuthorizationIsABuyerLegalTerm() async throws {
        let world = World()
        let product = await world.product()
        let standard: JSONValue = ["Type": "StandardEula", "Version": "2022-07-14"]
        let description = try await world.run([
            C.createRA(product: product, reseller: "111111111111"), C.raPricing("$RA.Entity.Identifier"),
            C.change("UpdateLegalTerms", .resaleAuthorization, "$RA.Entity.Identifier",
                     ["Terms": [["Type": "BuyerLegalTerm", "Documents": [standard]]]]),
            C.release("$RA.Entity.Identifier"),
        ])
        #expect(description.status == .succeeded, "\(description.changeSet?.compactMap(\.errorDetailList) ?? [])")
        let ra = try world.createdId(description)
        let terms = try await world.entity(ra)["Terms"]?.arrayValue ?? []
        #expect(terms.contains { $0["Type"] == "BuyerLegalTerm" && $0["Documents"] == [standard] })
        let offerTerm = await catalogError {
            try await world.start([C.change("UpdateLegalTerms", .resaleAuthorization, ra,
                                            ["Terms": [["Type": "LegalTerm", "Documents": [standard]]]])])
        }
        #expect(offerTerm?.code == .validation)
        #expect(offerTerm?.message.contains("BuyerLegalTerm") == true, "\(offerTerm?.message ?? "")")
    }

    @Test func releasedOfferCannotBeReleasedAgain() async throws {
        let world = World()
        let offer = try await world.releasedOffer()
        let description = try await world.run([C.change("ReleaseOffer", .offer, offer, [:])])
        #expect(description.changeSet?[0].errorDetailList?.first?.errorCode == "INCOMPATIBLE_STATUS")
    }

    @Test func validateIntentChecksWithoutApplying() async throws {
        let world = World()
        let ami = await world.product(.amiProduct)
        let change = C.change("AddDeliveryOptions", .amiProduct, ami, [
            "Version": ["VersionTitle": "2.0", "ReleaseNotes": "notes"],
            "DeliveryOptions": [["Details": ["AmiDeliveryOptionDetails": ["AmiSource": ["AmiId": "ami-1234567890abcdef"]]]]],
        ])
        let response = try await world.emulator.startChangeSet(StartChangeSetRequest(changeSet: [change], intent: .validate))
        world.settle()
        let description = try await world.describe(try #require(response.changeSetId))
        #expect(description.status == .succeeded)
        #expect(description.intent == .validate)
        #expect(description.changeSet?[0].entity?.identifier == ami) // nothing applied: no new revision
        #expect(try await world.entity(ami)["DeliveryOptions"] == [])
        _ = try await world.run([change])
        #expect(try await world.entity(ami)["DeliveryOptions"]?.arrayValue?.count == 1)
    }
}
