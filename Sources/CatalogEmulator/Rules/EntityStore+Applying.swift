import CatalogModels
import Foundation

/// The effect of each modelled change type on the account's entities, with the checks the
/// service makes while applying (statuses, mandatory terms, dates, resellers).
extension EntityStore {
    /// Applies one change; returns the ids of the entities it changed (beyond its own, e.g. the
    /// authorization whose OfferCreatedCount grows), or throws why it cannot be applied.
    mutating func apply(_ change: PlannedChange, evaluator: ChangeSetEvaluator) throws(ChangeFailure) -> Set<String> {
        switch change.kind {
        case .resaleAuthorization: return try applyResaleAuthorization(change, evaluator)
        case .offer: return try applyOffer(change, evaluator)
        case .amiProduct, .containerProduct, .saasProduct: return try applyProduct(change, evaluator)
        }
    }

    // MARK: Resale authorizations

    private mutating func applyResaleAuthorization(_ change: PlannedChange, _ ev: ChangeSetEvaluator) throws(ChangeFailure) -> Set<String> {
        let id = change.entityId
        let d = change.details
        if change.changeType == "CreateResaleAuthorization" {
            let reseller = d["ResellerAccountId"]?.stringValue ?? ""
            guard ev.configuration.resellers.isReseller(reseller, seller: ev.accountId) else {
                let why = reseller == ev.accountId
                    ? "ResellerAccountId \(reseller) is your own account; a seller cannot authorize itself"
                    : "ResellerAccountId \(reseller) is not a registered AWS Marketplace channel partner account"
                throw ChangeFailure(code: "INVALID_RESELLER_ACCOUNT", message: why)
            }
            var productName: String?
            let productId = d["ProductId"]?.stringValue
            if let productId {
                guard let product = products[productId] else {
                    throw ChangeFailure(code: "RESOURCE_NOT_FOUND", message: "product \(productId) does not exist")
                }
                productName = product.title
            }
            resaleAuthorizations[id] = ResaleAuthorizationRecord(
                id: id, name: d["Name"]?.stringValue ?? "", description: d["Description"]?.stringValue, status: "Draft",
                productId: productId, productName: productName, manufacturerAccountId: ev.accountId,
                manufacturerLegalName: ev.configuration.sellerLegalName, resellerAccountId: reseller,
                resellerLegalName: ResellerNames.legalName(for: reseller), created: ev.now, lastModified: ev.now,
                releaseDate: nil, revision: 1, offerCreatedCount: 0)
            return [id]
        }
        guard var ra = resaleAuthorizations[id] else {
            throw ChangeFailure(code: "RESOURCE_NOT_FOUND", message: "resale authorization \(id) does not exist")
        }
        func requireDraft() throws(ChangeFailure) {
            guard ra.status == "Draft" else {
                throw ChangeFailure(code: "INCOMPATIBLE_STATUS",
                                    message: "\(change.changeType) cannot be applied to resale authorization \(id) in status \(ra.status); only a Draft resale authorization can be updated")
            }
        }
        switch change.changeType {
        case "UpdateInformation":
            try requireDraft()
            if let name = d["Name"]?.stringValue { ra.name = name }
            if let description = d["Description"]?.stringValue { ra.description = description }
            if let agreement = d["PreExistingBuyerAgreement"], !agreement.isNull { ra.preExistingBuyerAgreement = agreement }
        case "UpdatePricingTerms":
            try requireDraft()
            try checkDimensionKeys(in: d["Terms"], of: ra.productId, change: "UpdatePricingTerms of resale authorization \(id)")
            ra.pricingModel = d["PricingModel"]?.stringValue
            ra.terms[.pricing] = d["Terms"]?.arrayValue ?? []
        case "UpdatePaymentScheduleTerms":
            try requireDraft()
            ra.terms[.paymentSchedule] = d["Terms"]?.arrayValue ?? []
        case "UpdateLegalTerms":
            try requireDraft()
            ra.terms[.legal] = d["Terms"]?.arrayValue ?? []
        case "UpdateBuyerTargetingTerms":
            try requireDraft()
            ra.terms[.buyerTargeting] = d["Terms"]?.arrayValue ?? []
        case "UpdateBuyerValidityTerms":
            try requireDraft()
            ra.terms[.validity] = d["Terms"]?.arrayValue ?? []
        case "UpdateNetPaymentTerms":
            try requireDraft()
            ra.terms[.netPayment] = d["Terms"]?.arrayValue ?? []
        case "UpdateAvailability":
            guard ra.status != "Restricted" else {
                throw ChangeFailure(code: "INCOMPATIBLE_STATUS",
                                    message: "UpdateAvailability cannot be applied to resale authorization \(id): it is Restricted, which cannot be undone")
            }
            if let date = d["AvailabilityEndDate"]?.stringValue {
                guard !ev.isPast(date) else {
                    throw ChangeFailure(code: "INVALID_AVAILABILITY_END_DATE",
                                        message: "AvailabilityEndDate \(date) of resale authorization \(id) is in the past")
                }
                ra.availabilityEndDate = date
            }
            if let max = d["OffersMaxQuantity"]?.numberValue?.intValue {
                guard max >= ra.offerCreatedCount else {
                    throw ChangeFailure(code: "INVALID_OFFERS_MAX_QUANTITY",
                                        message: "OffersMaxQuantity \(max) is below the \(ra.offerCreatedCount) offers already created from resale authorization \(id)")
                }
                ra.offersMaxQuantity = max
            }
        case "ReleaseResaleAuthorization":
            guard ra.status == "Draft" else {
                throw ChangeFailure(code: "INCOMPATIBLE_STATUS",
                                    message: "resale authorization \(id) is \(ra.status); only a Draft resale authorization can be released")
            }
            var missing: [String] = []
            if !ra.hasPricingTerms { missing.append("a pricing term (UpdatePricingTerms)") }
            if !ra.hasBuyerLegalTerm { missing.append("a BuyerLegalTerm (UpdateLegalTerms)") }
            guard missing.isEmpty else {
                throw ChangeFailure(code: "MISSING_MANDATORY_TERMS",
                                    message: "resale authorization \(id) cannot be released without " + missing.joined(separator: " and "))
            }
            guard !ev.isPast(ra.availabilityEndDate) else {
                throw ChangeFailure(code: "INVALID_AVAILABILITY_END_DATE",
                                    message: "resale authorization \(id) cannot be released: its AvailabilityEndDate \(ra.availabilityEndDate ?? "") has passed")
            }
            ra.status = "Active"
            ra.releaseDate = ev.now
        case "RestrictResaleAuthorization":
            guard ra.status == "Active" else {
                let why = ra.status == "Restricted"
                    ? "resale authorization \(id) is already Restricted"
                    : "resale authorization \(id) is \(ra.status); only an Active resale authorization can be restricted"
                throw ChangeFailure(code: "INCOMPATIBLE_STATUS", message: why)
            }
            ra.status = "Restricted"
        default:
            throw ChangeFailure(code: "UNSUPPORTED_CHANGE", message: "\(change.changeType) is not modelled for ResaleAuthorization")
        }
        resaleAuthorizations[id] = ra
        return [id]
    }

    // MARK: Offers

    private mutating func applyOffer(_ change: PlannedChange, _ ev: ChangeSetEvaluator) throws(ChangeFailure) -> Set<String> {
        let id = change.entityId
        let d = change.details
        switch change.changeType {
        case "CreateOffer":
            let productId = d["ProductId"]?.stringValue ?? ""
            guard products[productId] != nil else {
                throw ChangeFailure(code: "RESOURCE_NOT_FOUND", message: "product \(productId) does not exist")
            }
            offers[id] = OfferRecord(id: id, name: d["Name"]?.stringValue, description: d["Description"]?.stringValue,
                                     productId: productId, state: "Draft", created: ev.now, lastModified: ev.now, revision: 1)
            return [id]
        case "CreateReplacementOffer":
            let agreementId = d["AgreementId"]?.stringValue ?? ""
            guard let agreement = agreements[agreementId] else {
                throw ChangeFailure(code: "RESOURCE_NOT_FOUND", message: "agreement \(agreementId) does not exist")
            }
            var offer = OfferRecord(id: id, name: d["Name"]?.stringValue, productId: agreement.productId, agreementId: agreementId,
                                    state: "Draft", created: ev.now, lastModified: ev.now, revision: 1)
            offer.buyerAccounts = [agreement.buyerAccountId]
            offers[id] = offer
            return [id]
        case "CreateOfferUsingResaleAuthorization", "CreateReplacementOfferUsingResaleAuthorization":
            let raId = d["ResaleAuthorizationId"]?.stringValue ?? ""
            guard var ra = resaleAuthorizations[raId] else {
                throw ChangeFailure(code: "RESOURCE_NOT_FOUND", message: "resale authorization \(raId) does not exist")
            }
            guard ra.status == "Active" else {
                throw ChangeFailure(code: "INCOMPATIBLE_STATUS",
                                    message: "resale authorization \(raId) is \(ra.status); channel partner offers can only be created from an Active resale authorization")
            }
            guard !ev.isPast(ra.availabilityEndDate) else {
                throw ChangeFailure(code: "INVALID_AVAILABILITY_END_DATE",
                                    message: "resale authorization \(raId) expired on \(ra.availabilityEndDate ?? "")")
            }
            if let max = ra.offersMaxQuantity, ra.offerCreatedCount >= max {
                throw ChangeFailure(code: "OFFERS_MAX_QUANTITY_REACHED",
                                    message: "resale authorization \(raId) allows \(max) offer\(max == 1 ? "" : "s") and \(ra.offerCreatedCount) \(ra.offerCreatedCount == 1 ? "has" : "have") been created")
            }
            guard let productId = ra.productId else {
                throw ChangeFailure(code: "INVALID_RESALE_AUTHORIZATION",
                                    message: "resale authorization \(raId) names no product; the emulator creates channel partner offers only from product-specific authorizations")
            }
            var offer = OfferRecord(id: id, name: d["Name"]?.stringValue, description: d["Description"]?.stringValue,
                                    productId: productId, resaleAuthorizationId: raId, state: "Draft",
                                    created: ev.now, lastModified: ev.now, revision: 1)
            if let agreementId = d["AgreementId"]?.stringValue {
                guard let agreement = agreements[agreementId] else {
                    throw ChangeFailure(code: "RESOURCE_NOT_FOUND", message: "agreement \(agreementId) does not exist")
                }
                offer.agreementId = agreementId
                offer.buyerAccounts = [agreement.buyerAccountId]
            }
            // The offer inherits the authorization's terms, as buyer-facing terms.
            offer.pricingModel = ra.pricingModel
            offer.terms[.pricing] = (ra.terms[.pricing] ?? []).map(EntityStore.buyerFacing)
            offer.terms[.paymentSchedule] = (ra.terms[.paymentSchedule] ?? []).map(EntityStore.buyerFacing)
            offer.terms[.legal] = (ra.terms[.legal] ?? []).filter { $0["Type"]?.stringValue == "BuyerLegalTerm" }.map {
                var term = $0
                term["Type"] = "LegalTerm"
                return term
            }
            if let targeting = ra.terms[.buyerTargeting]?.first?["PositiveTargeting"]?["BuyerAccounts"]?.arrayValue {
                offer.buyerAccounts = targeting.compactMap(\.stringValue)
            }
            offer.availabilityEndDate = ra.availabilityEndDate
            offers[id] = offer
            ra.offerCreatedCount += 1
            resaleAuthorizations[raId] = ra
            return [id, raId]
        default:
            break
        }
        guard var offer = offers[id] else {
            throw ChangeFailure(code: "RESOURCE_NOT_FOUND", message: "offer \(id) does not exist")
        }
        switch change.changeType {
        case "UpdateInformation":
            if let name = d["Name"]?.stringValue { offer.name = name }
            if let description = d["Description"]?.stringValue { offer.description = description }
        case "UpdateTargeting":
            let positive = d["PositiveTargeting"]
            offer.buyerAccounts = positive?["BuyerAccounts"]?.arrayValue?.compactMap(\.stringValue) ?? []
            offer.countryCodes = positive?["CountryCodes"]?.arrayValue?.compactMap(\.stringValue) ?? []
            offer.participatingPrograms = positive?["ParticipatingPrograms"]?.arrayValue?.compactMap(\.stringValue) ?? []
        case "UpdateLegalTerms":
            offer.terms[.legal] = d["Terms"]?.arrayValue ?? []
        case "UpdatePricingTerms":
            try checkDimensionKeys(in: d["Terms"], of: offer.productId, change: "UpdatePricingTerms of offer \(id)")
            offer.pricingModel = d["PricingModel"]?.stringValue
            offer.terms[.pricing] = d["Terms"]?.arrayValue ?? []
        case "UpdatePaymentScheduleTerms":
            offer.terms[.paymentSchedule] = d["Terms"]?.arrayValue ?? []
        case "UpdateValidityTerms":
            offer.terms[.validity] = d["Terms"]?.arrayValue ?? []
        case "UpdateSupportTerms":
            offer.terms[.support] = d["Terms"]?.arrayValue ?? []
        case "UpdateRenewalTerms":
            offer.terms[.renewal] = d["Terms"]?.arrayValue ?? []
        case "UpdateMarkup":
            guard offer.isChannelPartnerOffer else {
                throw ChangeFailure(code: "INCOMPATIBLE_OFFER_TYPE", message: "offer \(id) is not a channel partner offer; UpdateMarkup does not apply")
            }
            offer.markupPercentage = d["Percentage"]?.stringValue
        case "UpdateAvailability":
            let date = d["AvailabilityEndDate"]?.stringValue ?? ""
            if ev.isPast(date) {
                // Expiring an offer: only a released offer can be expired.
                guard offer.state == "Released" else {
                    throw ChangeFailure(code: "INVALID_AVAILABILITY_END_DATE",
                                        message: "AvailabilityEndDate \(date) is in the past and offer \(id) is \(offer.state); only a released offer can be expired")
                }
            }
            if let raId = offer.resaleAuthorizationId, let raEnd = resaleAuthorizations[raId]?.availabilityEndDate,
               let raDay = CatalogTime.parseDay(raEnd), let day = CatalogTime.parseDay(date), day > raDay {
                throw ChangeFailure(code: "INVALID_AVAILABILITY_END_DATE",
                                    message: "AvailabilityEndDate \(date) of offer \(id) is after \(raEnd), when its resale authorization \(raId) ends")
            }
            offer.availabilityEndDate = date
        case "ReleaseOffer":
            guard offer.state == "Draft" else {
                throw ChangeFailure(code: "INCOMPATIBLE_STATUS", message: "offer \(id) is already \(offer.state); only a Draft offer can be released")
            }
            if let product = products[offer.productId], product.visibility == "Draft" {
                throw ChangeFailure(code: "INCOMPATIBLE_STATUS",
                                    message: "offer \(id) cannot be released: its product \(offer.productId) is still Draft (release the product first)")
            }
            var missing: [String] = []
            if (offer.terms[.pricing] ?? []).isEmpty { missing.append("a pricing term (UpdatePricingTerms)") }
            if (offer.terms[.legal] ?? []).isEmpty { missing.append("a legal term (UpdateLegalTerms)") }
            guard missing.isEmpty else {
                throw ChangeFailure(code: "MISSING_MANDATORY_TERMS",
                                    message: "offer \(id) cannot be released without " + missing.joined(separator: " and "))
            }
            guard !ev.isPast(offer.availabilityEndDate) else {
                throw ChangeFailure(code: "INVALID_AVAILABILITY_END_DATE",
                                    message: "offer \(id) cannot be released: its AvailabilityEndDate \(offer.availabilityEndDate ?? "") has passed")
            }
            offer.state = "Released"
            offer.releaseDate = ev.now
        default:
            throw ChangeFailure(code: "UNSUPPORTED_CHANGE", message: "\(change.changeType) is not modelled for Offer")
        }
        offers[id] = offer
        return [id]
    }

    // MARK: Dimension keys

    /// Checks that every `DimensionKey` named anywhere in `terms` (rate cards, grants …) is a
    /// dimension of the product `productId` as it stands at this point of the change set (so a
    /// dimension added by an earlier AddDimensions of the same set counts). An authorization for
    /// all the seller's products (no product) is not checked: no one product's dimensions apply.
    ///
    /// The service checks this too, but its error code and message are not published (the API
    /// reference, the seller guide and the public samples are silent); `INVALID_DIMENSION_KEY`
    /// and the wording are the emulator's own (see ``CatalogEmulator``).
    func checkDimensionKeys(in terms: JSONValue?, of productId: String?, change: String) throws(ChangeFailure) {
        guard let terms, let productId, let product = products[productId] else { return }
        let known = Set(product.dimensionKeys)
        for key in Self.dimensionKeys(in: terms) where !known.contains(key) {
            throw Self.unknownDimension(key, product: product, change: change, hint: "")
        }
    }

    /// Every `DimensionKey` value anywhere in `value`, in document order, each once.
    static func dimensionKeys(in value: JSONValue) -> [String] {
        var keys: [String] = []
        func walk(_ value: JSONValue) {
            if let object = value.objectValue {
                for (name, member) in object {
                    if name == "DimensionKey", let key = member.stringValue {
                        if !keys.contains(key) { keys.append(key) }
                    } else {
                        walk(member)
                    }
                }
            } else if let items = value.arrayValue {
                items.forEach(walk)
            }
        }
        walk(value)
        return keys
    }

    /// `INVALID_DIMENSION_KEY`: `key` is not a dimension of `product`; the message lists its dimensions.
    static func unknownDimension(_ key: String, product: ProductRecord, change: String, hint: String) -> ChangeFailure {
        let dimensions = product.dimensionKeys.isEmpty ? "it has none" : "its dimensions are " + product.dimensionKeys.joined(separator: ", ")
        return ChangeFailure(code: "INVALID_DIMENSION_KEY",
                             message: "\(change): DimensionKey '\(key)' is not a dimension of product \(product.id) (\(dimensions))\(hint)")
    }

    /// A resale term as the buyer sees it: `ResaleConfigurableUpfrontPricingTerm` →
    /// `ConfigurableUpfrontPricingTerm`, `ResalePaymentScheduleTerm` → `PaymentScheduleTerm`.
    static func buyerFacing(_ term: JSONValue) -> JSONValue {
        var term = term
        if let type = term["Type"]?.stringValue, type.hasPrefix("Resale") {
            term["Type"] = .string(String(type.dropFirst("Resale".count)))
        }
        return term
    }

    // MARK: Products

    private mutating func applyProduct(_ change: PlannedChange, _ ev: ChangeSetEvaluator) throws(ChangeFailure) -> Set<String> {
        let id = change.entityId
        let d = change.details
        if change.changeType == "CreateProduct" {
            products[id] = ProductRecord(
                id: id, kind: change.kind, title: d["ProductTitle"]?.stringValue ?? "Untitled \(change.kind.rawValue)",
                visibility: "Draft", ownerAccountId: ev.accountId, ownerLegalName: ev.configuration.sellerLegalName,
                dimensions: [], information: [:], targeting: nil, deliveryOptions: [],
                created: ev.now, lastModified: ev.now, revision: 1)
            return [id]
        }
        guard var product = products[id] else {
            throw ChangeFailure(code: "RESOURCE_NOT_FOUND", message: "product \(id) does not exist")
        }
        switch change.changeType {
        case "UpdateInformation":
            for (key, value) in d.objectValue ?? [:] { product.information[key] = value }
            if let title = d["ProductTitle"]?.stringValue { product.title = title }
        case "UpdateTargeting":
            product.targeting = d["PositiveTargeting"]
        case "AddDeliveryOptions":
            product.deliveryOptions.append(contentsOf: d["DeliveryOptions"]?.arrayValue ?? [])
        case "AddDimensions":
            let existing = Set(product.dimensionKeys)
            for item in d.arrayValue ?? [] {
                if let key = item["Key"]?.stringValue, existing.contains(key) {
                    throw ChangeFailure(code: "DUPLICATE_DIMENSION_KEY", message: "product \(id) already has a dimension with Key \(key)")
                }
            }
            product.dimensions.append(contentsOf: d.arrayValue ?? [])
        case "UpdateDimensions":
            for item in d.arrayValue ?? [] {
                let key = item["Key"]?.stringValue ?? ""
                guard let index = product.dimensions.firstIndex(where: { $0["Key"]?.stringValue == key }) else {
                    throw Self.unknownDimension(key, product: product, change: "UpdateDimensions of product \(id)",
                                                hint: "; add it with AddDimensions")
                }
                var dimension = product.dimensions[index]
                for field in ["Name", "Description", "Types"] {
                    if let value = item[field], !value.isNull { dimension[field] = value }
                }
                product.dimensions[index] = dimension
            }
        case "ReleaseProduct":
            guard product.visibility == "Draft" else {
                throw ChangeFailure(code: "INCOMPATIBLE_STATUS", message: "product \(id) is \(product.visibility); only a Draft product can be released")
            }
            product.visibility = "Limited"
        default:
            throw ChangeFailure(code: "UNSUPPORTED_CHANGE", message: "\(change.changeType) is not modelled for \(change.kind.rawValue)")
        }
        products[id] = product
        return [id]
    }
}
