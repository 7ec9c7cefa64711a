import CatalogModels
import Foundation

/// A value of an entity field, for ListEntities filters and sorts.
enum FieldValue: Sendable {
    case text(String?)
    case list([String])
    /// A point in time (CreatedDate, LastModifiedDate, AvailabilityEndDate at the end of its day …).
    case time(Date?)

    /// The key this value sorts by.
    var sortKey: SortKey {
        switch self {
        case .text(let text): return text.map { .text($0) } ?? .missing
        case .list(let items): return items.isEmpty ? .missing : .text(items.joined(separator: ","))
        case .time(let date): return date.map { .number($0.timeIntervalSince1970) } ?? .missing
        }
    }
}

/// A sort key: missing values first, then numbers (times), then text; written into page
/// tokens as text (`-`, `n:<number>`, `t:<text>`).
enum SortKey: Sendable, Hashable, Comparable {
    case missing
    case number(Double)
    case text(String)

    /// The token form.
    var encoded: String {
        switch self {
        case .missing: return "-"
        case .number(let value): return "n:\(value)"
        case .text(let text): return "t:" + text
        }
    }

    /// Reads the token form.
    init?(encoded: String) {
        if encoded == "-" {
            self = .missing
        } else if encoded.hasPrefix("n:"), let value = Double(encoded.dropFirst(2)) {
            self = .number(value)
        } else if encoded.hasPrefix("t:") {
            self = .text(String(encoded.dropFirst(2)))
        } else {
            return nil
        }
    }

    private var rank: Int {
        switch self {
        case .missing: return 0
        case .number: return 1
        case .text: return 2
        }
    }

    static func < (lhs: SortKey, rhs: SortKey) -> Bool {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): return a < b
        case (.text(let a), .text(let b)): return a < b
        default: return lhs.rank < rhs.rank
        }
    }
}

/// One entity as DescribeEntity, BatchDescribeEntities and ListEntities show it. A thin wrapper
/// over the stored record: fields, the DetailsDocument and the summary are computed only when
/// asked, so filtering and sorting thousands of entities stays cheap.
struct EntityView: Sendable {
    /// The stored record.
    enum Record: Sendable {
        case resaleAuthorization(ResaleAuthorizationRecord)
        /// An offer with its product owner's account.
        case offer(OfferRecord, owner: String)
        case product(ProductRecord)
    }

    let record: Record
    let region: String

    var kind: EntityKind {
        switch record {
        case .resaleAuthorization: return .resaleAuthorization
        case .offer: return .offer
        case .product(let p): return p.kind
        }
    }

    var id: String {
        switch record {
        case .resaleAuthorization(let r): return r.id
        case .offer(let o, _): return o.id
        case .product(let p): return p.id
        }
    }

    var revision: Int {
        switch record {
        case .resaleAuthorization(let r): return r.revision
        case .offer(let o, _): return o.revision
        case .product(let p): return p.revision
        }
    }

    var ownerAccountId: String {
        switch record {
        case .resaleAuthorization(let r): return r.manufacturerAccountId
        case .offer(_, let owner): return owner
        case .product(let p): return p.ownerAccountId
        }
    }

    var lastModified: Date {
        switch record {
        case .resaleAuthorization(let r): return r.lastModified
        case .offer(let o, _): return o.lastModified
        case .product(let p): return p.lastModified
        }
    }

    /// The versioned type, e.g. `Offer@1.0`.
    var entityType: String { kind.versionedName }

    /// `resaleauthz-…@3`.
    var identifier: String { "\(id)@\(revision)" }

    /// The entity's ARN.
    var arn: String { Self.arn(region: region, account: ownerAccountId, kind: kind, id: id) }

    /// The ARN of an entity: `arn:aws:aws-marketplace:us-east-1:<account>:AWSMarketplace/<Type>/<id>`.
    static func arn(region: String, account: String, kind: EntityKind, id: String) -> String {
        "arn:aws:aws-marketplace:\(region):\(account):AWSMarketplace/\(kind.rawValue)/\(id)"
    }

    /// The end of an availability end date, as a time.
    private static func endOfDay(_ day: String?) -> Date? {
        guard let day, let number = CatalogTime.parseDay(day) else { return nil }
        return Date(timeIntervalSince1970: Double(number * 86_400 + 86_399))
    }

    /// The value of a ListEntities field (filter or sort name), `nil` for fields the type lacks.
    func field(_ name: String) -> FieldValue? {
        switch record {
        case .resaleAuthorization(let ra):
            switch name {
            case "EntityId": return .text(ra.id)
            case "Name": return .text(ra.name)
            case "ProductId": return .text(ra.productId)
            case "ProductName": return .text(ra.productName)
            case "ManufacturerAccountId": return .text(ra.manufacturerAccountId)
            case "ManufacturerLegalName": return .text(ra.manufacturerLegalName)
            case "ResellerAccountID": return .text(ra.resellerAccountId)
            case "ResellerLegalName": return .text(ra.resellerLegalName)
            case "Status": return .text(ra.status)
            case "OfferExtendedStatus": return .text(ra.offerExtendedStatus)
            case "CreatedDate": return .time(ra.created)
            case "AvailabilityEndDate": return .time(Self.endOfDay(ra.availabilityEndDate))
            case "LastModifiedDate": return .time(ra.lastModified)
            default: return nil
            }
        case .offer(let offer, _):
            switch name {
            case "EntityId": return .text(offer.id)
            case "Name": return .text(offer.name)
            case "ProductId": return .text(offer.productId)
            case "ResaleAuthorizationId": return .text(offer.resaleAuthorizationId)
            case "ReleaseDate": return .time(offer.releaseDate)
            case "AvailabilityEndDate": return .time(Self.endOfDay(offer.availabilityEndDate))
            case "BuyerAccounts": return .list(offer.buyerAccounts)
            case "State": return .text(offer.state)
            case "Targeting": return .list(offer.targetingKinds)
            case "LastModifiedDate": return .time(offer.lastModified)
            case "OfferSetId": return .text(nil)
            default: return nil
            }
        case .product(let product):
            switch name {
            case "EntityId": return .text(product.id)
            case "ProductTitle": return .text(product.title)
            case "Visibility": return .text(product.visibility)
            case "LastModifiedDate": return .time(product.lastModified)
            default: return nil
            }
        }
    }

    /// The DetailsDocument.
    var document: JSONValue { documentAndSummary.document }

    /// The ListEntities summary.
    var summary: EntitySummary { documentAndSummary.summary }

    private var documentAndSummary: (document: JSONValue, summary: EntitySummary) {
        switch record {
        case .resaleAuthorization(let ra):
            return Self.documentAndSummary(ra, arn: arn, endTimestamp: ra.availabilityEndDate.flatMap(CatalogTime.endOfDayTimestamp))
        case .offer(let offer, _):
            return Self.documentAndSummary(offer, arn: arn, endTimestamp: offer.availabilityEndDate.flatMap(CatalogTime.endOfDayTimestamp))
        case .product(let product):
            return Self.documentAndSummary(product, arn: arn)
        }
    }
}

extension EntityStore {
    /// The view of entity `id`, if it exists.
    func view(_ id: String, region: String) -> EntityView? {
        if let ra = resaleAuthorizations[id] { return EntityView(record: .resaleAuthorization(ra), region: region) }
        if let offer = offers[id] { return offerView(offer, region: region) }
        if let product = products[id] { return EntityView(record: .product(product), region: region) }
        return nil
    }

    /// Every entity of `kind`.
    func views(of kind: EntityKind, region: String) -> [EntityView] {
        switch kind {
        case .resaleAuthorization: return resaleAuthorizations.values.map { EntityView(record: .resaleAuthorization($0), region: region) }
        case .offer: return offers.values.map { offerView($0, region: region) }
        default: return products.values.filter { $0.kind == kind }.map { EntityView(record: .product($0), region: region) }
        }
    }

    private func offerView(_ offer: OfferRecord, region: String) -> EntityView {
        EntityView(record: .offer(offer, owner: products[offer.productId]?.ownerAccountId ?? ""), region: region)
    }

    /// Every term of an entity, in category order.
    static func allTerms(_ terms: [TermCategory: [JSONValue]]) -> [JSONValue] {
        TermCategory.allCases.flatMap { terms[$0] ?? [] }
    }
}

extension EntityView {
    static func documentAndSummary(_ ra: ResaleAuthorizationRecord, arn: String, endTimestamp: String?) -> (document: JSONValue, summary: EntitySummary) {
        var document: JSONObject = [
            "Id": .string(ra.id), "Name": .string(ra.name), "Status": .string(ra.status),
        ]
        document["Description"] = ra.description.map { .string($0) }
        document["ProductId"] = ra.productId.map { .string($0) }
        document["ProductName"] = ra.productName.map { .string($0) }
        document["ManufacturerAccountId"] = .string(ra.manufacturerAccountId)
        document["ManufacturerLegalName"] = .string(ra.manufacturerLegalName)
        document["ResellerAccountId"] = .string(ra.resellerAccountId)
        document["ResellerLegalName"] = .string(ra.resellerLegalName)
        document["CreatedDate"] = .string(CatalogTime.timestamp(ra.created))
        document["ReleaseDate"] = ra.releaseDate.map { .string(CatalogTime.timestamp($0)) }
        document["PricingModel"] = ra.pricingModel.map { .string($0) }
        document["Terms"] = .array(EntityStore.allTerms(ra.terms))
        var availability: JSONObject = ["Type": "AvailabilityRule"]
        availability["AvailabilityEndDate"] = ra.availabilityEndDate.map { .string($0) }
        availability["OffersMaxQuantity"] = ra.offersMaxQuantity.map { .number(JSONNumber($0)) }
        document["Rules"] = [
            .object(availability),
            ["Type": "PartnerTargetingRule", "PositiveTargeting": ["SellerAccounts": [.string(ra.resellerAccountId)]]],
        ]
        document["OfferDetails"] = ["OfferExtendedStatus": .string(ra.offerExtendedStatus),
                                    "OfferCreatedCount": .number(JSONNumber(ra.offerCreatedCount))]
        document["PreExistingBuyerAgreement"] = ra.preExistingBuyerAgreement
        let summary = EntitySummary(
            name: ra.name, entityType: EntityKind.resaleAuthorization.rawValue, entityId: ra.id, entityArn: arn,
            lastModifiedDate: CatalogTime.timestamp(ra.lastModified),
            resaleAuthorizationSummary: ResaleAuthorizationSummary(
                name: ra.name, productId: ra.productId, productName: ra.productName, manufacturerAccountId: ra.manufacturerAccountId,
                manufacturerLegalName: ra.manufacturerLegalName, resellerAccountID: ra.resellerAccountId,
                resellerLegalName: ra.resellerLegalName, status: ra.status, offerExtendedStatus: ra.offerExtendedStatus,
                createdDate: CatalogTime.timestamp(ra.created), availabilityEndDate: endTimestamp))
        return (.object(document), summary)
    }

    static func documentAndSummary(_ offer: OfferRecord, arn: String, endTimestamp: String?) -> (document: JSONValue, summary: EntitySummary) {
        var document: JSONObject = ["Id": .string(offer.id)]
        document["Name"] = offer.name.map { .string($0) }
        document["Description"] = offer.description.map { .string($0) }
        document["ProductId"] = .string(offer.productId)
        document["ResaleAuthorizationId"] = offer.resaleAuthorizationId.map { .string($0) }
        document["AgreementId"] = offer.agreementId.map { .string($0) }
        document["State"] = .string(offer.state)
        document["CreatedDate"] = .string(CatalogTime.timestamp(offer.created))
        document["ReleaseDate"] = offer.releaseDate.map { .string(CatalogTime.timestamp($0)) }
        document["PricingModel"] = offer.pricingModel.map { .string($0) }
        document["Terms"] = .array(EntityStore.allTerms(offer.terms))
        var rules: [JSONValue] = []
        if let endTimestamp { rules.append(["Type": "AvailabilityRule", "DateAvailability": ["EndDate": .string(endTimestamp)]]) }
        var positive: JSONObject = [:]
        if !offer.buyerAccounts.isEmpty { positive["BuyerAccounts"] = .array(offer.buyerAccounts.map { .string($0) }) }
        if !offer.countryCodes.isEmpty { positive["CountryCodes"] = .array(offer.countryCodes.map { .string($0) }) }
        if !offer.participatingPrograms.isEmpty {
            positive["ParticipatingPrograms"] = .array(offer.participatingPrograms.map { .string($0) })
        }
        if !positive.isEmpty { rules.append(["Type": "TargetingRule", "PositiveTargeting": .object(positive)]) }
        document["Rules"] = .array(rules)
        document["Markup"] = offer.markupPercentage.map { ["Percentage": .string($0)] }
        let summary = EntitySummary(
            name: offer.name, entityType: EntityKind.offer.rawValue, entityId: offer.id, entityArn: arn,
            lastModifiedDate: CatalogTime.timestamp(offer.lastModified),
            offerSummary: OfferSummary(
                name: offer.name, productId: offer.productId, resaleAuthorizationId: offer.resaleAuthorizationId,
                releaseDate: offer.releaseDate.map(CatalogTime.timestamp), availabilityEndDate: endTimestamp,
                buyerAccounts: offer.buyerAccounts.isEmpty ? nil : offer.buyerAccounts, state: offer.state,
                targeting: offer.targetingKinds))
        return (.object(document), summary)
    }

    static func documentAndSummary(_ product: ProductRecord, arn: String) -> (document: JSONValue, summary: EntitySummary) {
        var description: JSONObject = ["ProductTitle": .string(product.title), "Visibility": .string(product.visibility)]
        for (key, value) in product.information where key != "ProductTitle" { description[key] = value }
        var document: JSONObject = [
            "Id": .string(product.id), "Description": .object(description),
            "Dimensions": .array(product.dimensions),
        ]
        document["ManufacturerAccountId"] = .string(product.ownerAccountId)
        document["ManufacturerLegalName"] = .string(product.ownerLegalName)
        document["Targeting"] = product.targeting.map { ["PositiveTargeting": $0] }
        document["DeliveryOptions"] = .array(product.deliveryOptions)
        let productSummary = ProductSummary(productTitle: product.title, visibility: product.visibility)
        var summary = EntitySummary(name: product.title, entityType: product.kind.rawValue, entityId: product.id, entityArn: arn,
                                    lastModifiedDate: CatalogTime.timestamp(product.lastModified), visibility: product.visibility)
        switch product.kind {
        case .amiProduct: summary.amiProductSummary = productSummary
        case .containerProduct: summary.containerProductSummary = productSummary
        default: summary.saaSProductSummary = productSummary
        }
        return (.object(document), summary)
    }
}
