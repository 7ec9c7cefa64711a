import CatalogModels

/// One change of an accepted StartChangeSet request, resolved: its rule, the entity it acts on
/// (an existing id, or the id reserved for an entity this change set creates) and its details.
struct PlannedChange: Sendable {
    /// The position in the request (0-based).
    var index: Int
    /// The change exactly as submitted (echoed by DescribeChangeSet).
    var change: Change
    /// The entity type.
    var kind: EntityKind
    /// The change type's rule.
    var rule: ChangeTypeRule
    /// The entity acted on, without revision: an existing id, or the reserved id of an entity
    /// created by this change set (a create, or a `$Name.Entity.Identifier` reference).
    var entityId: String
    /// Whether `entityId` is created by this change set.
    var isNewEntity: Bool
    /// The details as JSON, with `$Name.Entity.Identifier` references in ProductId and
    /// ResaleAuthorizationId replaced by the reserved ids.
    var details: JSONValue

    /// The change type, e.g. `UpdatePricingTerms`.
    var changeType: String { rule.name }
}

/// A StartChangeSet request that passed every synchronous check: what the change set will do,
/// in the order the service applies it, and what it locks.
struct ChangeSetPlan: Sendable {
    /// The changes in request order.
    var changes: [PlannedChange]
    /// Indexes of `changes` in application order: creates, updates, then releases and
    /// restrictions; within a phase products, then authorizations, then offers; then request order.
    var applicationOrder: [Int]
    /// Existing entities the set targets: locked while it is open.
    var lockedEntityIds: Set<String>
    /// Offers the set creates or updates (existing ids and reserved ids), for the limit of
    /// offers in progress.
    var offerEntityIds: Set<String>
    /// `APPLY` or `VALIDATE`.
    var intent: Intent

    /// The ids this set creates, by change index.
    var createdIds: [Int: String] {
        var ids: [Int: String] = [:]
        for change in changes where change.rule.creates { ids[change.index] = change.entityId }
        return ids
    }

    /// Orders changes the way the service applies them.
    static func applicationOrder(of changes: [PlannedChange]) -> [Int] {
        changes.sorted { a, b in
            if a.rule.phase != b.rule.phase { return a.rule.phase < b.rule.phase }
            if a.kind.applicationRank != b.kind.applicationRank { return a.kind.applicationRank < b.kind.applicationRank }
            return a.index < b.index
        }.map(\.index)
    }
}
