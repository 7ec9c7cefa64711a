/// The entity types the emulator models, by their Catalog API names.
///
/// Change sets name them with a version (`ResaleAuthorization@1.0`), ListEntities without
/// (`ResaleAuthorization`). Other types the API knows (DataProduct, OfferSet, Solution …)
/// are listed as empty and refused in change sets with a message saying so.
public enum EntityKind: String, Sendable, Hashable, CaseIterable, Comparable {
    /// `ResaleAuthorization`: `resaleauthz-…`.
    case resaleAuthorization = "ResaleAuthorization"
    /// `Offer`: `offer-…`.
    case offer = "Offer"
    /// `AmiProduct`: `prod-…`.
    case amiProduct = "AmiProduct"
    /// `ContainerProduct`: `prod-…`.
    case containerProduct = "ContainerProduct"
    /// `SaaSProduct`: `prod-…`.
    case saasProduct = "SaaSProduct"

    /// The versioned name change sets use, e.g. `Offer@1.0`.
    public var versionedName: String { rawValue + "@1.0" }

    /// The id prefix, e.g. `resaleauthz-`.
    public var idPrefix: String {
        switch self {
        case .resaleAuthorization: return "resaleauthz-"
        case .offer: return "offer-"
        case .amiProduct, .containerProduct, .saasProduct: return "prod-"
        }
    }

    /// `an Offer@1.0`, `a ResaleAuthorization@1.0`: the versioned name for messages.
    var withArticle: String {
        ("AEIOU".contains(rawValue.prefix(1)) ? "an " : "a ") + versionedName
    }

    /// Whether this is one of the product types.
    public var isProduct: Bool { self == .amiProduct || self == .containerProduct || self == .saasProduct }

    /// The order the service applies entity types in within one phase: products, then
    /// authorizations, then offers (an offer may need the product released in the same set).
    var applicationRank: Int {
        switch self {
        case .amiProduct, .containerProduct, .saasProduct: return 0
        case .resaleAuthorization: return 1
        case .offer: return 2
        }
    }

    /// Orders by name.
    public static func < (lhs: EntityKind, rhs: EntityKind) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Entity types ListEntities accepts (botocore `ListEntitiesRequest.EntityType` documentation);
    /// the ones not modelled here list as empty.
    static let listableTypeNames: Set<String> = [
        "AmiProduct", "ContainerProduct", "DataProduct", "SaaSProduct", "ProcurementPolicy", "Experience",
        "Audience", "BrandingSettings", "Offer", "OfferSet", "Seller", "ResaleAuthorization",
        "MachineLearningProduct", "Solution",
    ]
}
