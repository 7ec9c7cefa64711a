import CSVKit
import CatalogModels
import Foundation
import Testing

@testable import BulkRunner

/// Template shapes, load-time errors with file:line:column, built-in templates.
@Suite struct TemplateLoadingTests {
    @Test func blogStyleLowerCaseKeysAndDetailsStrings() throws {
        let workspace = try Workspace()
        let t = try template(#"""
        {"catalog": "AWSMarketplace",
         "changeSet": [{"changeType": "UpdateInformation",
                        "entity": {"type": "Offer@1.0", "identifier": "{{OFFER_ID}}"},
                        "details": "{\"Name\": \"{{NAME}}\", \"Description\": \"fixed\"}"}]}
        """#)
        let planned = try plan(t, header: ["OFFER_ID", "NAME"], rows: [["offer-abc123", "He said \"hi\""]], in: workspace)
        let change = planned.sets[0].request.changeSet[0]
        #expect(change.details == nil)
        #expect(change.detailsDocument == ["Name": "He said \"hi\"", "Description": "fixed"])
        #expect(change.entity == Entity(type: "Offer@1.0", identifier: "offer-abc123"))
    }

    @Test(arguments: [
        // (template, line, column, fragment of the reason)
        ("{\"Catalog\": \"AWSMarketplace\",\n \"ChangeSet\": [}", 2, 16, "not valid JSON"),
        ("[1, 2]", 1, 1, "not a JSON object"),
        ("{\"Catalog\": \"AWSMarketplace\"}", 1, 1, "has no \"ChangeSet\""),
        ("{\"Catalog\": \"AWSMarketplace\", \"ChangeSets\": []}", 1, 31, "unknown key \"ChangeSets\""),
        ("{\"ChangeSet\": []}", 1, 2, "must be a non-empty array"),
        ("{\"ChangeSet\": [{\"ChangeType\": \"ReleaseOffer\", \"Entity\": {\"Type\": \"Offer@1.0\", \"Identifier\": \"$Nope.Entity.Identifier\"}, \"DetailsDocument\": {}}]}",
         1, 93, "no change has that ChangeName"),
        ("{\"ChangeSet\": [{\"ChangeType\": \"ReleaseOffer\", \"Entity\": {\"Type\": \"Offer@1.0\"}, \"DetailsDocument\": {}}]}",
         1, 47, "has no Entity.Identifier"),
        ("{\"ChangeSet\": [{\"ChangeType\": \"ReleaseOffer\", \"Entity\": {\"Type\": \"Offer@1.0\", \"Identifier\": \"o\"}, \"DetailDocument\": {}}]}",
         1, 99, "unknown key \"DetailDocument\" in change 1"),
        ("{\"ChangeSet\": [{\"ChangeType\": \"X\", \"ChangeName\": \"A\", \"Entity\": {\"Type\": \"Offer@1.0\", \"Identifier\": \"o\"}},\n {\"ChangeType\": \"Y\", \"ChangeName\": \"A\", \"Entity\": {\"Type\": \"Offer@1.0\", \"Identifier\": \"p\"}}]}",
         2, 36, "ChangeName \"A\" is already used by change 1"),
        ("{\"ChangeSet\": [{\"ChangeType\": \"X\", \"ChangeName\": \"Bad-Name\", \"Entity\": {\"Type\": \"Offer@1.0\", \"Identifier\": \"o\"}}]}",
         1, 50, "letters and digits"),
        ("{\"ChangeSet\": [{\"ChangeType\": \"X\", \"Entity\": {\"Type\": \"Offer\", \"Identifier\": \"o\"}}]}",
         1, 55, "is not an entity type"),
        ("{\"ChangeSet\": [{\"ChangeType\": \"X\", \"Entity\": {\"Type\": \"Offer@1.0\", \"Identifier\": \"o\"}, \"Details\": \"{nope\"}]}",
         1, 99, "the Details string is not valid JSON"),
        ("{\"ChangeSet\": [{\"ChangeType\": \"X\", \"Entity\": {\"Type\": \"Offer@1.0\", \"Identifier\": \"o\"}, \"DetailsDocument\": {\"{{K}}\": 1}}]}",
         1, 108, "placeholders are not allowed in keys"),
        ("{\"ChangeSet\": [{\"ChangeType\": \"X\", \"Entity\": {\"Type\": \"Offer@1.0\", \"Identifier\": \"o\"}, \"DetailsDocument\": {\"BulkRunnerIf\": \"K\"}}]}",
         1, 108, "can only be on a change or on an object inside an array"),
        ("{\"ChangeSet\": [{\"ChangeType\": \"X\", \"Entity\": {\"Type\": \"Offer@1.0\", \"Identifier\": \"o\"}},\n {\"ChangeType\": \"X\", \"Entity\": {\"Type\": \"Offer@1.0\", \"Identifier\": \"o\"}}]}",
         2, 3, "are both X on the same entity"),
    ])
    func malformedTemplatesNameLineAndColumn(text: String, line: Int, column: Int, fragment: String) {
        let error = #expect(throws: BulkRunnerError.self) { try template(text) }
        #expect(error?.code == .malformedTemplate)
        #expect(error?.exitStatus == 65)
        #expect(error?.file == "test.json")
        #expect(error?.line == line, "\(error?.description ?? "")")
        #expect(error?.column == column, "\(error?.description ?? "")")
        #expect(error?.reason.contains(fragment) == true, "\(error?.reason ?? "")")
        #expect(error?.description.hasPrefix("test.json:\(line):\(column): ") == true)
        #expect(error?.hint.isEmpty == false)
    }

    @Test func unknownKeysGetASuggestion() {
        let error = #expect(throws: BulkRunnerError.self) {
            try template(#"{"ChangeSet": [{"ChangeType": "X", "Entitiy": {"Type": "Offer@1.0"}}]}"#)
        }
        #expect(error?.hint.contains("did you mean \"Entity\"?") == true)
    }

    @Test func moreThanTwentyRequiredChangesIsATemplateError() {
        let change = #"{"ChangeType": "UpdateInformation", "Entity": {"Type": "Offer@1.0", "Identifier": "offer-{{N}}"}, "DetailsDocument": {}}"#
        let many = (0..<21).map { _ in change.replacingOccurrences(of: "{{N}}", with: "a\(UUID().uuidString.prefix(4).filter(\.isLetter))") }
        let error = #expect(throws: BulkRunnerError.self) {
            try template(#"{"ChangeSet": ["# + many.joined(separator: ",") + "]}")
        }
        #expect(error?.reason.contains("21 changes that every row needs; a change set holds at most 20") == true)
    }

    @Test func ignoredTopLevelKeysAreNoted() throws {
        let t = try template(#"{"Catalog": "AWSMarketplace", "ChangeSetName": "mine", "ClientRequestToken": "fixed", "ChangeSet": [{"ChangeType": "X", "Entity": {"Type": "Offer@1.0", "Identifier": "offer-1"}, "DetailsDocument": {}}]}"#)
        #expect(t.notes.count == 2)
        #expect(t.notes[0].description.hasPrefix("test.json:1:31: note: ChangeSetName is replaced"))
    }

    // MARK: - Built-in templates

    @Test(arguments: BuiltInTemplate.all.map(\.name))
    func builtInTemplatesCompileAndRender(name: String) throws {
        let workspace = try Workspace()
        let t = try Template.load(name)
        #expect(t.file == "builtin:\(name)")
        #expect(t.notes.isEmpty)
        let values: [String: String] = [
            "PRODUCT_ID": "prod-abcdef123", "NAME": "Acme EU", "RESELLER_ACCOUNT_ID": "012345678901",
            "DIMENSION_KEY": "Users", "PRICE": "10.50", "EXPIRY_DATE": "2026-12-31",
            "RESALE_AUTHORIZATION_ID": "resaleauthz-abc123", "OFFER_ID": "offer-abc123", "OFFER_NAME": "Gold",
            "BUYER_ACCOUNTS": "111111111111;222222222222", "DIMENSION_NAME": "Users", "DIMENSION_DESCRIPTION": "Per user",
        ]
        let required = t.columns.filter(\.isRequired).map(\.name)
        for column in required { #expect(values[column] != nil, "a value for \(column)") }
        let planned = try plan(t, header: required, rows: [required.map { values[$0] ?? "" }], in: workspace)
        #expect(planned.summary.invalidRows == 0, "\(planned.summary.sampleProblems)")
        let set = try #require(planned.sets.first)
        #expect(set.prettyJSON == RequestJSON.body(of: set.request).prettyString(indent: 2) + "\n")
        #expect(!set.prettyJSON.contains("{{"))
        #expect(!set.prettyJSON.contains("BulkRunner"))
    }

    @Test func theGrantTemplateRendersTheWholeAuthorization() throws {
        let workspace = try Workspace()
        let planned = try plan(try Template.load("grant"),
                               header: ["Reseller Account Id", "Product Id", "Name", "Dimension Key", "Price", "Expiry Date",
                                        "Custom EULA URL", "Reseller Contract URL"],
                               rows: [["012345678901", "prod-abcdef123", "Acme EU", "Users", "10.50", "2026-12-31",
                                       "https://example.com/eula.pdf", "https://example.com/contract.pdf"],
                                      ["012345678902", "prod-abcdef123", "Acme US", "Users", "12", "", "", ""]],
                               constants: ["CURRENCY": "EUR"], options: testOptions(rowsPerChangeSet: 1), in: workspace)
        let full = planned.sets[0].request.changeSet
        #expect(full.map(\.changeType) == ["CreateResaleAuthorization", "UpdatePricingTerms", "UpdateLegalTerms",
                                           "UpdateAvailability", "ReleaseResaleAuthorization"])
        #expect(full[0].detailsDocument == ["ProductId": "prod-abcdef123", "Name": "Acme EU", "Description": "Resale authorization",
                                            "ResellerAccountId": "012345678901"])
        #expect(full[1].detailsDocument?["Terms"]?[0]?["CurrencyCode"] == "EUR")
        #expect(full[1].detailsDocument?["Terms"]?[0]?["RateCards"]?[0]?["RateCard"] == [["DimensionKey": "Users", "Price": "10.50"]])
        #expect(full[2].detailsDocument?["Terms"]?.arrayValue?.count == 2)
        #expect(full[3].detailsDocument == ["AvailabilityEndDate": "2026-12-31"])
        let bare = planned.sets[1].request.changeSet
        #expect(bare.map(\.changeType) == ["CreateResaleAuthorization", "UpdatePricingTerms", "UpdateLegalTerms", "ReleaseResaleAuthorization"])
        #expect(bare[2].detailsDocument == ["Terms": [["Type": "BuyerLegalTerm", "Documents": [["Type": "StandardEula", "Version": "2022-07-14"]]]]])
        #expect(try Template.load("grant-draft").changes.map(\.changeType).contains("ReleaseResaleAuthorization") == false)
    }

    @Test func listingAndShowing() throws {
        let listing = Template.listing()
        for name in ["grant", "grant-draft", "release", "restrict", "private-offer", "offer-expiry", "add-dimensions"] {
            #expect(listing.contains("\n" + name + " "), "\(name) listed")
        }
        #expect(listing.contains("columns: PRODUCT_ID, NAME, RESELLER_ACCOUNT_ID, DIMENSION_KEY, PRICE"))
        let shown = try Template.showing("grant")
        #expect(shown.hasPrefix("# grant — grant a multi-use resale authorization"))
        #expect(shown.contains("\"ChangeType\": \"CreateResaleAuthorization\""))
        #expect(shown.contains("RESELLER_ACCOUNT_ID"))
        #expect(shown.contains("required; string in DetailsDocument.ResellerAccountId (12-digit AWS account id)"))
        #expect(shown.contains("EXPIRY_DATE") && shown.contains("optional (blank leaves the change out)"))
        #expect(shown.contains("CURRENCY") && shown.contains("default \"USD\""))
        #expect(shown.contains("CUSTOM_EULA_URL        optional (blank uses the template's alternative)"))
        #expect(try Template.showing("add-dimensions").contains("PRODUCT_ID             required; string in Entity.Identifier (prod-… id)"))
    }

    @Test func unknownTemplateNamesListTheBuiltIns() {
        let error = #expect(throws: BulkRunnerError.self) { try Template.load("grnat") }
        #expect(error?.code == .unknownTemplate)
        #expect(error?.exitStatus == 2)
        #expect(error?.hint.contains("grant, grant-draft, release, restrict, private-offer, offer-expiry, add-dimensions") == true)
        #expect(error?.hint.contains("did you mean \"grant\"?") == true)
        let missing = #expect(throws: BulkRunnerError.self) { try Template.load("templates/missing.json") }
        #expect(missing?.code == .cannotRead)
    }

    @Test func templateFilesLoadByPath() throws {
        let workspace = try Workspace()
        try workspace.write("mine.json", #"{"ChangeSet": [{"ChangeType": "X", "Entity": {"Type": "Offer@1.0", "Identifier": "{{ID}}"}, "DetailsDocument": {}}]}"#)
        let t = try Template.load("mine.json", relativeTo: workspace.url)
        #expect(t.file == workspace.url.appendingPathComponent("mine.json").path)
        #expect(t.columns.map(\.name) == ["ID"])
        #expect(try Template.showing("mine.json", relativeTo: workspace.url).contains("ID"))
    }
}

/// The example templates shipped in `samples/templates`.
@Suite struct SampleTemplateTests {
    /// `samples/templates` of the repository (found through the test file's real path, also
    /// from a sandbox whose sources are symbolic links).
    static let folder: URL = {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("samples/templates")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }()

    static func names() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func thereAreSamples() {
        #expect(Self.names().count >= 2)
    }

    @Test(arguments: names())
    func sampleTemplatesLoadAndRender(name: String) throws {
        let workspace = try Workspace()
        let t = try Template.load(name, relativeTo: Self.folder)
        #expect(t.notes.isEmpty)
        let values = ["RESALE_AUTHORIZATION_ID": "resaleauthz-abc123", "OFFER_NAME": "Gold", "BUYER_ACCOUNTS": "111111111111, 222222222222",
                      "EXPIRY_DATE": "2026-12-31", "PRODUCT_ID": "prod-abc123", "NAME": "Acme", "RESELLER_ACCOUNT_ID": "012345678901",
                      "RATE_CARD": #"[{"DimensionKey": "Users", "Price": "150"}]"#, "CUSTOM_EULA_URL": "https://example.com/eula.pdf",
                      "MARKUP_PERCENTAGE": "5.0"]
        // The sample sheet of the same name (samples/NAME.csv) when there is one; else synthetic values.
        let sheet = Self.folder.deletingLastPathComponent().appendingPathComponent(name.replacingOccurrences(of: ".json", with: ".csv"))
        var header = t.columns.map(\.name)
        var rows = [header.map { values[$0] ?? "" }]
        if let reader = try? CSVReader(path: sheet.path), let names = reader.header?.names {
            header = names
            rows = []
            while let record = try reader.next() { rows.append(record.fields) }
        }
        let planned = try plan(t, header: header, rows: rows, in: workspace)
        #expect(planned.summary.invalidRows == 0, "\(planned.summary.sampleProblems)")
        let set = try #require(planned.sets.first)
        #expect(set.prettyJSON == RequestJSON.body(of: set.request).prettyString(indent: 2) + "\n")
    }
}
