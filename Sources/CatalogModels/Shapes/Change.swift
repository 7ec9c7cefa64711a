/// One change of a StartChangeSet request (botocore shape `Change`).
///
/// Give the details either as ``detailsDocument`` (any JSON, what BulkRunner renders) or as
/// ``details`` (the same JSON as a string, 2–16384 characters); the service takes one.
public struct Change: Codable, Sendable, Hashable {
    /// `ChangeType`, e.g. `CreateResaleAuthorization`, `UpdatePricingTerms`, `ReleaseOffer`.
    public var changeType: String
    /// `Entity`: the entity type (`ResaleAuthorization@1.0`) and, except for creates, its id.
    public var entity: Entity
    /// `EntityTags`: tags for the entity (1–200).
    public var entityTags: [Tag]?
    /// `Details`: the change's details as a JSON string.
    public var details: String?
    /// `DetailsDocument`: the change's details as JSON.
    public var detailsDocument: JSONValue?
    /// `ChangeName`: a name later changes in the same set use to refer to this change's
    /// entity (`$ChangeName.Entity.Identifier`); letters and digits, 1–72.
    public var changeName: String?

    /// Creates a change.
    public init(
        changeType: String,
        entity: Entity,
        entityTags: [Tag]? = nil,
        details: String? = nil,
        detailsDocument: JSONValue? = nil,
        changeName: String? = nil
    ) {
        self.changeType = changeType
        self.entity = entity
        self.entityTags = entityTags
        self.details = details
        self.detailsDocument = detailsDocument
        self.changeName = changeName
    }

    enum CodingKeys: String, CodingKey {
        case changeType = "ChangeType"
        case entity = "Entity"
        case entityTags = "EntityTags"
        case details = "Details"
        case detailsDocument = "DetailsDocument"
        case changeName = "ChangeName"
    }
}

/// The entity a change targets or reports (botocore shape `Entity`).
public struct Entity: Codable, Sendable, Hashable {
    /// `Type`: the entity type with its version, e.g. `ResaleAuthorization@1.0`, `Offer@1.0`.
    public var type: String
    /// `Identifier`: the entity id (`resaleauthz-…`, `offer-…`, maybe with an `@revision`
    /// suffix), a reference `$ChangeName.Entity.Identifier`, or absent for a create.
    public var identifier: String?

    /// Creates an entity reference.
    public init(type: String, identifier: String? = nil) {
        self.type = type
        self.identifier = identifier
    }

    enum CodingKeys: String, CodingKey {
        case type = "Type"
        case identifier = "Identifier"
    }
}

/// A tag on a change set or an entity (botocore shape `Tag`).
public struct Tag: Codable, Sendable, Hashable {
    /// `Key`, 1–128 characters.
    public var key: String
    /// `Value`, 0–256 characters.
    public var value: String

    /// Creates a tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case key = "Key"
        case value = "Value"
    }
}
