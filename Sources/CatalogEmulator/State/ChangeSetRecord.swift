import CatalogModels
import Foundation

/// One change set as the emulator keeps it: the accepted plan, its timeline on the injected
/// clock, and its outcome once known. Statuses are computed lazily from the timeline
/// (``CatalogEmulator`` advances every open set whose next transition has come before it
/// answers anything), so no background task is needed.
struct ChangeSetRecord: Sendable {
    let id: String
    let arn: String
    /// Start order, for ties.
    let sequence: Int
    let name: String?
    let tags: [Tag]?
    let plan: ChangeSetPlan
    let startTime: Date
    /// PREPARING ends (changes are validated) at this time.
    let prepareEnd: Date
    /// APPLYING ends (changes are applied) at this time.
    let applyEnd: Date
    /// Whether this set fails with SERVER_FAULT (an injected fault drawn at start).
    let serverFault: Bool
    var status: ChangeStatus = .preparing
    var endTime: Date?
    var failureCode: FailureCode?
    var failureDescription: String?
    var failures: [Int: ChangeFailure] = [:]
    /// After success: each changed entity's revision.
    var revisions: [String: Int] = [:]

    /// When the next transition happens, for open sets.
    var nextTransition: Date? {
        switch status {
        case .preparing: return prepareEnd
        case .applying: return applyEnd
        default: return nil
        }
    }

    /// The entities the set touches, without revisions: every entity after success, else the
    /// existing entities it targets (new ids are revealed only by success).
    var entityIdList: [String] {
        var seen: Set<String> = []
        var ids: [String] = []
        for change in plan.changes {
            let include = status == .succeeded && plan.intent == .apply ? true : !change.isNewEntity
            if include, seen.insert(change.entityId).inserted { ids.append(change.entityId) }
        }
        return ids
    }

    /// The DescribeChangeSet answer.
    var description: DescribeChangeSetResponse {
        let succeeded = status == .succeeded && plan.intent == .apply
        let summaries = plan.changes.map { change -> ChangeSummary in
            var identifier = change.change.entity.identifier
            if succeeded, let revision = revisions[change.entityId] {
                identifier = "\(change.entityId)@\(revision)"
            }
            return ChangeSummary(
                changeType: change.change.changeType,
                entity: Entity(type: change.change.entity.type, identifier: identifier),
                details: change.change.details,
                detailsDocument: change.change.detailsDocument,
                errorDetailList: failures[change.index].map { [$0.errorDetail] },
                changeName: change.change.changeName)
        }
        return DescribeChangeSetResponse(
            changeSetId: id, changeSetArn: arn, changeSetName: name, intent: plan.intent,
            startTime: CatalogTime.timestamp(startTime), endTime: endTime.map(CatalogTime.timestamp),
            status: status, failureCode: failureCode, failureDescription: failureDescription, changeSet: summaries)
    }

    /// The ListChangeSets entry.
    var summary: ChangeSetSummaryListItem {
        ChangeSetSummaryListItem(
            changeSetId: id, changeSetArn: arn, changeSetName: name, startTime: CatalogTime.timestamp(startTime),
            endTime: endTime.map(CatalogTime.timestamp), status: status, entityIdList: entityIdList, failureCode: failureCode)
    }
}
