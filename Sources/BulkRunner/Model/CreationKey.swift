import CatalogModels

/// What identifies the entity one create change makes, so the runner can check whether it
/// already exists before sending the create again after a FAILED or unknown change set
/// (whether a FAILED set applied nothing is not documented; see catalog-api.md, "Change sets").
///
/// | change type | key fields | ListEntities filter |
/// | --- | --- | --- |
/// | CreateResaleAuthorization | ResellerAccountId, ProductId (when given), Name | `ResaleAuthorizationFilters` ResellerAccountID, ProductId, Name |
/// | CreateOffer | ProductId, Name (from the row's UpdateInformation), BuyerAccounts (from UpdateTargeting) | `OfferFilters` ProductId, Name, BuyerAccounts |
/// | CreateOfferUsingResaleAuthorization, CreateReplacementOfferUsingResaleAuthorization | ResaleAuthorizationId, Name | `OfferFilters` ResaleAuthorizationId, Name |
/// | CreateReplacementOffer | AgreementId, Name | `OfferFilters` Name (agreements cannot be filtered) |
/// | any other create | Name-like fields found | none: check by hand |
///
/// A listed entity matches when every key field is equal (ListEntities filters narrow the
/// search; compare the summaries' fields, and DescribeEntity when in doubt).
public struct CreationKey: Sendable, Hashable {
    /// One identifying field and its value as sent.
    public struct Field: Sendable, Hashable {
        /// The DetailsDocument key, e.g. `ResellerAccountId`.
        public let name: String
        /// The value, e.g. `123456789012`; several values (BuyerAccounts) joined with `,`.
        public let value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The index of the create change in the set's `request.changeSet`.
    public let changeIndex: Int
    /// The create change's `ChangeName`, which DescribeChangeSet echoes with the new
    /// entity's id.
    public let changeName: String?
    /// The create change's type, e.g. `CreateResaleAuthorization`.
    public let changeType: String
    /// The type of the entity it creates, with version, e.g. `ResaleAuthorization@1.0`.
    public let entityType: String
    /// The fields that identify the entity, in the order of the table above.
    public let fields: [Field]
    /// A ListEntities request that finds candidates (EntityType without version, typed
    /// filters); `nil` when no filter is known for this entity type.
    public let listEntitiesRequest: ListEntitiesRequest?

    /// Creates a key.
    public init(changeIndex: Int, changeName: String?, changeType: String, entityType: String,
                fields: [Field], listEntitiesRequest: ListEntitiesRequest?) {
        self.changeIndex = changeIndex
        self.changeName = changeName
        self.changeType = changeType
        self.entityType = entityType
        self.fields = fields
        self.listEntitiesRequest = listEntitiesRequest
    }

    /// The value of key field `name`, if present.
    public func value(of name: String) -> String? { fields.first { $0.name == name }?.value }

    /// `ResaleAuthorization@1.0 ResellerAccountId=123456789012 ProductId=prod-abc Name="Acme EU"`.
    public var summary: String {
        ([entityType] + fields.map { "\($0.name)=\(quoteIfNeeded($0.value))" }).joined(separator: " ")
    }

    /// The ListEntities query in words, e.g. `ListEntities ResaleAuthorization with
    /// ResaleAuthorizationFilters ResellerAccountID=[123456789012] ProductId=[prod-abc]
    /// Name=["Acme EU"]`, or a note that none is known.
    public var filterDescription: String {
        guard let request = listEntitiesRequest else {
            return "no ListEntities filter for \(entityType): check by hand for \(summary)"
        }
        var parts: [String] = []
        if let ra = request.entityTypeFilters?.resaleAuthorizationFilters {
            parts.append("ResaleAuthorizationFilters")
            if let v = ra.resellerAccountID?.valueList { parts.append("ResellerAccountID=\(list(v))") }
            if let v = ra.productId?.valueList { parts.append("ProductId=\(list(v))") }
            if let v = ra.name?.valueList { parts.append("Name=\(list(v))") }
        }
        if let offer = request.entityTypeFilters?.offerFilters {
            parts.append("OfferFilters")
            if let v = offer.productId?.valueList { parts.append("ProductId=\(list(v))") }
            if let v = offer.resaleAuthorizationId?.valueList { parts.append("ResaleAuthorizationId=\(list(v))") }
            if let v = offer.name?.valueList { parts.append("Name=\(list(v))") }
            if let v = offer.buyerAccounts?.valueList { parts.append("BuyerAccounts=\(list(v))") }
        }
        return "ListEntities \(request.entityType) with " + parts.joined(separator: " ")
    }

    /// The same key pointing at another change index (subsets and adapted sets move changes).
    func movedTo(changeIndex: Int) -> CreationKey {
        CreationKey(changeIndex: changeIndex, changeName: changeName, changeType: changeType,
                    entityType: entityType, fields: fields, listEntitiesRequest: listEntitiesRequest)
    }

    private func list(_ values: [String]) -> String {
        "[" + values.map(quoteIfNeeded).joined(separator: ", ") + "]"
    }

    private func quoteIfNeeded(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "," || $0 == "\"" }) ? "\"\(value)\"" : value
    }
}
