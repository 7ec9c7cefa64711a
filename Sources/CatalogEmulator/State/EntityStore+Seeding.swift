import CatalogModels
import Clocks
import Foundation

/// Deterministic legal names for reseller accounts (the directory of channel partners is not
/// part of the API; the emulator derives a stable name from the account id).
enum ResellerNames {
    private static let stems = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Woodgrove", "Litware", "Proseware",
                                "Adatum", "Lucerne", "Wingtip", "Margie's", "Alpine", "Coho", "Fourth Coffee", "Humongous"]
    private static let suffixes = ["Partners LLC", "Cloud Resellers Inc.", "Solutions Ltd", "Distribution GmbH", "Channel Group"]

    /// `Contoso Solutions Ltd` for an account id, always the same.
    static func legalName(for accountId: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in accountId.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return "\(stems[Int(hash % UInt64(stems.count))]) \(suffixes[Int((hash / 97) % UInt64(suffixes.count))])"
    }
}

extension EntityStore {
    /// The dimensions seeded products get, by product type.
    static func seedDimensions(for kind: EntityKind) -> [JSONValue] {
        func dimension(_ key: String, _ unit: String, _ types: [String]) -> JSONValue {
            ["Key": .string(key), "Name": .string(key), "Description": .string("\(key) dimension"),
             "Unit": .string(unit), "Types": .array(types.map { .string($0) })]
        }
        // Every kind also has BasicService (a contract dimension): the seeded authorizations and
        // offers price it whatever their product, and dimension keys are checked. ReadOnlyUsers on
        // AMI products: the public sample of an AMI contract offer prices it
        // (offers_create_private_offer_with_contract_pricing_for_ami_product.json).
        switch kind {
        case .amiProduct:
            return ["t2.micro", "t2.small", "m5.large", "m7g.2xlarge", "m7g.4xlarge"].map { dimension($0, "Hrs", ["Metered"]) }
                + [dimension("ReadOnlyUsers", "Users", ["Entitled"]), dimension("BasicService", "Units", ["Entitled"])]
        case .containerProduct:
            return [dimension("ReqPerHour", "Requests", ["Entitled"]), dimension("ReadOnlyUsers", "Users", ["Entitled"]),
                    dimension("BasicService", "Units", ["Entitled"])]
        default:
            return ["BasicService", "PremiumService", "WorkloadSmall", "WorkloadMedium", "Users"].map { dimension($0, "Units", ["Entitled"]) }
        }
    }

    /// The account's world before the first call, drawn from `seed` alone (and the start time):
    /// products, resale authorizations in every status, offers, agreements.
    static func seeded(_ configuration: EmulatorConfiguration, now: Date) -> EntityStore {
        var rng = SplitMix64.stream(seed: configuration.seed, label: "seeding")
        var store = EntityStore()
        let plan = configuration.seeding
        let titles = ["Data Vault", "Stream Analyzer", "Secure Gateway", "Insight Platform", "Log Lens", "Cost Pilot",
                      "Edge Cache", "Identity Hub", "Backup Pro", "Model Studio", "Graph Engine", "Build Runner"]
        func uniqueId(_ prefix: String, _ count: Int) -> String {
            var id: String
            repeat { id = prefix + rng.string(count: count) } while store.contains(id)
            return id
        }
        func pastDate(maxDays: Int) -> Date {
            now.addingTimeInterval(-Double(1 + Int(rng.next() % UInt64(max(1, maxDays)))) * 86_400 - Double(rng.next() % 86_400))
        }
        func futureDay(minDays: Int, maxDays: Int) -> String {
            CatalogTime.day(number: CatalogTime.dayNumber(now) + Int64(minDays) + Int64(rng.next() % UInt64(max(1, maxDays - minDays))))
        }

        // Products: the named ones first, then the random ones.
        var ownProducts: [ProductRecord] = []
        for named in plan.namedProducts {
            let kind: EntityKind = named.kind == .ami ? .amiProduct : named.kind == .container ? .containerProduct : .saasProduct
            let created = now.addingTimeInterval(-400 * 86_400)
            let product = ProductRecord(
                id: named.id, kind: kind, title: named.title, visibility: "Public",
                ownerAccountId: configuration.accountId, ownerLegalName: configuration.sellerLegalName,
                dimensions: seedDimensions(for: kind), information: [:], targeting: nil, deliveryOptions: [],
                created: created, lastModified: created.addingTimeInterval(3600), revision: 1)
            store.products[product.id] = product
            ownProducts.append(product)
        }
        let kinds: [(EntityKind, Int, Bool)] = [(.amiProduct, plan.amiProducts, true), (.containerProduct, plan.containerProducts, true),
                                                (.saasProduct, plan.saasProducts, true), (.saasProduct, plan.foreignProducts, false)]
        var titleIndex = Int(rng.next() % UInt64(titles.count))
        for (kind, count, own) in kinds {
            for _ in 0..<max(0, count) {
                let created = pastDate(maxDays: 900)
                let product = ProductRecord(
                    id: uniqueId("prod-", 13), kind: kind,
                    title: "\(titles[titleIndex % titles.count]) (\(kind == .amiProduct ? "AMI" : kind == .containerProduct ? "Container" : "SaaS"))",
                    visibility: "Public",
                    ownerAccountId: own ? configuration.accountId : "999988887777",
                    ownerLegalName: own ? configuration.sellerLegalName : "Another Vendor Corp.",
                    dimensions: seedDimensions(for: kind), information: [:], targeting: nil, deliveryOptions: [],
                    created: created, lastModified: created.addingTimeInterval(3600), revision: 1 + Int(rng.next() % 4))
                titleIndex += 1
                store.products[product.id] = product
                if own { ownProducts.append(product) }
            }
        }

        // Resale authorizations: a mix of statuses, some one-time, some expiring.
        let pricing: JSONValue = [
            "Type": "ResaleConfigurableUpfrontPricingTerm", "CurrencyCode": "USD",
            "RateCards": [["Selector": ["Type": "Duration", "Value": "P12M"],
                           "RateCard": [["DimensionKey": "BasicService", "Price": "150.00"]],
                           "Constraints": ["MultipleDimensionSelection": "Allowed", "QuantityConfiguration": "Allowed"]]],
        ]
        // The standard EULA as an authorization carries it: a BuyerLegalTerm (resale_authorization_*
        // public samples) holding the StandardEula document of the offer samples (Version 2022-07-14).
        let legal: JSONValue = ["Type": "BuyerLegalTerm", "Documents": [["Type": "StandardEula", "Version": "2022-07-14"]]]
        var activeAuthorizations: [ResaleAuthorizationRecord] = []
        if !ownProducts.isEmpty {
            for n in 0..<max(0, plan.resaleAuthorizations) {
                let product = ownProducts[Int(rng.next() % UInt64(ownProducts.count))]
                // Resellers: 12 digits, never starting with 9, so they are valid under the default rule.
                let reseller = String(1 + rng.next() % 8) + rng.string(count: 11, alphabet: Array("0123456789"))
                let roll = rng.next() % 10
                let status = roll < 3 ? "Draft" : roll < 8 ? "Active" : "Restricted"
                let created = pastDate(maxDays: 400)
                var ra = ResaleAuthorizationRecord(
                    id: uniqueId("resaleauthz-", 13), name: "Seeded authorization \(n + 1)",
                    description: "Resale of \(product.title)", status: status, productId: product.id, productName: product.title,
                    manufacturerAccountId: configuration.accountId, manufacturerLegalName: configuration.sellerLegalName,
                    resellerAccountId: reseller, resellerLegalName: ResellerNames.legalName(for: reseller),
                    created: created, lastModified: created.addingTimeInterval(7200), releaseDate: nil, revision: 1,
                    offerCreatedCount: 0)
                if status != "Draft" || rng.chance(0.5) {
                    ra.pricingModel = "Contract"
                    ra.terms[.pricing] = [pricing]
                    ra.terms[.legal] = [legal]
                }
                if rng.chance(0.4) { ra.availabilityEndDate = futureDay(minDays: 30, maxDays: 700) }
                if rng.chance(0.3) { ra.offersMaxQuantity = 1 }
                if status != "Draft" {
                    ra.releaseDate = created.addingTimeInterval(3600)
                    ra.revision = 2 + Int(rng.next() % 3)
                    let cap = ra.offersMaxQuantity ?? 4
                    ra.offerCreatedCount = Int(rng.next() % UInt64(cap + 1))
                }
                store.resaleAuthorizations[ra.id] = ra
                if status == "Active" { activeAuthorizations.append(ra) }
            }
        }

        // Offers: private offers (Draft or Released) and channel-partner offers.
        if !ownProducts.isEmpty {
            for n in 0..<max(0, plan.offers) {
                let created = pastDate(maxDays: 300)
                let fromAuthorization = !activeAuthorizations.isEmpty && rng.chance(0.3)
                let released = rng.chance(0.6)
                var offer: OfferRecord
                if fromAuthorization {
                    let ra = activeAuthorizations[Int(rng.next() % UInt64(activeAuthorizations.count))]
                    offer = OfferRecord(id: uniqueId("offer-", 13), name: "Seeded channel offer \(n + 1)", productId: ra.productId ?? "",
                                        resaleAuthorizationId: ra.id, state: "Draft", created: created, lastModified: created, revision: 1)
                    offer.markupPercentage = "5.0"
                } else {
                    let product = ownProducts[Int(rng.next() % UInt64(ownProducts.count))]
                    offer = OfferRecord(id: uniqueId("offer-", 13), name: "Seeded private offer \(n + 1)", productId: product.id,
                                        state: "Draft", created: created, lastModified: created, revision: 1)
                }
                offer.buyerAccounts = [String(1 + rng.next() % 8) + rng.string(count: 11, alphabet: Array("0123456789"))]
                offer.pricingModel = "Usage"
                offer.terms[.pricing] = [["Type": "UsageBasedPricingTerm", "CurrencyCode": "USD",
                                          "RateCards": [["RateCard": [["DimensionKey": "BasicService", "Price": "0.10"]]]]]]
                offer.terms[.legal] = [["Type": "LegalTerm", "Documents": [["Type": "StandardEula", "Version": "2022-07-14"]]]]
                if rng.chance(0.5) { offer.availabilityEndDate = futureDay(minDays: 30, maxDays: 300) }
                if released {
                    offer.state = "Released"
                    offer.releaseDate = created.addingTimeInterval(600)
                    offer.revision = 2
                }
                offer.lastModified = created.addingTimeInterval(900)
                store.offers[offer.id] = offer
            }
        }

        // Agreements.
        if !ownProducts.isEmpty {
            for _ in 0..<max(0, plan.agreements) {
                let product = ownProducts[Int(rng.next() % UInt64(ownProducts.count))]
                let agreement = AgreementRecord(id: uniqueId("agmt-", 25), productId: product.id,
                                                buyerAccountId: String(1 + rng.next() % 8) + rng.string(count: 11, alphabet: Array("0123456789")))
                store.agreements[agreement.id] = agreement
            }
        }
        return store
    }
}
