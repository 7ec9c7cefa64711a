import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing
import TestSupport

/// Every public sample change set (aws-samples/aws-marketplace-reference-code, copied in
/// shared/testdata/reference-changesets) is accepted and applied, once its `{{…}}`
/// placeholders are filled, its sample ids point at entities of the emulated account and its
/// sample dates (2023–2025, now in the past) are moved ten years ahead. Dimension keys are
/// checked against the product, so each sample's `prod-1111111111111` becomes a product that
/// has the dimensions it prices: an AMI product when it names instance types (`t2.small`),
/// whatever the file is called.
@Suite("Public reference change sets")
struct ReferenceChangeSetTests {
    static let folder = TestData.url("reference-changesets")
    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".json") }.sorted()

    @Test func allFortyNineSamplesAreHere() {
        #expect(Self.files.count == 49)
    }

    @Test("sample is accepted and applied", arguments: files)
    func sampleIsAppliedAsPublished(file: String) async throws {
        let world = World()
        let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
        var document = try JSONValue(parsing: text)
        let ids = try await sampleIds(for: file, document: document, world: world)
        document = rewrite(document, ids: ids, shiftDates: file != "offers_expire_private_offer.json", world: world)
        let request = try CatalogJSON.decode(StartChangeSetRequest.self, from: document)
        let response = try await world.emulator.startChangeSet(request)
        let id = try #require(response.changeSetId)
        #expect(try await world.status(id) == .preparing)
        world.settle()
        let description = try await world.describe(id)
        let errors = description.changeSet?.compactMap(\.errorDetailList).flatMap { $0 } ?? []
        #expect(description.status == .succeeded, "\(file): \(errors)")
        // Every change reports its entity with a revision; creates report new ids.
        for (change, summary) in zip(request.changeSet, description.changeSet ?? []) {
            let identifier = summary.entity?.identifier ?? ""
            #expect(identifier.contains("@"), "\(file) \(change.changeType): \(identifier)")
            if change.changeType.hasPrefix("Create") {
                let prefix = change.entity.type.hasPrefix("ResaleAuthorization") ? "resaleauthz-"
                    : change.entity.type.hasPrefix("Offer") ? "offer-" : "prod-"
                #expect(identifier.hasPrefix(prefix) && identifier.hasSuffix("@1"), "\(file): \(identifier)")
            }
        }
        try await checkEffects(file: file, description: description, ids: ids, world: world)
    }

    /// Which entity each sample id stands for, made or found in the emulated account.
    func sampleIds(for file: String, document: JSONValue, world: World) async throws -> [String: JSONValue] {
        let text = document.compactString
        let pricesInstanceTypes = EntityKind.amiInstanceTypeKeys(in: text)
        let kind: EntityKind = file.contains("ami") || pricesInstanceTypes ? .amiProduct
            : file.contains("container") ? .containerProduct : .saasProduct
        let product = await world.product(kind)
        if file.hasPrefix("offers_bulk_create_private_offer_usage_based_2_") {
            // Step 2 of that sample prices the metered dimensions step 1 gave its new product.
            let dimensions: JSONValue = .array(["metered_1_id", "metered_2_id", "metered_3_id"].map {
                ["Key": .string($0), "Name": .string($0), "Unit": "Units", "Types": ["ExternallyMetered"]]
            })
            let added = try await world.run([C.change("AddDimensions", .saasProduct, product, dimensions)])
            #expect(added.status == .succeeded)
        }
        var ids: [String: JSONValue] = [
            "prod-1111111111111": .string(product), "prod-wa4ddxl7e7ktw": .string(product),
            "{{PRODUCT_ID}}": .string(product), "{{OFFER_NAME}}": "Bulk private offer",
            "{{OFFER_DESCRIPTION}}": "Usage-based private offer", "{{BUYER_IDS}}": ["111111111111", "222222222222"],
            "{{EXPIRY_DATE}}": .string(world.day(90)), "{{CUSTOM_EULA_URL}}": "https://example.com/eula.pdf",
            "{{RATE_CARDS}}": [["DimensionKey": "metered_1_id", "Price": "0.9"], ["DimensionKey": "metered_2_id", "Price": "1.7"]],
            "{{CONTRACT_DURATION_DAYS}}": "P365D",
        ]
        if text.contains("resaleauthz-1111111111111") || text.contains("11111111-1111-1111-1111-111111111111") {
            // Restricting needs an Active authorization; updating an unpublished one a Draft.
            let ra = file.contains("update_unpublished") ? try await world.draftAuthorization(product: product)
                                                          : try await world.activeAuthorization(product: product)
            ids["resaleauthz-1111111111111"] = .string(ra)
            ids["11111111-1111-1111-1111-111111111111"] = .string(ra)
        }
        if text.contains("offer-1111111111111") {
            ids["offer-1111111111111"] = .string(try await world.releasedOffer(product: product))
        }
        if text.contains("agmt-1111111111111111111111111") {
            let agreement = try #require(await world.inventory().agreements.first)
            ids["agmt-1111111111111111111111111"] = .string(agreement.id)
        }
        return ids
    }

    /// Replaces sample ids and placeholders, and moves `YYYY-MM-DD` dates ten years ahead.
    func rewrite(_ value: JSONValue, ids: [String: JSONValue], shiftDates: Bool, world: World) -> JSONValue {
        switch value {
        case .string(let text):
            if let replacement = ids[text] { return replacement }
            if shiftDates, CatalogTime.parseDay(text) != nil, let year = Int(text.prefix(4)) {
                return .string(String(year + 10) + text.dropFirst(4))
            }
            return value
        case .array(let items):
            return .array(items.map { rewrite($0, ids: ids, shiftDates: shiftDates, world: world) })
        case .object(let object):
            return .object(JSONObject(object.entries.map { ($0.key, rewrite($0.value, ids: ids, shiftDates: shiftDates, world: world)) }))
        default:
            return value
        }
    }

    /// Spot checks of what some samples must have done.
    func checkEffects(file: String, description: DescribeChangeSetResponse, ids: [String: JSONValue], world: World) async throws {
        func created(_ index: Int) throws -> JSONValue { .string(try world.createdId(description, index)) }
        switch file {
        case "resale_authorization_restrict_resale_authorization.json":
            let ra = try #require(ids["resaleauthz-1111111111111"]?.stringValue)
            #expect(try await world.entity(ra)["Status"] == "Restricted")
        case "resale_authorization_draft_resaleauth_allproducttype.json", "resale_authorization_onetime_resaleauth_renewal.json":
            let ra = try world.createdId(description)
            #expect(try await world.entity(ra)["Status"] == "Draft")
        case let name where name.hasPrefix("resale_authorization_") && name != "resale_authorization_update_unpublished_resale_authorization.json":
            let ra = try world.createdId(description)
            let details = try await world.entity(ra)
            #expect(details["Status"] == "Active", "\(file)")
            if name.contains("onetime") { #expect(details["Rules"]?[0]?["OffersMaxQuantity"] == 1) }
        case "offers_expire_private_offer.json":
            let offer = try #require(ids["offer-1111111111111"]?.stringValue)
            #expect(try await world.entity(offer)["Rules"]?[0]?["DateAvailability"]?["EndDate"] == "2023-01-01T23:59:59Z")
        case "channel_partner_offers_create_draft_cppo_offer.json":
            let offer = try await world.entity(try world.createdId(description))
            #expect(offer["State"] == "Draft")
            #expect(offer["ResaleAuthorizationId"] == ids["resaleauthz-1111111111111"])
        case "offers_bulk_create_private_offer_usage_based_1_publishSaasProcuct.json":
            let product = try created(0)
            let offer = try await world.entity(try world.createdId(description, 6))
            #expect(offer["ProductId"] == product)
            #expect(offer["State"] == "Released")
        case let name where name.hasPrefix("offers_create_private_offer") || name.hasPrefix("channel_partner_offers_publish"):
            #expect(try await world.entity(try world.createdId(description))["State"] == "Released", "\(file)")
        default:
            break
        }
    }
}

extension EntityKind {
    /// Whether `json` prices an EC2 instance type (`"DimensionKey":"t2.small"`): an AMI product's dimension.
    static func amiInstanceTypeKeys(in json: String) -> Bool {
        json.components(separatedBy: #""DimensionKey":""#).dropFirst().contains { part in
            let key = part.prefix { $0 != "\"" }
            return key.contains(".") && key.first?.isLetter == true
        }
    }
}
