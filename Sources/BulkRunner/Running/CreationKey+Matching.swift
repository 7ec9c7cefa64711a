import Foundation
import CatalogModels

extension CreationKey {
    /// Whether the key can be looked up automatically: a ListEntities filter is known and the
    /// key has a `Name` to compare (without one, any entity on the same product and account
    /// would match and a row could be called done on someone else's entity).
    var isVerifiable: Bool {
        listEntitiesRequest != nil && !(value(of: "Name") ?? "").isEmpty
    }

    /// Whether `summary` (a ListEntities result) is the entity this key creates: every key
    /// field the summary shows is equal (names compared exactly; `BuyerAccounts` as sets).
    /// Fields a summary does not show (an offer's AgreementId) are not compared.
    func matches(_ summary: EntitySummary) -> Bool {
        guard summary.entityId != nil else { return false }
        for field in fields {
            guard let shown = Self.summaryValue(field.name, in: summary) else { continue }
            guard let actual = shown else { return false }
            if field.name == "BuyerAccounts" {
                let want = Set(field.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                let have = Set(actual.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                guard want == have else { return false }
            } else if actual != field.value {
                return false
            }
        }
        return true
    }

    /// The value of key field `name` as a summary shows it: `nil` when the summary has no
    /// such field, `.some(nil)` when it has the field but it is empty.
    static func summaryValue(_ name: String, in summary: EntitySummary) -> String?? {
        if let ra = summary.resaleAuthorizationSummary {
            switch name {
            case "Name": return .some(ra.name ?? summary.name)
            case "ProductId": return .some(ra.productId)
            case "ResellerAccountId", "ResellerAccountID": return .some(ra.resellerAccountID)
            default: return nil
            }
        }
        if let offer = summary.offerSummary {
            switch name {
            case "Name": return .some(offer.name ?? summary.name)
            case "ProductId": return .some(offer.productId)
            case "ResaleAuthorizationId": return .some(offer.resaleAuthorizationId)
            case "BuyerAccounts": return .some(offer.buyerAccounts?.joined(separator: ","))
            default: return nil
            }
        }
        return name == "Name" ? .some(summary.name) : nil
    }
}
