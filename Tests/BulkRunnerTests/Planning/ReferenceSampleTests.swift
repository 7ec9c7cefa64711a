import CatalogModels
import Foundation
import Testing
import TestSupport

@testable import BulkRunner

/// Every public AWS sample change set (testdata/reference-changesets) loads as a template and
/// renders to a valid StartChangeSet request — each file its own case.
@Suite struct ReferenceSampleTests {
    static let folder = TestData.url("reference-changesets")

    static func sampleNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    /// Values for the placeholders the two template samples use.
    static let values: [String: String] = [
        "PRODUCT_ID": "prod-wa4ddxl7e7ktw",
        "OFFER_NAME": "Demo Private Offer with Dynamic Pricing",
        "OFFER_DESCRIPTION": "Demo Private Offer with Rate Card Based Pricing",
        "BUYER_IDS": "111111111111",
        "EXPIRY_DATE": "2026-11-02",
        "CUSTOM_EULA_URL": "https://s3.amazonaws.com/aws-mp-standard-contracts/Standard-Contact-for-AWS-Marketplace-2022-07-14.pdf",
        "RATE_CARDS": #"[{"DimensionKey": "metered_1_id", "Price": "0.9"}, {"DimensionKey": "metered_2_id", "Price": "1.7"}, {"DimensionKey": "metered_3_id", "Price": "2.4"}]"#,
        "CONTRACT_DURATION_DAYS": "P365D",
    ]

    @Test("the folder holds the 49 samples")
    func folderIsComplete() {
        #expect(Self.sampleNames().count == 49)
    }

    @Test("loads and renders to a valid StartChangeSet request", arguments: sampleNames())
    func rendersToAValidRequest(name: String) throws {
        let workspace = try Workspace()
        let url = Self.folder.appendingPathComponent(name)
        let template = try Template(contentsOf: url)
        let original = try JSONValue(parsing: try Data(contentsOf: url))
        let columns = template.columns.map(\.name)
        let header = columns.isEmpty ? ["Row"] : columns
        let row = columns.isEmpty ? ["1"] : columns.map { Self.values[$0] ?? "" }
        let planned = try plan(template, header: header, rows: [row], in: workspace)
        #expect(planned.summary.invalidRows == 0, "\(planned.summary.sampleProblems)")
        let set = try #require(planned.sets.first)
        #expect(planned.sets.count == 1)
        let request = set.request
        let originalChanges = try #require(original["ChangeSet"]?.arrayValue)
        #expect(request.changeSet.count == originalChanges.count)
        #expect((1...20).contains(request.changeSet.count))

        // Token and name in the shapes the API takes.
        #expect(ValueChecks.clientRequestToken(set.clientRequestToken).isValid)
        #expect(ValueChecks.changeSetName(set.changeSetName).isValid)
        #expect(request.clientRequestToken == set.clientRequestToken)

        // Every change is complete; names are unique and valid; references resolve.
        let names = request.changeSet.compactMap(\.changeName)
        #expect(Set(names).count == names.count)
        for name in names { #expect(ValueChecks.changeName(name).isValid, "\(name)") }
        for (index, change) in request.changeSet.enumerated() {
            let source = originalChanges[index]
            #expect(change.changeType == source["ChangeType"]?.stringValue)
            #expect(change.entity.type == source["Entity"]?["Type"]?.stringValue)
            if change.changeType.hasPrefix("Create") { #expect(change.changeName != nil, "creates are named") }
            for reference in Self.references(in: RequestJSON.change(change)) {
                #expect(names.contains(reference), "\(reference) resolves")
            }
            if columns.isEmpty {
                // Without placeholders the details go out exactly as written, references renamed.
                let expected = Self.renamed(source["DetailsDocument"] ?? .null, in: request)
                #expect(change.detailsDocument ?? .null == expected, "change \(index + 1)")
            }
        }

        // What the dry run writes is exactly the request, in CatalogModels' own printing.
        let pretty = set.prettyJSON
        #expect(pretty == RequestJSON.body(of: request).prettyString(indent: 2) + "\n")
        #expect(pretty == (try CatalogJSON.encodeValue(request)).prettyString(indent: 2) + "\n")
        let decoded = try CatalogJSON.decode(StartChangeSetRequest.self, from: Data(pretty.utf8))
        #expect(decoded == request)
    }

    @Test("the template sample with values renders exactly like the sample filled in by hand")
    func templateSampleMatchesItsFilledInTwin() throws {
        let workspace = try Workspace()
        let template = try Template(contentsOf: Self.folder.appendingPathComponent("offers_bulk_create_private_offer_usage_based_2_createPrivateOffer.json"))
        var values = Self.values
        values["EXPIRY_DATE"] = "2025-11-02"  // the sample's own date
        let header = template.columns.map(\.name)
        let options = PlanOptions(today: Date(timeIntervalSince1970: 1_700_000_000))  // 2023-11-14
        let planned = try plan(template, header: header, rows: [header.map { values[$0]! }], options: options, in: workspace)
        let request = try #require(planned.sets.first).request
        let twin = try JSONValue(parsing: try Data(contentsOf: Self.folder.appendingPathComponent(
            "offers_bulk_create_private_offer_usage_based_2_createPrivateOffer__with_values.json")))
        let expected = try #require(twin["ChangeSet"]?.arrayValue)
        for (index, change) in request.changeSet.enumerated() {
            #expect(change.detailsDocument == Self.renamed(expected[index]["DetailsDocument"]!, in: request), "change \(index + 1)")
        }
        // BuyerAccounts became an array although the template wrote "{{BUYER_IDS}}".
        #expect(request.changeSet[2].detailsDocument?["PositiveTargeting"]?["BuyerAccounts"] == ["111111111111"])
    }

    @Test("past dates written in the samples are notes, not errors")
    func literalPastDatesAreNotes() throws {
        let template = try Template(contentsOf: Self.folder.appendingPathComponent("offers_expire_private_offer.json"))
        let notes = template.literalValueNotes(today: testToday)
        #expect(notes.contains { $0.message.contains("AvailabilityEndDate") && $0.message.contains("not in the future") })
        #expect(notes.allSatisfy { $0.line > 0 && $0.column > 0 })
    }

    /// `$Name.Entity.Identifier` names anywhere in a value.
    static func references(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return ChangeReference.name(in: text).map { [$0] } ?? []
        case .array(let items): return items.flatMap(references)
        case .object(let object): return object.entries.flatMap { references(in: $0.value) }
        default: return []
        }
    }

    /// `value` with each `$Name.Entity.Identifier` renamed to the row-suffixed name in `request`.
    static func renamed(_ value: JSONValue, in request: StartChangeSetRequest) -> JSONValue {
        switch value {
        case .string(let text):
            guard let name = ChangeReference.name(in: text),
                  let full = request.changeSet.compactMap(\.changeName).first(where: { $0.hasPrefix(name + "R") }) else { return value }
            return .string(ChangeReference.make(full))
        case .array(let items): return .array(items.map { renamed($0, in: request) })
        case .object(let object):
            var copy = JSONObject()
            for (key, item) in object.entries { copy[key] = renamed(item, in: request) }
            return .object(copy)
        default: return value
        }
    }

    /// The built-in grant template's standard EULA has the shape the public samples use: the
    /// term type of every resale-authorization sample (`BuyerLegalTerm`; `LegalTerm` is an
    /// offer's) and the StandardEula document of the samples that use one.
    @Test("grant's standard EULA matches the public samples: BuyerLegalTerm with their StandardEula document")
    func grantStandardEulaMatchesThePublicSamples() throws {
        var raTermTypes: Set<String> = []
        var offerTermTypes: Set<String> = []
        var standardEulas: Set<JSONValue> = []
        for name in Self.sampleNames() {
            let sample = try JSONValue(parsing: try Data(contentsOf: Self.folder.appendingPathComponent(name)))
            for change in sample["ChangeSet"]?.arrayValue ?? [] where change["ChangeType"] == "UpdateLegalTerms" {
                for term in change["DetailsDocument"]?["Terms"]?.arrayValue ?? [] {
                    let type = term["Type"]?.stringValue ?? ""
                    if change["Entity"]?["Type"]?.stringValue?.hasPrefix("ResaleAuthorization") == true {
                        raTermTypes.insert(type)
                    } else {
                        offerTermTypes.insert(type)
                    }
                    for document in term["Documents"]?.arrayValue ?? [] where document["Type"] == "StandardEula" {
                        standardEulas.insert(document)
                    }
                }
            }
        }
        #expect(raTermTypes == ["BuyerLegalTerm", "ResaleLegalTerm"])
        #expect(offerTermTypes == ["LegalTerm"])
        #expect(standardEulas == [["Type": "StandardEula", "Version": "2022-07-14"]])

        let workspace = try Workspace()
        let planned = try plan(try Template.load("grant"), header: ["PRODUCT_ID", "NAME", "RESELLER_ACCOUNT_ID", "DIMENSION_KEY", "PRICE"],
                               rows: [["prod-1111111111111", "Partner", "123456789012", "BasicService", "150"]], in: workspace)
        let legal = try #require(planned.sets.first?.request.changeSet.first { $0.changeType == "UpdateLegalTerms" })
        #expect(legal.entity.type == "ResaleAuthorization@1.0")
        let terms = try #require(legal.detailsDocument?["Terms"]?.arrayValue)
        #expect(terms.count == 1)
        #expect(terms.first?["Type"]?.stringValue.map(raTermTypes.contains) == true)
        #expect(terms.first?["Type"] == "BuyerLegalTerm")
        #expect(terms.first?["Documents"]?.arrayValue.map(Set.init) == standardEulas)
    }
}

