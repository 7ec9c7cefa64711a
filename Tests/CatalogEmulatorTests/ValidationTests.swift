import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

@Suite("Synchronous validation")
struct ValidationTests {
    /// Expects StartChangeSet to fail with `code` and a message containing `fragment`, and no change set to exist.
    func expectRejected(_ world: World, _ request: StartChangeSetRequest, _ code: CatalogError.Code = .validation,
                        mentions fragment: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let before = try await world.emulator.listChangeSets(ListChangeSetsRequest()).changeSetSummaryList?.count ?? 0
        let error = await catalogError { try await world.emulator.startChangeSet(request) }
        #expect(error?.code == code, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.message.contains(fragment) == true, "message: \(error?.message ?? "none")", sourceLocation: sourceLocation)
        if code == .validation { #expect(error?.httpStatus == 422, sourceLocation: sourceLocation) }
        let after = try await world.emulator.listChangeSets(ListChangeSetsRequest()).changeSetSummaryList?.count ?? 0
        #expect(after == before, "a rejected request must create no change set", sourceLocation: sourceLocation)
    }

    func request(_ changes: [Change], name: String? = nil, token: String? = nil, catalog: String = "AWSMarketplace") -> StartChangeSetRequest {
        StartChangeSetRequest(catalog: catalog, changeSet: changes, changeSetName: name, clientRequestToken: token)
    }

    @Test func catalogMustBeAWSMarketplace() async throws {
        let world = World()
        let product = await world.product()
        try await expectRejected(world, request([C.createOffer(product: product)], catalog: "AWSMarketplaceX"), mentions: "catalog")
    }

    @Test func oneToTwentyChanges() async throws {
        let world = World()
        let product = await world.product()
        try await expectRejected(world, request([]), mentions: "changeSet")
        let many = (0..<21).map { C.createRA(product: product, reseller: "111111111111", changeName: "R\($0)") }
        try await expectRejected(world, request(many), mentions: "less than or equal to 20")
        let twenty = Array(many.prefix(20))
        _ = try await world.emulator.startChangeSet(request(twenty))
    }

    @Test func changeTypeAndEntityTypeFormats() async throws {
        let world = World()
        let product = await world.product()
        var lower = C.createOffer(product: product)
        lower.changeType = "createOffer"
        try await expectRejected(world, request([lower]), mentions: "ChangeType 'createOffer'")
        for (type, fragment) in [("Offer", "with its version"), ("Offer@2.0", "version 2.0 does not exist"),
                                 ("DataProduct@1.0", "not supported by the Catalog emulator"), ("Gadget@1.0", "not a known entity type"),
                                 ("Offer@1", "with its version")] {
            var change = C.createOffer(product: product)
            change.entity.type = type
            try await expectRejected(world, request([change]), mentions: fragment)
        }
        let wrongType = C.change("ReleaseOffer", .resaleAuthorization, "resaleauthz-abc", [:])
        try await expectRejected(world, request([wrongType]), mentions: "is not valid for entity type ResaleAuthorization@1.0")
    }

    @Test func exactlyOneOfDetailsAndDetailsDocument() async throws {
        let world = World()
        let product = await world.product()
        var both = C.createOffer(product: product)
        both.details = "{\"ProductId\":\"\(product)\"}"
        try await expectRejected(world, request([both]), mentions: "not both")
        var neither = C.createOffer(product: product)
        neither.detailsDocument = nil
        try await expectRejected(world, request([neither]), mentions: "Details or DetailsDocument is required")
        var array = C.createOffer(product: product)
        array.detailsDocument = nil
        array.details = "[1, 2]"
        try await expectRejected(world, request([array]), mentions: "JSON object")
        var broken = C.createOffer(product: product)
        broken.detailsDocument = nil
        broken.details = "{\"ProductId\": }"
        try await expectRejected(world, request([broken]), mentions: "not valid JSON")
        var asString = C.createOffer(product: product)
        asString.detailsDocument = nil
        asString.details = "{\"ProductId\":\"\(product)\"}"
        let id = try await world.start([asString])
        world.settle()
        let description = try await world.describe(id)
        #expect(description.status == .succeeded)
        #expect(description.changeSet?[0].details == asString.details)
        #expect(description.changeSet?[0].detailsDocument == nil)
    }

    @Test func changeNamesAndReferences() async throws {
        let world = World()
        let product = await world.product()
        let create = C.createRA(product: product, reseller: "111111111111")
        try await expectRejected(world, request([create, C.createRA(product: product, reseller: "222222222222")]),
                                 mentions: "ChangeName 'RA' is already used")
        var badName = create
        badName.changeName = "my-change"
        try await expectRejected(world, request([badName]), mentions: "letters and digits")
        try await expectRejected(world, request([create, C.raPricing("$Nobody.Entity.Identifier")]), mentions: "no change in this change set has ChangeName 'Nobody'")
        let named = C.change("UpdateInformation", .resaleAuthorization, try await world.draftAuthorization(), ["Name": "N"], name: "Upd")
        try await expectRejected(world, request([named, C.raPricing("$Upd.Entity.Identifier")]), mentions: "does not create an entity")
        try await expectRejected(world, request([create, C.offerPricing("$RA.Entity.Identifier")]),
                                 mentions: "refers to a ResaleAuthorization@1.0 entity, but this change targets Offer@1.0")
        try await expectRejected(world, request([create, C.raPricing("$RA.Entity")]), mentions: "not a reference")
    }

    @Test func identifiersOfCreatesAndUpdates() async throws {
        let world = World()
        let product = await world.product()
        var withId = C.createOffer(product: product)
        withId.entity.identifier = "offer-abc"
        try await expectRejected(world, request([withId]), mentions: "must not have Entity.Identifier")
        try await expectRejected(world, request([C.offerPricing("")]), mentions: "Entity.Identifier is required")
        try await expectRejected(world, request([C.offerPricing("offer/abc")]), mentions: "must match")
    }

    @Test func sameChangeTypeTwiceOnOneEntity() async throws {
        let world = World()
        let product = await world.product()
        let ra = try await world.draftAuthorization()
        try await expectRejected(world, request([C.raPricing(ra), C.raPricing("\(ra)@1")]), mentions: "more than once")
        let create = C.createRA(product: product, reseller: "111111111111")
        try await expectRejected(world, request([create, C.raPricing("$RA.Entity.Identifier"), C.raPricing("$RA.Entity.Identifier")]),
                                 mentions: "more than once")
        // Different change types on one entity are fine.
        _ = try await world.start([create, C.raPricing("$RA.Entity.Identifier"), C.raLegal("$RA.Entity.Identifier")])
    }

    @Test func clientRequestTokenFormat() async throws {
        let world = World()
        let product = await world.product()
        let change = C.createOffer(product: product)
        try await expectRejected(world, request([change], token: ""), mentions: "clientRequestToken")
        try await expectRejected(world, request([change], token: String(repeating: "t", count: 65)), mentions: "clientRequestToken")
        try await expectRejected(world, request([change], token: "has space"), mentions: "clientRequestToken")
        try await expectRejected(world, request([change], token: "tøken"), mentions: "clientRequestToken")
        _ = try await world.emulator.startChangeSet(request([change], token: String(repeating: "!", count: 64)))
    }

    @Test func changeSetNameFormat() async throws {
        let world = World()
        let product = await world.product()
        let change = C.createOffer(product: product)
        try await expectRejected(world, request([change], name: "a/b"), mentions: "changeSetName")
        try await expectRejected(world, request([change], name: String(repeating: "n", count: 101)), mentions: "changeSetName")
        _ = try await world.emulator.startChangeSet(request([change], name: "bulk-2030_01:run@1 +=.x"))
    }

    @Test func malformedDetailsForKnownChangeTypes() async throws {
        let world = World()
        let product = await world.product()
        let ra = try await world.draftAuthorization()
        let cases: [(Change, String)] = [
            (C.change("CreateResaleAuthorization", .resaleAuthorization, nil, ["ProductId": .string(product), "Name": "N"]),
             "ResellerAccountId: is required"),
            (C.change("CreateResaleAuthorization", .resaleAuthorization, nil,
                      ["ProductId": .string(product), "Name": "N", "ResellerAccountId": "12345678901"]), "not a 12-digit AWS account id"),
            (C.change("CreateResaleAuthorization", .resaleAuthorization, nil,
                      ["ProductId": .string(product), "Name": "N", "ResellerAccountId": 111111111111]), "expected a string, found the number"),
            (C.change("CreateResaleAuthorization", .resaleAuthorization, nil,
                      ["ProductId": .string(product), "Nmae": "N", "ResellerAccountId": "111111111111"]), "Name: is required"),
            (C.change("CreateResaleAuthorization", .resaleAuthorization, nil,
                      ["ProductId": .string(product), "Name": "N", "ResellerAccountId": "111111111111", "Colour": "red"]),
             "Colour: is not a recognized field"),
            (C.change("UpdateAvailability", .resaleAuthorization, ra, ["OffersMaxQuantity": "1"]), "OffersMaxQuantity: expected an integer"),
            (C.change("UpdateAvailability", .resaleAuthorization, ra, [:]), "needs at least one of AvailabilityEndDate, OffersMaxQuantity"),
            (C.change("UpdatePricingTerms", .resaleAuthorization, ra, ["PricingModel": "Contract", "Terms": []]), "Terms: must not be empty"),
            (C.change("UpdatePricingTerms", .resaleAuthorization, ra, [
                "PricingModel": "Contract",
                "Terms": [["Type": "ResaleFixedUpfrontPricingTerm", "CurrencyCode": "USD", "Price": 10, "Grants": [["DimensionKey": "Users"]]]],
            ]), "Terms[0].Price: expected a string"),
            (C.change("UpdatePricingTerms", .resaleAuthorization, ra, [
                "PricingModel": "Contract",
                "Terms": [["Type": "ResaleFixedUpfrontPricingTerm", "CurrencyCode": "usd", "Price": "10", "Grants": [["DimensionKey": "Users"]]]],
            ]), "not a supported currency code"),
            (C.change("UpdatePricingTerms", .resaleAuthorization, ra, [
                "PricingModel": "Contract", "Terms": [["Type": "FixedUpfrontPricingTerm"]],
            ]), "\"FixedUpfrontPricingTerm\" is not valid here"),
            (C.change("UpdatePricingTerms", .resaleAuthorization, ra, [
                "PricingModel": "Contract",
                "Terms": [["Type": "ResaleFixedUpfrontPricingTerm", "CurrencyCode": "USD", "Price": "1,000.00", "Grants": [["DimensionKey": "Users"]]]],
            ]), "is not an amount"),
            (C.change("UpdateLegalTerms", .resaleAuthorization, ra, ["Terms": [["Type": "BuyerLegalTerm", "Documents": [["Type": "CustomEula"]]]]]),
             "Terms[0].Documents[0].Url: is required"),
            (C.change("UpdateBuyerTargetingTerms", .resaleAuthorization, ra, ["Terms": [["Type": "BuyerTargetingTerm",
                "PositiveTargeting": ["BuyerAccounts": .array((0..<26).map { .string(String(format: "%012d", 100000000000 + $0)) })]]]]),
             "has 26 items; at most 25"),
            (C.change("ReleaseResaleAuthorization", .resaleAuthorization, ra, ["Now": true]), "is not a recognized field (expected an empty object)"),
            (C.change("UpdateValidityTerms", .offer, "$O.Entity.Identifier", ["Terms": [["Type": "ValidityTerm", "AgreementDuration": "12 months"]]]),
             "not an ISO 8601 duration"),
            (C.change("AddDimensions", .saasProduct, product, ["Key": "k"]), "expected an array"),
            (C.change("AddDimensions", .saasProduct, product, [["Key": "k", "Name": "n", "Types": ["Entitled"]], ["Key": "k", "Name": "m", "Types": ["Entitled"]]]),
             "Key 'k' appears twice"),
            (C.change("UpdateTargeting", .offer, "$O.Entity.Identifier", ["PositiveTargeting": ["CountryCodes": ["usa"]]]), "country code"),
            (C.change("UpdateMarkup", .offer, "$O.Entity.Identifier", ["Percentage": 5]), "Percentage: expected a string"),
        ]
        for (change, fragment) in cases {
            var changes = [change]
            if change.entity.identifier == "$O.Entity.Identifier" { changes.insert(C.createOffer(product: product), at: 0) }
            try await expectRejected(world, request(changes), mentions: fragment)
        }
    }

    @Test func datesInThePast() async throws {
        let world = World()
        let ra = try await world.draftAuthorization()
        try await expectRejected(world, request([C.raAvailability(ra, endDate: world.day(-1))]), mentions: "is in the past")
        try await expectRejected(world, request([C.raAvailability(ra, endDate: "12/31/2031")]), mentions: "not a date in YYYY-MM-DD format")
        try await expectRejected(world, request([C.raAvailability(ra, endDate: "2031-02-30")]), mentions: "not a date")
        let product = await world.product()
        try await expectRejected(world, request([C.createOffer(product: product),
                                                 C.change("UpdateAvailability", .offer, "$O.Entity.Identifier", ["AvailabilityEndDate": .string(world.day(-3))])]),
                                 mentions: "a new offer cannot start expired")
        let schedule: JSONValue = ["Terms": [["Type": "ResalePaymentScheduleTerm", "CurrencyCode": "USD",
                                              "Schedule": [["ChargeDate": .string(world.day(-1)), "ChargeAmount": "10.00"]]]]]
        try await expectRejected(world, request([C.change("UpdatePaymentScheduleTerms", .resaleAuthorization, ra, schedule)]), mentions: "ChargeDate")
        // Today is not in the past.
        _ = try await world.start([C.raAvailability(ra, endDate: world.day(0))])
    }

    @Test("resale authorization names: 1–100 characters, no special characters",
          arguments: ["say \"hi\"", "it's", "a<b", "a>b", "{x}", "[x]", "back\\slash", "pipe|d", "caret^", "tilde~", "back`tick", "$money", "bell\u{07}", "tab\there"])
    func resaleAuthorizationNameSpecialCharacters(name: String) async throws {
        let world = World()
        let product = await world.product()
        try await expectRejected(world, request([C.createRA(product: product, reseller: "111111111111", name: name)]),
                                 mentions: "special character")
    }

    @Test func resaleAuthorizationNameLength() async throws {
        let world = World()
        let product = await world.product()
        try await expectRejected(world, request([C.createRA(product: product, reseller: "111111111111", name: "")]), mentions: "must not be empty")
        try await expectRejected(world, request([C.createRA(product: product, reseller: "111111111111", name: String(repeating: "x", count: 101))]),
                                 mentions: "at most 100")
        _ = try await world.start([C.createRA(product: product, reseller: "111111111111", name: String(repeating: "x", count: 100))])
        _ = try await world.start([C.createRA(product: product, reseller: "111111111111", name: "Ünïcode & (parentheses), dots. OK!", changeName: "B")])
    }

    @Test func unknownEntitiesAndProducts() async throws {
        let world = World()
        let inventory = await world.inventory()
        let foreign = try #require(inventory.products.first { !$0.isOwned })
        try await expectRejected(world, request([C.createRA(product: "prod-doesnotexist", reseller: "111111111111")]),
                                 .resourceNotFound, mentions: "product prod-doesnotexist does not exist")
        try await expectRejected(world, request([C.createOffer(product: "prod-doesnotexist")]), .resourceNotFound, mentions: "prod-doesnotexist")
        try await expectRejected(world, request([C.raPricing("resaleauthz-doesnotexist")]), .resourceNotFound, mentions: "resaleauthz-doesnotexist")
        try await expectRejected(world, request([C.cppo("resaleauthz-doesnotexist")]), .resourceNotFound, mentions: "resaleauthz-doesnotexist")
        try await expectRejected(world, request([C.change("CreateReplacementOffer", .offer, nil, ["AgreementId": "agmt-nope"])]),
                                 .resourceNotFound, mentions: "agreement agmt-nope")
        try await expectRejected(world, request([C.createRA(product: foreign.id, reseller: "111111111111")]), .accessDenied, mentions: "another account")
        try await expectRejected(world, request([C.change("UpdateInformation", .saasProduct, foreign.id, ["ProductTitle": "Mine"])]),
                                 .accessDenied, mentions: "another account")
        let offer = try #require(inventory.offers.first)
        try await expectRejected(world, request([C.raPricing(offer.id)]), mentions: "is an Offer@1.0 entity, not ResaleAuthorization@1.0")
    }

    @Test func markupOnlyOnChannelPartnerOffers() async throws {
        let world = World()
        let offer = try await world.releasedOffer()
        try await expectRejected(world, request([C.change("UpdateMarkup", .offer, offer, ["Percentage": "5.0"])]), mentions: "channel partner offers")
        let ra = try await world.activeAuthorization()
        _ = try await world.start([C.cppo(ra), C.change("UpdateMarkup", .offer, "$O.Entity.Identifier", ["Percentage": "5.0"])])
    }

    @Test func intentValidateOnlyForAmiVersions() async throws {
        let world = World()
        let product = await world.product()
        var validate = request([C.createOffer(product: product)])
        validate.intent = .validate
        try await expectRejected(world, validate, mentions: "Intent VALIDATE")
    }
}
