import CatalogModels
import Foundation

/// Derives ``CreationKey``s from a request's changes (see ``CreationKey`` for the table).
enum CreationKeys {
    /// The keys of the create changes among `changeIndices` of `request` (one row's changes:
    /// a create's name and buyers may come from the row's UpdateInformation and
    /// UpdateTargeting changes that refer to it).
    static func keys(in request: StartChangeSetRequest, changeIndices: [Int]) -> [CreationKey] {
        let row = changeIndices.compactMap { index in
            request.changeSet.indices.contains(index) ? (index: index, change: request.changeSet[index]) : nil
        }
        return row.filter { $0.change.changeType.hasPrefix("Create") }.map { key(for: $0.change, at: $0.index, in: row) }
    }

    static func key(for change: Change, at index: Int, in row: [(index: Int, change: Change)]) -> CreationKey {
        let details: JSONValue? = try? change.detailsJSON()
        let reference = change.changeName.map(ChangeReference.make)
        /// A member of the details of another change in the row that targets this create.
        func fromRow(_ changeType: String, _ path: [String]) -> JSONValue? {
            guard let reference else { return nil }
            for other in row where other.change.changeType == changeType && other.change.entity.identifier == reference {
                var value: JSONValue? = try? other.change.detailsJSON()
                for key in path { value = value?[key] }
                if let value { return value }
            }
            return nil
        }
        func text(_ value: JSONValue?) -> String? {
            switch value {
            case .string(let s)?: return s
            case .array(let items)?: return items.compactMap(\.stringValue).joined(separator: ",")
            case .number(let n)?: return n.text
            default: return nil
            }
        }
        let name = text(details?["Name"]) ?? text(fromRow("UpdateInformation", ["Name"]))
        var fields: [CreationKey.Field] = []
        func add(_ field: String, _ value: String?) {
            if let value, !value.isEmpty { fields.append(CreationKey.Field(name: field, value: value)) }
        }
        /// Only real ids filter: a reference to another change of the set is not known yet.
        func id(_ value: String?) -> String? { value.flatMap { $0.hasPrefix("$") ? nil : $0 } }
        var request: ListEntitiesRequest?
        switch change.changeType {
        case "CreateResaleAuthorization":
            let reseller = text(details?["ResellerAccountId"]), product = text(details?["ProductId"])
            add("ResellerAccountId", reseller)
            add("ProductId", product)
            add("Name", name)
            request = ListEntitiesRequest(entityType: "ResaleAuthorization", entityTypeFilters: .resaleAuthorization(
                ResaleAuthorizationFilters(name: name.map { WildcardFilter(valueList: [$0]) },
                                           productId: id(product).map { WildcardFilter(valueList: [$0]) },
                                           resellerAccountID: reseller.map { WildcardFilter(valueList: [$0]) })))
        case "CreateOffer":
            let product = text(details?["ProductId"])
            let buyers = text(fromRow("UpdateTargeting", ["PositiveTargeting", "BuyerAccounts"]))
            add("ProductId", product)
            add("Name", name)
            add("BuyerAccounts", buyers)
            let buyerList = buyers.map { $0.split(separator: ",").map(String.init) }
            request = ListEntitiesRequest(entityType: "Offer", entityTypeFilters: .offer(OfferFilters(
                name: name.map { WildcardFilter(valueList: [$0]) },
                productId: id(product).map { ValueListFilter(valueList: [$0]) },
                buyerAccounts: buyerList.map { WildcardFilter(valueList: Array($0.prefix(10))) })))
        case "CreateOfferUsingResaleAuthorization", "CreateReplacementOfferUsingResaleAuthorization":
            let authorization = text(details?["ResaleAuthorizationId"])
            add("ResaleAuthorizationId", authorization)
            add("AgreementId", text(details?["AgreementId"]))
            add("Name", name)
            request = ListEntitiesRequest(entityType: "Offer", entityTypeFilters: .offer(OfferFilters(
                name: name.map { WildcardFilter(valueList: [$0]) },
                resaleAuthorizationId: id(authorization).map { ValueListFilter(valueList: [$0]) })))
        case "CreateReplacementOffer":
            add("AgreementId", text(details?["AgreementId"]))
            add("Name", name)
            if let name {
                request = ListEntitiesRequest(entityType: "Offer", entityTypeFilters: .offer(OfferFilters(
                    name: WildcardFilter(valueList: [name]))))
            }
        default:
            add("Name", name ?? text(fromRow("UpdateInformation", ["ProductTitle"])))
        }
        return CreationKey(changeIndex: index, changeName: change.changeName, changeType: change.changeType,
                           entityType: change.entity.type, fields: fields, listEntitiesRequest: request)
    }
}
