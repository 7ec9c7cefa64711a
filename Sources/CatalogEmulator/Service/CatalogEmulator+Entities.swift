import CatalogModels
import Foundation

extension CatalogEmulator {
    // MARK: DescribeEntity, BatchDescribeEntities

    /// The entity `id` (a revision suffix is ignored), or the error DescribeEntity answers.
    private func entityView(_ id: String) throws(CatalogError) -> EntityView {
        let base = ChangeSetPlanner.baseId(id)
        guard let view = store.view(base, region: configuration.region) else {
            if store.agreements[base] != nil {
                throw CatalogError(.resourceNotSupported, message: "Entity \(base) is an agreement; DescribeEntity does not support agreements")
            }
            throw CatalogError(.resourceNotFound, message: "Entity \(base) was not found")
        }
        guard view.ownerAccountId == configuration.accountId else {
            throw CatalogError(.accessDenied, message: "You don't have access to entity \(base): it belongs to another account")
        }
        return view
    }

    func describe(_ request: DescribeEntityRequest) throws(CatalogError) -> DescribeEntityResponse {
        try ChangeSetPlanner.checkCatalog(request.catalog)
        let view = try entityView(request.entityId)
        let document = view.document
        return DescribeEntityResponse(
            entityType: view.entityType, entityIdentifier: view.identifier,
            entityArn: view.arn, lastModifiedDate: CatalogTime.timestamp(view.lastModified),
            details: document.compactString, detailsDocument: document)
    }

    func batchDescribe(_ request: BatchDescribeEntitiesRequest) throws(CatalogError) -> BatchDescribeEntitiesResponse {
        let entries = request.entityRequestList
        guard (1...20).contains(entries.count) else {
            throw invalid("1 validation error detected: Value at 'entityRequestList' failed to satisfy constraint: Member must have length between 1 and 20 (got \(entries.count))")
        }
        var details: [String: EntityDetail] = [:]
        var errors: [String: BatchDescribeErrorDetail] = [:]
        for entry in entries {
            do throws(CatalogError) {
                try ChangeSetPlanner.checkCatalog(entry.catalog)
                let view = try entityView(entry.entityId)
                details[entry.entityId] = EntityDetail(
                    entityType: view.entityType, entityArn: view.arn, entityIdentifier: view.identifier,
                    lastModifiedDate: CatalogTime.timestamp(view.lastModified), detailsDocument: view.document)
            } catch {
                errors[entry.entityId] = BatchDescribeErrorDetail(errorCode: error.code.wireName, errorMessage: error.message)
            }
        }
        return BatchDescribeEntitiesResponse(entityDetails: details, errors: errors)
    }

    // MARK: ListEntities

    func list(_ request: ListEntitiesRequest) throws(CatalogError) -> ListEntitiesResponse {
        try ChangeSetPlanner.checkCatalog(request.catalog)
        let typeName = request.entityType
        if typeName.contains("@") {
            throw invalid("EntityType '\(typeName)' must be given without a version, e.g. \(typeName.split(separator: "@").first.map(String.init) ?? "Offer")")
        }
        guard EntityKind.listableTypeNames.contains(typeName) else {
            throw invalid("1 validation error detected: Value '\(typeName)' at 'entityType' is not a supported entity type")
        }
        let size = request.maxResults ?? 20
        guard (1...50).contains(size) else {
            throw invalid("1 validation error detected: Value '\(size)' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50")
        }
        let kind = EntityKind(rawValue: typeName)
        let query = try EntityQuery(request, kind: kind)
        var fingerprintRequest = request
        fingerprintRequest.nextToken = nil
        fingerprintRequest.maxResults = nil
        let fingerprint = PageCursor.fingerprint((try? CatalogJSON.encodeValue(fingerprintRequest)) ?? .null)
        let cursor = try request.nextToken.map { (token) throws(CatalogError) in try PageCursor(token: token, fingerprint: fingerprint) }
        guard let kind, request.ownershipType != .shared else {
            // Types the emulator does not model, and entities shared with the account: none.
            return ListEntitiesResponse(entitySummaryList: [], nextToken: nil)
        }
        let views = store.views(of: kind, region: configuration.region)
            .filter { $0.ownerAccountId == configuration.accountId && query.matches($0) }
        let items = views.map { (key: $0.field(query.sortBy)?.sortKey ?? SortKey.missing, id: $0.id, item: $0) }
        let page = Pager(items: items, descending: query.descending).page(after: cursor, size: size, fingerprint: fingerprint)
        return ListEntitiesResponse(entitySummaryList: page.items.map(\.summary), nextToken: page.next?.token)
    }
}

/// The filters and sort of one ListEntities request, checked against the model: the typed
/// filters must be the member for the request's EntityType, at most 8 filters and one
/// wildcard, 1–10 values each, enumerations from the model.
struct EntityQuery: Sendable {
    private var predicates: [@Sendable (EntityView) -> Bool] = []
    /// The field sorted by (default `LastModifiedDate`).
    var sortBy = "LastModifiedDate"
    var descending = false

    /// The filters of a typed filter struct, as (field, filter) pairs.
    private enum AnyFilter {
        case values(ValueListFilter?)
        case wildcard(WildcardFilter?)
        case date(DateFilter?)
    }

    init(_ request: ListEntitiesRequest, kind: EntityKind?) throws(CatalogError) {
        let typeName = request.entityType
        var filters: [(String, AnyFilter)] = []
        if let typed = request.entityTypeFilters {
            let members: [(String, Bool)] = [
                ("ResaleAuthorizationFilters", typed.resaleAuthorizationFilters != nil), ("OfferFilters", typed.offerFilters != nil),
                ("AmiProductFilters", typed.amiProductFilters != nil), ("ContainerProductFilters", typed.containerProductFilters != nil),
                ("SaaSProductFilters", typed.saaSProductFilters != nil), ("DataProductFilters", typed.dataProductFilters != nil),
                ("MachineLearningProductFilters", typed.machineLearningProductFilters != nil), ("OfferSetFilters", typed.offerSetFilters != nil),
            ]
            let present = members.filter(\.1).map(\.0)
            guard present.count <= 1 else {
                throw invalid("EntityTypeFilters is a union: set exactly one member (got \(present.joined(separator: ", ")))")
            }
            if let member = present.first, member != "\(typeName)Filters" {
                throw invalid("EntityTypeFilters.\(member) cannot be used with EntityType \(typeName); use \(typeName)Filters")
            }
            if let f = typed.resaleAuthorizationFilters {
                filters = [("EntityId", .values(f.entityId)), ("Name", .wildcard(f.name)), ("ProductId", .wildcard(f.productId)),
                           ("CreatedDate", .date(f.createdDate)), ("AvailabilityEndDate", .date(f.availabilityEndDate)),
                           ("ManufacturerAccountId", .wildcard(f.manufacturerAccountId)), ("ProductName", .wildcard(f.productName)),
                           ("ManufacturerLegalName", .wildcard(f.manufacturerLegalName)), ("ResellerAccountID", .wildcard(f.resellerAccountID)),
                           ("ResellerLegalName", .wildcard(f.resellerLegalName)), ("Status", .values(f.status)),
                           ("OfferExtendedStatus", .values(f.offerExtendedStatus)), ("LastModifiedDate", .date(f.lastModifiedDate))]
                if let values = f.status?.valueList, let bad = values.first(where: { !["Draft", "Active", "Restricted"].contains($0) }) {
                    throw invalid("ResaleAuthorizationFilters.Status: '\(bad)' is not valid; expected Draft, Active or Restricted")
                }
            } else if let f = typed.offerFilters {
                filters = [("EntityId", .values(f.entityId)), ("Name", .wildcard(f.name)), ("ProductId", .values(f.productId)),
                           ("ResaleAuthorizationId", .values(f.resaleAuthorizationId)), ("ReleaseDate", .date(f.releaseDate)),
                           ("AvailabilityEndDate", .date(f.availabilityEndDate)), ("BuyerAccounts", .wildcard(f.buyerAccounts)),
                           ("State", .values(f.state)), ("Targeting", .values(f.targeting)), ("LastModifiedDate", .date(f.lastModifiedDate)),
                           ("OfferSetId", .values(f.offerSetId))]
                if let values = f.state?.valueList {
                    if let bad = values.first(where: { !["Draft", "Released"].contains($0) }) {
                        throw invalid("OfferFilters.State: '\(bad)' is not valid; expected Draft or Released")
                    }
                    guard values.count <= 2 else { throw invalid("OfferFilters.State takes at most 2 values") }
                }
                if let values = f.targeting?.valueList,
                   let bad = values.first(where: { !["BuyerAccounts", "ParticipatingPrograms", "CountryCodes", "None"].contains($0) }) {
                    throw invalid("OfferFilters.Targeting: '\(bad)' is not valid; expected BuyerAccounts, ParticipatingPrograms, CountryCodes or None")
                }
                if f.buyerAccounts?.valueList != nil {
                    throw invalid("OfferFilters.BuyerAccounts takes WildCardValue only")
                }
            } else if let f = typed.amiProductFilters ?? typed.containerProductFilters ?? typed.saaSProductFilters
                        ?? typed.dataProductFilters ?? typed.machineLearningProductFilters {
                filters = [("EntityId", .values(f.entityId)), ("ProductTitle", .wildcard(f.productTitle)),
                           ("Visibility", .values(f.visibility)), ("LastModifiedDate", .date(f.lastModifiedDate))]
            }
        }
        var count = 0
        var wildcards = 0
        for (field, filter) in filters {
            switch filter {
            case .values(let f?):
                count += 1
                let values = try Self.values(f.valueList, field)
                predicates.append { view in Self.value(view, field).contains(where: values.contains) }
            case .wildcard(let f?):
                count += 1
                if f.valueList != nil, f.wildCardValue != nil {
                    throw invalid("\(field) filter: give ValueList or WildCardValue, not both")
                }
                if let wildcard = f.wildCardValue {
                    wildcards += 1
                    guard !wildcard.isEmpty, wildcard.count <= 255 else { throw invalid("\(field) filter: WildCardValue must have 1–255 characters") }
                    let needle = wildcard.lowercased()
                    predicates.append { view in Self.value(view, field).contains { $0.lowercased().contains(needle) } }
                } else {
                    let values = try Self.values(f.valueList, field)
                    predicates.append { view in Self.value(view, field).contains(where: values.contains) }
                }
            case .date(let f?):
                count += 1
                if let range = f.dateRange {
                    let after = try range.afterValue.map { (text) throws(CatalogError) in try Self.timestamp(text, field) }
                    let before = try range.beforeValue.map { (text) throws(CatalogError) in try Self.timestamp(text, field) }
                    guard after != nil || before != nil else { throw invalid("\(field) filter: DateRange needs AfterValue or BeforeValue") }
                    predicates.append { view in
                        guard case .time(let date?)? = view.field(field) else { return false }
                        return (after.map { date >= $0 } ?? true) && (before.map { date <= $0 } ?? true)
                    }
                } else if let list = f.valueList {
                    let dates = try Self.values(list, field).map { (text) throws(CatalogError) in try Self.timestamp(text, field) }
                    predicates.append { view in
                        guard case .time(let date?)? = view.field(field) else { return false }
                        return dates.contains { abs($0.timeIntervalSince(date)) < 1 }
                    }
                } else {
                    throw invalid("\(field) filter: give DateRange or ValueList")
                }
            default:
                continue
            }
        }
        // The generic FilterList: EntityId for every type; ProductTitle and Visibility for products.
        for filter in request.filterList ?? [] {
            let name = filter.name ?? ""
            let allowed = kind?.isProduct == true ? ["EntityId", "ProductTitle", "Visibility"] : ["EntityId"]
            guard allowed.contains(name) else {
                throw invalid("FilterList name '\(name)' is not supported for EntityType \(typeName); use \(allowed.joined(separator: ", ")) or EntityTypeFilters")
            }
            count += 1
            let values = try Self.values(filter.valueList, name)
            predicates.append { view in Self.value(view, name).contains(where: values.contains) }
        }
        guard count <= 8 else { throw invalid("At most 8 filters can be used in one ListEntities request (got \(count))") }
        guard wildcards <= 1 else { throw invalid("Only one wildcard filter can be used in one ListEntities request (got \(wildcards))") }

        // Sort: the generic Sort or the typed EntityTypeSort, not both.
        if request.sort != nil, request.entityTypeSort != nil {
            throw invalid("Give Sort or EntityTypeSort, not both")
        }
        var sort = request.sort
        var allowedFields = ["LastModifiedDate", "EntityId"]
        if let typed = request.entityTypeSort {
            let members: [(String, Sort?)] = [
                ("ResaleAuthorizationSort", typed.resaleAuthorizationSort), ("OfferSort", typed.offerSort),
                ("AmiProductSort", typed.amiProductSort), ("ContainerProductSort", typed.containerProductSort),
                ("SaaSProductSort", typed.saaSProductSort), ("DataProductSort", typed.dataProductSort),
                ("MachineLearningProductSort", typed.machineLearningProductSort), ("OfferSetSort", typed.offerSetSort),
            ]
            let present = members.filter { $0.1 != nil }
            guard present.count == 1, let member = present.first else {
                throw invalid("EntityTypeSort is a union: set exactly one member")
            }
            guard member.0 == "\(typeName)Sort" else {
                throw invalid("EntityTypeSort.\(member.0) cannot be used with EntityType \(typeName); use \(typeName)Sort")
            }
            sort = member.1
        }
        switch kind {
        case .resaleAuthorization?:
            allowedFields = ["EntityId", "Name", "ProductId", "ProductName", "ManufacturerAccountId", "ManufacturerLegalName",
                             "ResellerAccountID", "ResellerLegalName", "Status", "OfferExtendedStatus", "CreatedDate",
                             "AvailabilityEndDate", "LastModifiedDate"]
        case .offer?:
            allowedFields = ["EntityId", "Name", "ProductId", "ResaleAuthorizationId", "ReleaseDate", "AvailabilityEndDate",
                             "BuyerAccounts", "State", "Targeting", "LastModifiedDate", "OfferSetId"]
        case .amiProduct?, .containerProduct?, .saasProduct?:
            allowedFields = ["EntityId", "LastModifiedDate", "ProductTitle", "Visibility"]
        case nil:
            break
        }
        if let field = sort?.sortBy {
            guard allowedFields.contains(field) else {
                throw invalid("SortBy '\(field)' is not supported for EntityType \(typeName); use one of \(allowedFields.joined(separator: ", "))")
            }
            sortBy = field
        }
        descending = try CatalogEmulator.isDescending(sort?.sortOrder)
    }

    /// Whether `view` passes every filter.
    func matches(_ view: EntityView) -> Bool {
        predicates.allSatisfy { $0(view) }
    }

    private static func value(_ view: EntityView, _ field: String) -> [String] {
        switch view.field(field) {
        case .text(let text?)?: return [text]
        case .list(let items)?: return items
        case .time(let date?)?: return [CatalogTime.timestamp(date)]
        default: return []
        }
    }

    private static func values(_ list: [String]?, _ field: String) throws(CatalogError) -> [String] {
        guard let list, (1...10).contains(list.count) else {
            throw invalid("\(field) filter: ValueList must have 1–10 values (got \(list?.count ?? 0))")
        }
        return list
    }

    private static func timestamp(_ text: String, _ field: String) throws(CatalogError) -> Date {
        guard let date = CatalogTime.parseTimestamp(text) else {
            throw invalid("\(field) filter: '\(text)' is not an ISO 8601 date-time such as 2030-01-31T00:00:00Z")
        }
        return date
    }
}
