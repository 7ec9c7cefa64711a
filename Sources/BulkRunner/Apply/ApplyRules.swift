/// Which actions fit an entity's current status, checked before anything is sent (the
/// service has the last word; these rules refuse early what it would refuse later).
///
/// Resale authorizations (AWS Marketplace Catalog API reference, "Working with resale
/// authorizations"; the public samples update only unpublished authorizations):
///
/// | action | Draft | Active | Restricted |
/// | --- | --- | --- | --- |
/// | RESTRICT | — | RestrictResaleAuthorization | — |
/// | RELEASE | ReleaseResaleAuthorization | — | — |
/// | EXTEND | UpdateAvailability | UpdateAvailability | — |
/// | REPRICE | UpdatePricingTerms | re-grant: a new authorization at the new price, the old one restricted | — |
/// | RENAME, RETARGET, SCHEDULE | UpdateInformation, UpdateBuyerTargetingTerms, UpdatePaymentScheduleTerms | only with REPRICE: they shape the new authorization | — |
///
/// Offers follow ``ExportAction/allowedStatuses(for:)``: RELEASE, REPRICE, RETARGET and
/// SCHEDULE on a Draft; EXTEND and RENAME on a Draft or a Released offer.
///
/// This differs from ``ExportAction/allowedStatuses(for:)`` for resale authorizations in two
/// places: REPRICE of an Active one is the two-step re-grant, and RENAME of an Active one is
/// refused (UpdateInformation applies to unpublished authorizations only).
enum ApplyRules {
    /// Whether `actions` on an entity of `kind` in `status` is the two-step re-grant.
    static func isRegrant(_ actions: [ExportAction], kind: ExportKind, status: String) -> Bool {
        kind == .resaleAuthorizations && status == "Active" && actions.contains(.reprice)
    }

    /// The statuses `action` is allowed in, given the row's other actions.
    static func allowedStatuses(_ action: ExportAction, kind: ExportKind, with actions: [ExportAction]) -> [String] {
        guard kind == .resaleAuthorizations else { return action.allowedStatuses(for: kind) }
        switch action {
        case .restrict: return ["Active"]
        case .release: return ["Draft"]
        case .extend, .reprice: return ["Draft", "Active"]
        case .rename, .retarget, .schedule: return actions.contains(.reprice) ? ["Draft", "Active"] : ["Draft"]
        }
    }

    /// Why the row's actions do not fit `status`, or `nil` when they do.
    static func problem(_ actions: [ExportAction], kind: ExportKind, status: String, entityId: String) -> String? {
        let noun = kind == .offers ? "offer" : "resale authorization"
        var messages: [String] = []
        for action in actions {
            let allowed = allowedStatuses(action, kind: kind, with: actions)
            guard !allowed.contains(status) else { continue }
            let what = allowed.count == 1 ? "\(article(allowed[0])) \(allowed[0]) \(noun)" : "\(article(noun)) \(noun) that is \(allowed.joined(separator: " or "))"
            messages.append("\(action) needs \(what), but \(entityId) is \(status.isEmpty ? "of unknown status" : status) now; "
                            + hint(action, kind: kind, status: status))
        }
        return messages.isEmpty ? nil : messages.joined(separator: " | ")
    }

    private static func article(_ word: String) -> String {
        word.first.map { "AEIOU".contains($0) } == true ? "an" : "a"
    }

    private static func hint(_ action: ExportAction, kind: ExportKind, status: String) -> String {
        if status == "Restricted" {
            return "a Restricted authorization cannot be changed or released again (restricting cannot be undone); grant a new one"
        }
        switch (action, kind) {
        case (.restrict, _):
            return "only an Active authorization can be restricted; a Draft was never published, leave it or RELEASE it first"
        case (.release, _):
            return "it is already published"
        case (.rename, .resaleAuthorizations), (.retarget, .resaleAuthorizations), (.schedule, .resaleAuthorizations):
            return "a published authorization cannot take this change; add REPRICE to re-grant it with the change (the old one is then restricted)"
        case (.reprice, .offers), (.retarget, .offers), (.schedule, .offers):
            return "a released offer cannot take this change; make a new offer"
        default:
            return "export again to see its status"
        }
    }
}
