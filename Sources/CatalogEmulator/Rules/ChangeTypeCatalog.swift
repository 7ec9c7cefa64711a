/// When a change is applied within its change set: the service orders changes itself —
/// creates first, then updates, then releases and restrictions (in the public sample the
/// release is listed second but applied last).
enum ChangePhase: Int, Sendable, Comparable {
    case create = 0
    case update = 1
    case finish = 2

    static func < (lhs: ChangePhase, rhs: ChangePhase) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One change type the emulator accepts for one entity type: when it is applied and the shape
/// of its details.
struct ChangeTypeRule: Sendable {
    /// `CreateResaleAuthorization`, `UpdatePricingTerms` …
    var name: String
    var phase: ChangePhase
    var details: DetailsSchema

    /// Whether the change creates its entity (it has no Entity.Identifier).
    var creates: Bool { phase == .create }
}

/// The change types of the modelled entity types, with their details schemas (AWS Marketplace
/// API reference: "Working with resale authorizations", "Working with private offers",
/// "Working with channel partner offers", "Working with SaaS/AMI/container products", and the
/// public reference change sets).
enum ChangeTypeCatalog {
    /// The rule for `changeType` on `kind`, if the emulator models it.
    static func rule(_ changeType: String, for kind: EntityKind) -> ChangeTypeRule? {
        rules[kind]?[changeType]
    }

    /// The change types accepted for `kind`, sorted.
    static func changeTypes(for kind: EntityKind) -> [String] {
        (rules[kind] ?? [:]).keys.sorted()
    }

    private static let rules: [EntityKind: [String: ChangeTypeRule]] = {
        var table: [EntityKind: [String: ChangeTypeRule]] = [:]
        func add(_ kind: EntityKind, _ name: String, _ phase: ChangePhase, _ details: DetailsSchema) {
            table[kind, default: [:]][name] = ChangeTypeRule(name: name, phase: phase, details: details)
        }
        // Resale authorizations.
        add(.resaleAuthorization, "CreateResaleAuthorization", .create, .object(ObjectShape(
            required: [("Name", .string(.resaleAuthorizationName)), ("ResellerAccountId", .string(.accountId))],
            optional: [("ProductId", .string(.entityId(prefix: "prod-", allowReference: false))),
                       ("Description", .string(.text(min: 1, max: 255)))])))
        add(.resaleAuthorization, "UpdateInformation", .update, .object(ObjectShape(
            optional: [("Name", .string(.resaleAuthorizationName)), ("Description", .string(.text(min: 1, max: 255))),
                       ("PreExistingBuyerAgreement", .object(ObjectShape(
                        required: [("AcquisitionChannel", .string(.oneOf(["AwsMarketplace", "External"]))),
                                   ("PricingModel", .string(.oneOf(["Contract", "Usage", "Byol", "Free"])))])))],
            nonEmpty: true)))
        add(.resaleAuthorization, "UpdatePricingTerms", .update, .object(ObjectShape(
            required: [("PricingModel", .string(.oneOf(["Contract", "Usage", "Byol", "Free"]))),
                       ("Terms", .array(.tagged(resalePricingTerms), min: 1, max: 10))])))
        add(.resaleAuthorization, "UpdatePaymentScheduleTerms", .update, termsList(["ResalePaymentScheduleTerm": paymentSchedule]))
        // An authorization's EULA is a BuyerLegalTerm, its reseller contract a ResaleLegalTerm (every
        // resale_authorization_* public sample; shared/docs/catalog-api.md); an offer's EULA is a
        // LegalTerm (the offers_* samples). A LegalTerm on an authorization is refused.
        add(.resaleAuthorization, "UpdateLegalTerms", .update, termsList([
            "BuyerLegalTerm": ObjectShape(required: [("Documents", .array(.tagged(eulaDocuments), min: 1, max: 5))]),
            "ResaleLegalTerm": ObjectShape(required: [("Documents", .array(.tagged(resellerContractDocuments), min: 1, max: 5))]),
        ], max: 2))
        add(.resaleAuthorization, "UpdateAvailability", .update, .object(ObjectShape(
            optional: [("AvailabilityEndDate", .string(.date(notPast: true))),
                       ("OffersMaxQuantity", .integer(min: 1, max: 100_000))],
            nonEmpty: true)))
        add(.resaleAuthorization, "UpdateBuyerTargetingTerms", .update, termsList([
            "BuyerTargetingTerm": ObjectShape(required: [("PositiveTargeting", .object(ObjectShape(
                required: [("BuyerAccounts", .array(.string(.accountId), min: 1, max: 25))])))]),
        ], max: 1))
        add(.resaleAuthorization, "UpdateBuyerValidityTerms", .update, termsList([
            "BuyerValidityTerm": ObjectShape(optional: [("AgreementDuration", .string(.duration)),
                                                        ("AgreementEndDate", .string(.date(notPast: true)))], nonEmpty: true),
        ], max: 1))
        add(.resaleAuthorization, "UpdateNetPaymentTerms", .update, termsList([
            "NetPaymentTerm": ObjectShape(required: [("PaymentTermDays", .integer(min: 0, max: 180))]),
        ], max: 1))
        add(.resaleAuthorization, "ReleaseResaleAuthorization", .finish, .object(ObjectShape()))
        add(.resaleAuthorization, "RestrictResaleAuthorization", .finish, .object(ObjectShape()))

        // Offers.
        add(.offer, "CreateOffer", .create, .object(ObjectShape(
            required: [("ProductId", .string(.entityId(prefix: "prod-", allowReference: true)))],
            optional: [("Name", .string(.text(min: 1, max: 150))), ("Description", .string(.text(min: 1, max: 255)))])))
        add(.offer, "CreateOfferUsingResaleAuthorization", .create, .object(ObjectShape(
            required: [("ResaleAuthorizationId", .string(.entityId(prefix: "resaleauthz-", allowReference: true)))],
            optional: [("Name", .string(.text(min: 1, max: 150))), ("Description", .string(.text(min: 1, max: 255)))])))
        add(.offer, "CreateReplacementOffer", .create, .object(ObjectShape(
            required: [("AgreementId", .string(.agreementId))],
            optional: [("Name", .string(.text(min: 1, max: 150)))])))
        add(.offer, "CreateReplacementOfferUsingResaleAuthorization", .create, .object(ObjectShape(
            required: [("AgreementId", .string(.agreementId)),
                       ("ResaleAuthorizationId", .string(.entityId(prefix: "resaleauthz-", allowReference: true)))],
            optional: [("Name", .string(.text(min: 1, max: 150)))])))
        add(.offer, "UpdateInformation", .update, .object(ObjectShape(
            optional: [("Name", .string(.text(min: 1, max: 150))), ("Description", .string(.text(min: 1, max: 255)))],
            nonEmpty: true)))
        add(.offer, "UpdateTargeting", .update, .object(ObjectShape(
            required: [("PositiveTargeting", .object(ObjectShape(
                optional: [("BuyerAccounts", .array(.string(.accountId), min: 1, max: 25)),
                           ("CountryCodes", .array(.string(.countryCode), min: 1, max: 250)),
                           ("ParticipatingPrograms", .array(.string(.text(min: 1, max: 64)), min: 1, max: 10))],
                nonEmpty: true)))])))
        add(.offer, "UpdateLegalTerms", .update, termsList([
            "LegalTerm": ObjectShape(required: [("Documents", .array(.tagged(eulaDocuments), min: 1, max: 5))]),
        ], max: 1))
        add(.offer, "UpdateAvailability", .update, .object(ObjectShape(
            required: [("AvailabilityEndDate", .string(.date(notPast: false)))])))
        add(.offer, "UpdatePricingTerms", .update, .object(ObjectShape(
            required: [("PricingModel", .string(.oneOf(["Contract", "Usage", "Byol", "Free"]))),
                       ("Terms", .array(.tagged(offerPricingTerms), min: 1, max: 10))])))
        add(.offer, "UpdatePaymentScheduleTerms", .update, termsList(["PaymentScheduleTerm": paymentSchedule], max: 1))
        add(.offer, "UpdateValidityTerms", .update, termsList([
            "ValidityTerm": ObjectShape(optional: [("AgreementDuration", .string(.duration)),
                                                   ("AgreementEndDate", .string(.date(notPast: true))),
                                                   ("AgreementStartDate", .string(.date(notPast: true)))], nonEmpty: true),
        ], max: 1))
        add(.offer, "UpdateSupportTerms", .update, termsList([
            "SupportTerm": ObjectShape(required: [("RefundPolicy", .string(.text(min: 1, max: 4096)))]),
        ], max: 1))
        add(.offer, "UpdateRenewalTerms", .update, termsList([
            "RenewalTerm": ObjectShape(optional: [("Configuration", .object(ObjectShape(
                required: [("EnableAutoRenew", .boolean)])))]),
        ], max: 1))
        add(.offer, "UpdateMarkup", .update, .object(ObjectShape(required: [("Percentage", .string(.percentage))])))
        add(.offer, "ReleaseOffer", .finish, .object(ObjectShape()))

        // Products: reasonable acceptance of the product changes the samples use.
        for kind in [EntityKind.amiProduct, .containerProduct, .saasProduct] {
            add(kind, "CreateProduct", .create, .object(ObjectShape(optional: [("ProductTitle", .string(.text(min: 1, max: 255)))])))
            add(kind, "UpdateInformation", .update, .object(ObjectShape(
                optional: [("ProductTitle", .string(.text(min: 1, max: 255))), ("ShortDescription", .string(.text(min: 1, max: 1000))),
                           ("LongDescription", .string(.text(min: 1, max: 5000))), ("SupportDescription", .string(.text(min: 1, max: 2000))),
                           ("Highlights", .array(.string(.text(min: 1, max: 500)), min: 1, max: 3)),
                           ("SearchKeywords", .array(.string(.text(min: 1, max: 250)), min: 1, max: 15)),
                           ("Categories", .array(.string(.text(min: 1, max: 100)), min: 1, max: 3)),
                           ("LogoUrl", .string(.url)), ("VideoUrls", .array(.string(.url), min: 0, max: 1)),
                           ("AdditionalResources", .array(.any, min: 0, max: 3)), ("Sku", .string(.text(min: 1, max: 100)))],
                nonEmpty: true)))
            add(kind, "UpdateTargeting", .update, .object(ObjectShape(
                required: [("PositiveTargeting", .object(ObjectShape(
                    required: [("BuyerAccounts", .array(.string(.accountId), min: 0, max: 5000))])))])))
            add(kind, "AddDeliveryOptions", .update, .object(ObjectShape(
                required: [("DeliveryOptions", .array(.object(ObjectShape(open: true)), min: 1, max: 20))],
                optional: [("Version", .object(ObjectShape(open: true)))])))
            add(kind, "AddDimensions", .update, .array(.object(ObjectShape(
                required: [("Key", .string(.text(min: 1, max: 100))), ("Name", .string(.text(min: 1, max: 100))),
                           ("Types", .array(.string(.oneOf(["Metered", "ExternallyMetered", "Entitled"])), min: 1, max: 2))],
                optional: [("Description", .string(.text(min: 1, max: 250))), ("Unit", .string(.text(min: 1, max: 50)))])),
                min: 1, max: 24))
            // Names, descriptions (and types) of existing dimensions, by Key; the AWS example
            // (UpdateNameDimensionSaasProduct) sends Key, Types, Name, Description.
            add(kind, "UpdateDimensions", .update, .array(.object(ObjectShape(
                required: [("Key", .string(.text(min: 1, max: 100)))],
                optional: [("Name", .string(.text(min: 1, max: 100))), ("Description", .string(.text(min: 1, max: 250))),
                           ("Types", .array(.string(.oneOf(["Metered", "ExternallyMetered", "Entitled"])), min: 1, max: 2))])),
                min: 1, max: 24))
            add(kind, "ReleaseProduct", .finish, .object(ObjectShape()))
        }
        return table
    }()

    /// `{"Terms": [ … ]}` of the given term types.
    private static func termsList(_ shapes: [String: ObjectShape], max: Int = 5) -> DetailsSchema {
        .object(ObjectShape(required: [("Terms", .array(.tagged(shapes), min: 1, max: max))]))
    }

    private static let rateCardItem = DetailsSchema.object(ObjectShape(
        required: [("DimensionKey", .string(.text(min: 1, max: 100))), ("Price", .string(.price))]))

    private static let selector = DetailsSchema.object(ObjectShape(
        required: [("Type", .string(.oneOf(["Duration"]))), ("Value", .string(.duration))]))

    private static let constraints = DetailsSchema.object(ObjectShape(
        optional: [("MultipleDimensionSelection", .string(.oneOf(["Allowed", "Disallowed"]))),
                   ("QuantityConfiguration", .string(.oneOf(["Allowed", "Disallowed"])))]))

    private static let configurableUpfront = ObjectShape(
        required: [("CurrencyCode", .string(.currency)),
                   ("RateCards", .array(.object(ObjectShape(
                    required: [("Selector", selector), ("RateCard", .array(rateCardItem, min: 1, max: 100))],
                    optional: [("Constraints", constraints)])), min: 1, max: 10))])

    private static let usageBased = ObjectShape(
        required: [("CurrencyCode", .string(.currency)),
                   ("RateCards", .array(.object(ObjectShape(
                    required: [("RateCard", .array(rateCardItem, min: 1, max: 100))])), min: 1, max: 10))])

    private static let grant = DetailsSchema.object(ObjectShape(
        required: [("DimensionKey", .string(.text(min: 1, max: 100)))],
        optional: [("MaxQuantity", .integer(min: 1, max: 1_000_000))]))

    private static let fixedUpfront = ObjectShape(
        required: [("CurrencyCode", .string(.currency)), ("Price", .string(.price)),
                   ("Grants", .array(grant, min: 1, max: 100))],
        optional: [("Duration", .string(.duration))])

    private static let recurringPayment = ObjectShape(
        required: [("CurrencyCode", .string(.currency)), ("BillingPeriod", .string(.oneOf(["Monthly"]))), ("Price", .string(.price))])

    private static let resalePricingTerms: [String: ObjectShape] = [
        "ResaleConfigurableUpfrontPricingTerm": configurableUpfront,
        "ResaleUsageBasedPricingTerm": usageBased,
        "ResaleFixedUpfrontPricingTerm": fixedUpfront,
        "ResaleRecurringPaymentTerm": recurringPayment,
    ]

    private static let offerPricingTerms: [String: ObjectShape] = [
        "ConfigurableUpfrontPricingTerm": configurableUpfront,
        "UsageBasedPricingTerm": usageBased,
        "FixedUpfrontPricingTerm": fixedUpfront,
        "RecurringPaymentTerm": recurringPayment,
        "FreeTrialPricingTerm": ObjectShape(required: [("Duration", .string(.duration)),
                                                       ("Grants", .array(grant, min: 1, max: 100))]),
        "ByolPricingTerm": ObjectShape(),
    ]

    private static let paymentSchedule = ObjectShape(
        required: [("CurrencyCode", .string(.currency)),
                   ("Schedule", .array(.object(ObjectShape(
                    required: [("ChargeDate", .string(.date(notPast: true))), ("ChargeAmount", .string(.price))])),
                    min: 1, max: 36))])

    /// `{"Type": "StandardEula", "Version": "2022-07-14"}` or `{"Type": "CustomEula", "Url": …}`,
    /// as in the public samples (testdata/reference-changesets, e.g. offers_update_eula.json and
    /// offers_create_private_offer_with_hourly_pricing_for_ami_product.json).
    private static let eulaDocuments: [String: ObjectShape] = [
        "CustomEula": ObjectShape(required: [("Url", .string(.url))]),
        "StandardEula": ObjectShape(required: [("Version", .string(.text(min: 1, max: 32)))]),
    ]

    private static let resellerContractDocuments: [String: ObjectShape] = [
        "CustomResellerContract": ObjectShape(required: [("Url", .string(.url))]),
        "StandardResellerContract": ObjectShape(required: [("Version", .string(.text(min: 1, max: 32)))]),
    ]
}
