import CatalogModels
import Foundation

/// Why one change could not be applied: an `ErrorDetail` of DescribeChangeSet.
struct ChangeFailure: Error, Sendable, Hashable {
    /// `INVALID_RESELLER_ACCOUNT`, `INCOMPATIBLE_STATUS`, `MISSING_MANDATORY_TERMS`,
    /// `INVALID_AVAILABILITY_END_DATE` …
    var code: String
    /// What is wrong, naming the entity and the value.
    var message: String

    var errorDetail: ErrorDetail { ErrorDetail(errorCode: code, errorMessage: message) }
}

/// The outcome of trying a change set on the account's entities.
struct Evaluation: Sendable {
    /// The entities after the changes that succeeded.
    var store: EntityStore
    /// Failures by change index; empty when every change succeeded.
    var failures: [Int: ChangeFailure]
    /// Indexes of create changes that succeeded.
    var succeededCreates: [Int]
    /// Entities changed, each with its revision after the set.
    var revisions: [String: Int]

    /// Whether every change succeeded.
    var succeeded: Bool { failures.isEmpty }
}

/// The asynchronous half of a change set: applies its changes, in the service's order, to a
/// copy of the account's entities, checking what can only be known then (the reseller exists,
/// the authorization is in the right status, the mandatory terms are there, the dates still
/// hold). A pure function of the plan, the entities and the time.
struct ChangeSetEvaluator {
    /// The emulated account.
    var configuration: EmulatorConfiguration
    /// When the changes are applied.
    var now: Date

    private var today: Int64 { CatalogTime.dayNumber(now) }

    /// Applies `plan` (only the changes in `only`, when given) to a copy of `store`.
    ///
    /// Every change is tried, so each failing change reports its own error; a change on an
    /// entity whose create failed is skipped (its own create carries the error).
    func evaluate(_ plan: ChangeSetPlan, on store: EntityStore, only: Set<Int>? = nil) -> Evaluation {
        var working = store
        var failures: [Int: ChangeFailure] = [:]
        var creates: [Int] = []
        var touched: Set<String> = []
        var created: Set<String> = []
        for index in plan.applicationOrder {
            if let only, !only.contains(index) { continue }
            let change = plan.changes[index]
            if change.isNewEntity, !change.rule.creates, !created.contains(change.entityId) {
                continue
            }
            do throws(ChangeFailure) {
                var attempt = working
                let affected = try attempt.apply(change, evaluator: self)
                working = attempt
                if change.rule.creates {
                    creates.append(index)
                    created.insert(change.entityId)
                }
                touched.formUnion(affected)
            } catch {
                failures[index] = error
            }
        }
        var revisions: [String: Int] = [:]
        for id in touched {
            if !created.contains(id) { working.touch(id, at: now) }
            revisions[id] = working.revision(of: id)
        }
        return Evaluation(store: working, failures: failures, succeededCreates: creates, revisions: revisions)
    }

    // MARK: Rules shared by the change types

    func isPast(_ day: String?) -> Bool {
        guard let day, let number = CatalogTime.parseDay(day) else { return false }
        return number < today
    }

    var accountId: String { configuration.accountId }
}
