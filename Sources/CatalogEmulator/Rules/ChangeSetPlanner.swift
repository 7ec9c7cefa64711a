import CatalogModels
import Clocks
import Foundation

/// The synchronous half of StartChangeSet: checks a request the way the service does before it
/// answers, and turns it into a ``ChangeSetPlan``. Any problem is the `CatalogError` to answer
/// with — `ValidationException` (422) for a malformed request or details, a date in the past,
/// a bad reference; `ResourceNotFoundException` (404) for an unknown entity, product,
/// authorization or agreement; `AccessDeniedException` (403) for another account's product —
/// and no change set is created.
///
/// Lock, quota and idempotency checks need the account's open change sets and are the actor's.
struct ChangeSetPlanner {
    /// The account's entities now.
    var store: EntityStore
    /// The seller account.
    var accountId: String
    /// Today, for "in the past" checks.
    var today: Int64
    /// Draws the ids of created entities; advanced only by a successful plan (the caller keeps
    /// the copy when planning succeeds).
    var idGenerator: SplitMix64
    /// Ids reserved by open change sets (not yet in the store), which new ids must avoid.
    var reservedIds: Set<String>

    /// Checks `request` and plans it, or throws the error the service answers with.
    mutating func plan(_ request: StartChangeSetRequest) throws(CatalogError) -> ChangeSetPlan {
        try Self.checkEnvelope(request)
        let intent = request.intent ?? .apply
        var names: [String: Int] = [:]
        // Pass 1: each change on its own.
        struct Draft {
            var change: Change
            var kind: EntityKind
            var rule: ChangeTypeRule
            var details: JSONValue
        }
        var drafts: [Draft] = []
        for (index, change) in request.changeSet.enumerated() {
            let label = Self.label(index, change)
            guard Self.isChangeType(change.changeType) else {
                throw invalid("\(label): ChangeType '\(change.changeType)' must be 1–255 characters: a capital letter, then letters, digits or _")
            }
            let kind = try Self.entityKind(change.entity.type, label: label)
            guard let rule = ChangeTypeCatalog.rule(change.changeType, for: kind) else {
                throw invalid("\(label): ChangeType '\(change.changeType)' is not valid for entity type \(kind.versionedName); valid change types: "
                              + ChangeTypeCatalog.changeTypes(for: kind).joined(separator: ", "))
            }
            if let name = change.changeName {
                guard (1...72).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                    throw invalid("\(label): ChangeName '\(name)' must be 1–72 letters and digits")
                }
                if let other = names[name] {
                    throw invalid("\(label): ChangeName '\(name)' is already used by change \(other + 1); change names must be unique within a change set")
                }
                names[name] = index
            }
            if rule.creates {
                if let identifier = change.entity.identifier {
                    throw invalid("\(label): \(rule.name) creates a new entity and must not have Entity.Identifier (got '\(identifier)')")
                }
            } else {
                guard let identifier = change.entity.identifier, !identifier.isEmpty else {
                    throw invalid("\(label): Entity.Identifier is required for \(rule.name); give the entity id or $ChangeName.Entity.Identifier")
                }
                if identifier.hasPrefix("$") {
                    guard ChangeReference(identifier) != nil else {
                        throw invalid("\(label): Entity.Identifier '\(identifier)' is not a reference of the form $ChangeName.Entity.Identifier")
                    }
                } else {
                    guard identifier.count <= 255, identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "@") }) else {
                        throw invalid("\(label): Entity.Identifier '\(identifier)' must match ^[\\w\\-@]+$ (1–255 characters)")
                    }
                }
            }
            let details = try Self.details(of: change, label: label)
            do throws(DetailsProblem) {
                try rule.details.check(details, context: SchemaContext(today: today))
            } catch {
                throw invalid("\(label): invalid details: \(error.description)")
            }
            if rule.name == "AddDimensions" || rule.name == "UpdateDimensions", let items = details.arrayValue {
                var seen: Set<String> = []
                for item in items {
                    if let key = item["Key"]?.stringValue, !seen.insert(key).inserted {
                        throw invalid("\(label): invalid details: dimension Key '\(key)' appears twice")
                    }
                }
            }
            if intent == .validate, !(kind == .amiProduct && rule.name == "AddDeliveryOptions") {
                throw invalid("\(label): Intent VALIDATE is supported only for AddDeliveryOptions on AmiProduct@1.0 (single-AMI versions); there is no dry run for \(rule.name) on \(kind.versionedName)")
            }
            drafts.append(Draft(change: change, kind: kind, rule: rule, details: details))
        }
        if let other = request.intent, other != .apply, other != .validate {
            throw invalid("1 validation error detected: Value '\(other.rawValue)' at 'intent' failed to satisfy constraint: Member must satisfy enum value set: [VALIDATE, APPLY]")
        }

        // Pass 2: reserve ids for creates, in request order.
        var reserved: [Int: String] = [:]
        var generator = idGenerator
        var taken = reservedIds
        for (index, draft) in drafts.enumerated() where draft.rule.creates {
            var id: String
            repeat {
                id = draft.kind.idPrefix + generator.string(count: 13)
            } while store.contains(id) || taken.contains(id)
            taken.insert(id)
            reserved[index] = id
        }

        // Pass 3: resolve targets and references, look entities up.
        func resolve(_ text: String, label: String, field: String) throws(CatalogError) -> (id: String, kind: EntityKind) {
            guard let reference = ChangeReference(text) else {
                throw invalid("\(label): \(field) '\(text)' is not a reference of the form $ChangeName.Entity.Identifier")
            }
            guard let target = names[reference.changeName] else {
                throw invalid("\(label): \(field) \(text) refers to no change: no change in this change set has ChangeName '\(reference.changeName)'")
            }
            guard let id = reserved[target] else {
                throw invalid("\(label): \(field) \(text) refers to change \(target + 1) (\(drafts[target].rule.name)), which does not create an entity")
            }
            return (id, drafts[target].kind)
        }
        var planned: [PlannedChange] = []
        var targets: Set<String> = []
        var locked: Set<String> = []
        var offers: Set<String> = []
        for (index, draft) in drafts.enumerated() {
            let label = Self.label(index, draft.change)
            var entityId: String
            var isNew = false
            if let id = reserved[index] {
                entityId = id
                isNew = true
            } else {
                let identifier = draft.change.entity.identifier ?? ""
                if identifier.hasPrefix("$") {
                    let target = try resolve(identifier, label: label, field: "Entity.Identifier")
                    guard target.kind == draft.kind else {
                        throw invalid("\(label): Entity.Identifier \(identifier) refers to \(target.kind.withArticle) entity, but this change targets \(draft.kind.versionedName)")
                    }
                    entityId = target.id
                    isNew = true
                } else {
                    entityId = Self.baseId(identifier)
                    try lookUp(entityId, as: draft.kind, label: label, field: "Entity.Identifier")
                    locked.insert(entityId)
                }
            }
            let key = "\(draft.rule.name) \(entityId)"
            guard targets.insert(key).inserted else {
                throw invalid("\(label): change type \(draft.rule.name) targets entity \(draft.change.entity.identifier ?? entityId) more than once; a change set may apply a change type to an entity only once")
            }
            if draft.kind == .offer { offers.insert(entityId) }

            // Entities named in the details.
            var details = draft.details
            for field in ["ProductId", "ResaleAuthorizationId"] {
                guard let text = details[field]?.stringValue else { continue }
                let expected: EntityKind? = field == "ProductId" ? nil : .resaleAuthorization
                if text.hasPrefix("$") {
                    let target = try resolve(text, label: label, field: field)
                    if field == "ProductId", !target.kind.isProduct {
                        throw invalid("\(label): ProductId \(text) refers to \(target.kind.withArticle) entity, not a product")
                    }
                    if let expected, target.kind != expected {
                        throw invalid("\(label): \(field) \(text) refers to \(target.kind.withArticle) entity, not \(expected.withArticle)")
                    }
                    details[field] = .string(target.id)
                } else {
                    let id = Self.baseId(text)
                    if field == "ProductId" {
                        try lookUpProduct(id, label: label)
                    } else {
                        try lookUp(id, as: .resaleAuthorization, label: label, field: field)
                    }
                    details[field] = .string(id)
                }
            }
            if let agreement = details["AgreementId"]?.stringValue, store.agreements[agreement] == nil {
                throw CatalogError(.resourceNotFound, message: "\(label): agreement \(agreement) does not exist")
            }
            planned.append(PlannedChange(index: index, change: draft.change, kind: draft.kind, rule: draft.rule,
                                         entityId: entityId, isNewEntity: isNew, details: details))
        }

        // Pass 4: checks that need the whole set.
        for change in planned where change.kind == .offer {
            let label = Self.label(change.index, change.change)
            if change.changeType == "UpdateMarkup", !isChannelPartnerOffer(change.entityId, in: planned) {
                throw invalid("\(label): UpdateMarkup is supported only for channel partner offers (created with CreateOfferUsingResaleAuthorization); \(change.change.entity.identifier ?? change.entityId) is not one")
            }
            if change.changeType == "UpdateAvailability", change.isNewEntity,
               let text = change.details["AvailabilityEndDate"]?.stringValue, let day = CatalogTime.parseDay(text), day < today {
                throw invalid("\(label): invalid details: AvailabilityEndDate: \(text) is in the past (today is \(CatalogTime.day(number: today)) UTC); a new offer cannot start expired")
            }
        }
        idGenerator = generator
        return ChangeSetPlan(changes: planned, applicationOrder: ChangeSetPlan.applicationOrder(of: planned),
                             lockedEntityIds: locked, offerEntityIds: offers, intent: intent)
    }

    /// Whether the offer `id` is (or will be, when created by this set) a channel-partner offer.
    private func isChannelPartnerOffer(_ id: String, in planned: [PlannedChange]) -> Bool {
        if let offer = store.offers[id] { return offer.isChannelPartnerOffer }
        return planned.contains {
            $0.entityId == id && ($0.changeType == "CreateOfferUsingResaleAuthorization"
                                  || $0.changeType == "CreateReplacementOfferUsingResaleAuthorization")
        }
    }

    /// 404 for an unknown entity, 403 for another account's product, 422 for the wrong type.
    private func lookUp(_ id: String, as kind: EntityKind, label: String, field: String) throws(CatalogError) {
        guard let found = store.kind(of: id) else {
            throw CatalogError(.resourceNotFound, message: "\(label): \(field) \(id): no \(kind.versionedName) entity with this id exists")
        }
        guard found == kind else {
            throw invalid("\(label): \(field) \(id) is \(found.withArticle) entity, not \(kind.versionedName)")
        }
        if let product = store.products[id], product.ownerAccountId != accountId {
            throw CatalogError(.accessDenied, message: "\(label): product \(id) belongs to another account; you can only change your own products")
        }
    }

    private func lookUpProduct(_ id: String, label: String) throws(CatalogError) {
        guard let product = store.products[id] else {
            if let other = store.kind(of: id) {
                throw invalid("\(label): ProductId \(id) is \(other.withArticle) entity, not a product")
            }
            throw CatalogError(.resourceNotFound, message: "\(label): product \(id) does not exist")
        }
        guard product.ownerAccountId == accountId else {
            throw CatalogError(.accessDenied, message: "\(label): product \(id) belongs to another account; you can only authorize or offer your own products")
        }
    }

    /// The top-level members: Catalog, 1–20 changes, name, token, tags.
    static func checkEnvelope(_ request: StartChangeSetRequest) throws(CatalogError) {
        try checkCatalog(request.catalog)
        guard !request.changeSet.isEmpty else {
            throw invalid("1 validation error detected: Value '[]' at 'changeSet' failed to satisfy constraint: Member must have length greater than or equal to 1")
        }
        guard request.changeSet.count <= 20 else {
            throw invalid("1 validation error detected: Value at 'changeSet' failed to satisfy constraint: Member must have length less than or equal to 20 (got \(request.changeSet.count) changes)")
        }
        if let name = request.changeSetName, case .invalid(let problem) = ValueChecks.changeSetName(name) {
            throw invalid("1 validation error detected: Value '\(name)' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w\\s+=.:@-]+$ and have length 1–100 (\(problem.message))")
        }
        if let token = request.clientRequestToken, case .invalid(let problem) = ValueChecks.clientRequestToken(token, strict: false) {
            throw invalid("1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[!-~]+$ and have length 1–64 (\(problem.message))")
        }
        if let tags = request.changeSetTags {
            guard (1...200).contains(tags.count) else { throw invalid("ChangeSetTags must have 1–200 tags") }
            for tag in tags {
                guard (1...128).contains(tag.key.count), tag.value.count <= 256 else {
                    throw invalid("ChangeSetTags: tag key '\(tag.key)' must have 1–128 characters and its value at most 256")
                }
            }
        }
    }

    /// `Catalog` must be `AWSMarketplace`.
    static func checkCatalog(_ catalog: String) throws(CatalogError) {
        guard catalog == "AWSMarketplace" else {
            throw invalid("1 validation error detected: Value '\(catalog)' at 'catalog' failed to satisfy constraint: Member must be AWSMarketplace")
        }
    }

    /// `change 3 (UpdatePricingTerms)`.
    static func label(_ index: Int, _ change: Change) -> String {
        "change \(index + 1) (\(change.changeType)\(change.changeName.map { " '\($0)'" } ?? ""))"
    }

    /// `^[A-Z][\w]*$`, 1–255.
    static func isChangeType(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isUppercase, text.count <= 255 else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// The modelled entity kind of `Name@1.0`, or the 422 to answer.
    static func entityKind(_ type: String, label: String) throws(CatalogError) -> EntityKind {
        let parts = type.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isLetter }),
              parts[1].split(separator: ".", omittingEmptySubsequences: false).count == 2,
              parts[1].split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigitCharacter) }) else {
            throw invalid("\(label): Entity.Type '\(type)' must be an entity type with its version, e.g. ResaleAuthorization@1.0 or Offer@1.0")
        }
        guard let kind = EntityKind(rawValue: String(parts[0])) else {
            if EntityKind.listableTypeNames.contains(String(parts[0])) {
                throw invalid("\(label): Entity.Type \(type) is not supported by the Catalog emulator (it models ResaleAuthorization, Offer, AmiProduct, ContainerProduct and SaaSProduct)")
            }
            throw invalid("\(label): Entity.Type '\(type)' is not a known entity type")
        }
        guard parts[1] == "1.0" else {
            throw invalid("\(label): Entity.Type \(type): version \(parts[1]) does not exist; use \(kind.versionedName)")
        }
        return kind
    }

    /// The details as JSON: exactly one of Details (a JSON object as a string, 2–16384
    /// characters) and DetailsDocument.
    static func details(of change: Change, label: String) throws(CatalogError) -> JSONValue {
        switch (change.details, change.detailsDocument) {
        case (.some, .some):
            throw invalid("\(label): give either Details or DetailsDocument, not both")
        case (nil, nil):
            throw invalid("\(label): Details or DetailsDocument is required (use {} for a change without details)")
        case (nil, .some(let document)):
            return document
        case (.some(let text), nil):
            guard (2...16_384).contains(text.count) else {
                throw invalid("\(label): Details must be 2–16384 characters (got \(text.count))")
            }
            let value: JSONValue
            do throws(JSONValue.ParseError) {
                value = try JSONValue(detailsString: text)
            } catch {
                throw invalid("\(label): Details is not valid JSON: \(error.description)")
            }
            guard value.objectValue != nil else {
                throw invalid("\(label): Details must be a JSON object written as a string (e.g. \"{}\"); use DetailsDocument for other JSON")
            }
            return value
        }
    }

    /// `resaleauthz-abc@3` → `resaleauthz-abc`.
    static func baseId(_ identifier: String) -> String {
        identifier.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? identifier
    }
}

/// A `ValidationException` (422).
func invalid(_ message: String) -> CatalogError {
    CatalogError(.validation, message: message)
}
