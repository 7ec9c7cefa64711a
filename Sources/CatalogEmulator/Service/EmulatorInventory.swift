import CatalogModels

/// The entities of the emulated account, for tests and demos that need real ids (seeded ids
/// are random but fixed by the seed).
public struct EmulatorInventory: Sendable, Hashable {
    /// A product.
    public struct Product: Sendable, Hashable {
        /// `prod-…`.
        public var id: String
        /// `AmiProduct`, `ContainerProduct` or `SaaSProduct`.
        public var kind: EntityKind
        /// The title.
        public var title: String
        /// `Draft`, `Limited`, `Public` …
        public var visibility: String
        /// Whether the seller owns it (others answer AccessDenied).
        public var isOwned: Bool
        /// The dimension keys.
        public var dimensionKeys: [String]
    }

    /// A resale authorization.
    public struct ResaleAuthorization: Sendable, Hashable {
        /// `resaleauthz-…`.
        public var id: String
        /// `Draft`, `Active` or `Restricted`.
        public var status: String
        /// The product, when product-specific.
        public var productId: String?
        /// The reseller.
        public var resellerAccountId: String
        /// `YYYY-MM-DD`, or none.
        public var availabilityEndDate: String?
        /// One-time authorizations have 1.
        public var offersMaxQuantity: Int?
        /// Offers created from it.
        public var offerCreatedCount: Int
        /// Whether it has pricing terms and a BuyerLegalTerm (can be released).
        public var hasMandatoryTerms: Bool
    }

    /// An offer.
    public struct Offer: Sendable, Hashable {
        /// `offer-…`.
        public var id: String
        /// `Draft` or `Released`.
        public var state: String
        /// The product.
        public var productId: String
        /// The authorization of a channel-partner offer.
        public var resaleAuthorizationId: String?
        /// `YYYY-MM-DD`, or none.
        public var availabilityEndDate: String?
    }

    /// An agreement (for replacement offers).
    public struct Agreement: Sendable, Hashable {
        /// `agmt-…`.
        public var id: String
        /// The product.
        public var productId: String
    }

    /// Products, by id.
    public var products: [Product]
    /// Resale authorizations, by id.
    public var resaleAuthorizations: [ResaleAuthorization]
    /// Offers, by id.
    public var offers: [Offer]
    /// Agreements, by id.
    public var agreements: [Agreement]

    init(store: EntityStore, sellerAccountId: String) {
        products = store.products.values.sorted { $0.id < $1.id }.map {
            Product(id: $0.id, kind: $0.kind, title: $0.title, visibility: $0.visibility,
                    isOwned: $0.ownerAccountId == sellerAccountId, dimensionKeys: $0.dimensionKeys)
        }
        resaleAuthorizations = store.resaleAuthorizations.values.sorted { $0.id < $1.id }.map {
            ResaleAuthorization(id: $0.id, status: $0.status, productId: $0.productId, resellerAccountId: $0.resellerAccountId,
                                availabilityEndDate: $0.availabilityEndDate, offersMaxQuantity: $0.offersMaxQuantity,
                                offerCreatedCount: $0.offerCreatedCount, hasMandatoryTerms: $0.hasPricingTerms && $0.hasBuyerLegalTerm)
        }
        offers = store.offers.values.sorted { $0.id < $1.id }.map {
            Offer(id: $0.id, state: $0.state, productId: $0.productId, resaleAuthorizationId: $0.resaleAuthorizationId,
                  availabilityEndDate: $0.availabilityEndDate)
        }
        agreements = store.agreements.values.sorted { $0.id < $1.id }.map { Agreement(id: $0.id, productId: $0.productId) }
    }

    /// Owned products of `kind`.
    public func ownedProducts(_ kind: EntityKind) -> [Product] {
        products.filter { $0.isOwned && $0.kind == kind }
    }
}

extension EmulatorInventory {
    /// The inventory as JSON (for `GET /_emulator/inventory`).
    var json: JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
        return [
            "Products": .array(products.map {
                ["Id": .string($0.id), "EntityType": .string($0.kind.rawValue), "Title": .string($0.title),
                 "Visibility": .string($0.visibility), "Owned": .bool($0.isOwned),
                 "DimensionKeys": .array($0.dimensionKeys.map { .string($0) })]
            }),
            "ResaleAuthorizations": .array(resaleAuthorizations.map {
                ["Id": .string($0.id), "Status": .string($0.status), "ProductId": optional($0.productId),
                 "ResellerAccountId": .string($0.resellerAccountId), "AvailabilityEndDate": optional($0.availabilityEndDate),
                 "OffersMaxQuantity": $0.offersMaxQuantity.map { .number(JSONNumber($0)) } ?? .null,
                 "OfferCreatedCount": .number(JSONNumber($0.offerCreatedCount)), "HasMandatoryTerms": .bool($0.hasMandatoryTerms)]
            }),
            "Offers": .array(offers.map {
                ["Id": .string($0.id), "State": .string($0.state), "ProductId": .string($0.productId),
                 "ResaleAuthorizationId": optional($0.resaleAuthorizationId), "AvailabilityEndDate": optional($0.availabilityEndDate)]
            }),
            "Agreements": .array(agreements.map { ["Id": .string($0.id), "ProductId": .string($0.productId)] }),
        ]
    }
}
