import CatalogModels
import Foundation

/// A product (AMI, container or SaaS) as the emulator stores it.
struct ProductRecord: Sendable, Hashable {
    var id: String
    var kind: EntityKind
    var title: String
    /// `Draft`, `Limited`, `Public` or `Restricted`.
    var visibility: String
    var ownerAccountId: String
    var ownerLegalName: String
    /// The dimension objects as added (Key, Name, Description, Unit, Types).
    var dimensions: [JSONValue]
    /// Members set by UpdateInformation, in order.
    var information: JSONObject
    var targeting: JSONValue?
    var deliveryOptions: [JSONValue]
    var created: Date
    var lastModified: Date
    var revision: Int

    /// The dimension keys.
    var dimensionKeys: [String] { dimensions.compactMap { $0["Key"]?.stringValue } }
}

/// The term categories an entity keeps, each replaced wholesale by its Update… change.
enum TermCategory: String, Sendable, Hashable, CaseIterable {
    case pricing, legal, paymentSchedule, buyerTargeting, validity, support, renewal, netPayment
}

/// A resale authorization as the emulator stores it.
struct ResaleAuthorizationRecord: Sendable, Hashable {
    var id: String
    var name: String
    var description: String?
    /// `Draft`, `Active` or `Restricted`.
    var status: String
    var productId: String?
    var productName: String?
    var manufacturerAccountId: String
    var manufacturerLegalName: String
    var resellerAccountId: String
    var resellerLegalName: String
    var created: Date
    var lastModified: Date
    var releaseDate: Date?
    var revision: Int
    var pricingModel: String?
    var terms: [TermCategory: [JSONValue]] = [:]
    /// `YYYY-MM-DD`, or none (no expiry).
    var availabilityEndDate: String?
    var offersMaxQuantity: Int?
    var preExistingBuyerAgreement: JSONValue?
    var offerCreatedCount: Int

    /// `NoOffersCreated`, `OffersCreated` or `MaxOffersCreated` (the emulator's values; the
    /// API reference does not list them).
    var offerExtendedStatus: String {
        if let max = offersMaxQuantity, offerCreatedCount >= max { return "MaxOffersCreated" }
        return offerCreatedCount == 0 ? "NoOffersCreated" : "OffersCreated"
    }

    /// Whether the authorization has a pricing term.
    var hasPricingTerms: Bool { !(terms[.pricing] ?? []).isEmpty }

    /// Whether the authorization has a `BuyerLegalTerm`.
    var hasBuyerLegalTerm: Bool {
        (terms[.legal] ?? []).contains { $0["Type"]?.stringValue == "BuyerLegalTerm" }
    }
}

/// An offer as the emulator stores it.
struct OfferRecord: Sendable, Hashable {
    var id: String
    var name: String?
    var description: String?
    var productId: String
    var resaleAuthorizationId: String?
    var agreementId: String?
    /// `Draft` or `Released`.
    var state: String
    var releaseDate: Date?
    /// `YYYY-MM-DD`.
    var availabilityEndDate: String?
    var buyerAccounts: [String] = []
    var countryCodes: [String] = []
    var participatingPrograms: [String] = []
    var pricingModel: String?
    var terms: [TermCategory: [JSONValue]] = [:]
    /// The channel-partner markup, e.g. `5.0`.
    var markupPercentage: String?
    var created: Date
    var lastModified: Date
    var revision: Int

    /// Whether this is a channel-partner offer (created from a resale authorization).
    var isChannelPartnerOffer: Bool { resaleAuthorizationId != nil }

    /// The OfferSummary `Targeting` list.
    var targetingKinds: [String] {
        var kinds: [String] = []
        if !buyerAccounts.isEmpty { kinds.append("BuyerAccounts") }
        if !participatingPrograms.isEmpty { kinds.append("ParticipatingPrograms") }
        if !countryCodes.isEmpty { kinds.append("CountryCodes") }
        return kinds.isEmpty ? ["None"] : kinds
    }
}

/// An agreement a replacement offer can replace.
struct AgreementRecord: Sendable, Hashable {
    var id: String
    var productId: String
    var buyerAccountId: String
}

/// Every entity of the account: the state change sets act on. A value, so a change set can be
/// tried on a copy and committed only when every change succeeds.
struct EntityStore: Sendable {
    var products: [String: ProductRecord] = [:]
    var resaleAuthorizations: [String: ResaleAuthorizationRecord] = [:]
    var offers: [String: OfferRecord] = [:]
    var agreements: [String: AgreementRecord] = [:]

    /// The kind of the entity `id`, when it exists.
    func kind(of id: String) -> EntityKind? {
        if let product = products[id] { return product.kind }
        if resaleAuthorizations[id] != nil { return .resaleAuthorization }
        if offers[id] != nil { return .offer }
        return nil
    }

    /// The current revision of the entity `id`.
    func revision(of id: String) -> Int? {
        products[id]?.revision ?? resaleAuthorizations[id]?.revision ?? offers[id]?.revision
    }

    /// Whether any entity or reserved id already uses `id`.
    func contains(_ id: String) -> Bool {
        products[id] != nil || resaleAuthorizations[id] != nil || offers[id] != nil || agreements[id] != nil
    }

    /// Marks `id` as modified at `date`: one more revision (once per change set; the caller
    /// makes sure of that).
    mutating func touch(_ id: String, at date: Date) {
        if products[id] != nil {
            products[id]!.revision += 1
            products[id]!.lastModified = date
        } else if resaleAuthorizations[id] != nil {
            resaleAuthorizations[id]!.revision += 1
            resaleAuthorizations[id]!.lastModified = date
        } else if offers[id] != nil {
            offers[id]!.revision += 1
            offers[id]!.lastModified = date
        }
    }

    /// Entity counts by type name.
    var countsByType: [String: Int] {
        var counts: [String: Int] = [
            EntityKind.resaleAuthorization.rawValue: resaleAuthorizations.count,
            EntityKind.offer.rawValue: offers.count,
            "Agreement": agreements.count,
        ]
        for kind in [EntityKind.amiProduct, .containerProduct, .saasProduct] {
            counts[kind.rawValue] = products.values.filter { $0.kind == kind }.count
        }
        return counts
    }
}
