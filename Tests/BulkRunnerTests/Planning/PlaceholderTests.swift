import CatalogModels
import Foundation
import Testing

@testable import BulkRunner

/// `{{Name}}` resolution, escaping, typed, optional and defaulted placeholders, conditions.
@Suite struct PlaceholderTests {
    // MARK: - Resolution

    @Test func columnsMatchIgnoringCaseSpacesUnderscoresAndDashes() throws {
        let workspace = try Workspace()
        let t = try singleChange(details: #"{"Name": "{{OFFER_NAME}}", "Description": "{{offer-description}}"}"#)
        let planned = try plan(t, header: ["Offer Id", "Offer name", "OFFER DESCRIPTION"],
                               rows: [["offer-abc123", "Gold", "Gold tier"]], in: workspace)
        #expect(details(planned.sets[0]) == ["Name": "Gold", "Description": "Gold tier"])
        #expect(planned.sets[0].request.changeSet[0].entity.identifier == "offer-abc123")
    }

    @Test func constantsWinOverColumns() throws {
        let workspace = try Workspace()
        let t = try singleChange(details: #"{"Name": "{{NAME}}"}"#)
        let planned = try plan(t, header: ["OFFER_ID", "NAME"], rows: [["offer-abc123", "from the sheet"]],
                               constants: ["name": "from --set"], in: workspace)
        #expect(details(planned.sets[0]) == ["Name": "from --set"])
    }

    @Test func anUnresolvedPlaceholderNamesTheTemplateLineColumnAndTheColumns() throws {
        let workspace = try Workspace()
        let t = try template("""
        {"Catalog": "AWSMarketplace",
         "ChangeSet": [{"ChangeType": "RestrictResaleAuthorization",
                        "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": "{{RESELLER_ID}}"},
                        "DetailsDocument": {}}]}
        """)
        let error = #expect(throws: BulkRunnerError.self) {
            try plan(t, header: ["Reseller Account Id", "Notes"], rows: [["x", "y"]], in: workspace)
        }
        #expect(error?.code == .unresolvedPlaceholder)
        #expect(error?.exitStatus == 65)
        #expect(error?.file == "test.json")
        #expect(error?.line == 3)
        #expect(error?.column == 77)
        let text = error?.description ?? ""
        #expect(text.hasPrefix("test.json:3:77: {{RESELLER_ID}}: placeholder {{RESELLER_ID}} matches no --set constant and no column"))
        #expect(text.contains("the input's columns are: Reseller Account Id, Notes"))
        #expect(text.contains("did you mean \"Reseller Account Id\"?"))
        #expect(text.contains("--set RESELLER_ID=VALUE"))
    }

    @Test func aConstantForNoPlaceholderIsAnError() throws {
        let workspace = try Workspace()
        let t = try singleChange(details: #"{"Name": "{{NAME}}"}"#)
        let error = #expect(throws: BulkRunnerError.self) {
            try plan(t, header: ["OFFER_ID", "NAME"], rows: [["offer-abc123", "x"]], constants: ["NAMES": "y"], in: workspace)
        }
        #expect(error?.code == .unknownConstant)
        #expect(error?.description.contains("did you mean \"NAME\"?") == true)
    }

    @Test func twoColumnsMatchingOnePlaceholderAreAnError() throws {
        let workspace = try Workspace()
        let t = try singleChange(details: #"{"Name": "{{NAME}}"}"#)
        let error = #expect(throws: BulkRunnerError.self) {
            try plan(t, header: ["OFFER_ID", "Name", "name_"], rows: [["offer-abc123", "x", "y"]], in: workspace)
        }
        #expect(error?.code == .malformedInput)
        #expect(error?.reason.contains("\"Name\" and \"name_\"") == true)
    }

    // MARK: - Escaping

    @Test(arguments: [
        "say \"hello\"", #"C:\path\to\file"#, "line one\nline two\r\nline three", "tab\there",
        "unicode: żółć 漢字 🚀", "{{NOT_A_PLACEHOLDER}}", "\"}, \"Injected\": {\"x\": \"", "\u{01}control",
    ])
    func cellsAreInsertedAsTextNeverAsJSON(cell: String) throws {
        let workspace = try Workspace()
        let t = try singleChange(details: #"{"Description": "{{TEXT}}", "Name": "prefix {{TEXT}} suffix"}"#)
        let planned = try plan(t, header: ["OFFER_ID", "TEXT"], rows: [["offer-abc123", cell]], in: workspace)
        let set = try #require(planned.sets.first)
        let trimmed = cell.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(details(set) == .object(["Description": .string(trimmed), "Name": .string("prefix \(trimmed) suffix")]))
        // The written JSON parses back to the same values: nothing broke out of its string.
        let reparsed = try json(set.prettyJSON)
        #expect(reparsed["ChangeSet"]?[0]?["DetailsDocument"] == details(set))
        #expect(reparsed["ChangeSet"]?[0]?["DetailsDocument"]?.objectValue?.count == 2)
    }

    // MARK: - Typed placeholders

    @Test func listsSplitIdsOnSemicolonsCommasSpacesAndLineBreaks() throws {
        let workspace = try Workspace()
        let t = try singleChange("UpdateTargeting", details: #"{"PositiveTargeting": {"BuyerAccounts": "{{BUYERS}}"}}"#)
        let planned = try plan(t, header: ["OFFER_ID", "BUYERS"],
                               rows: [["offer-abc123", " 111111111111; 222222222222,333333333333\n444444444444  555555555555 "]],
                               in: workspace)
        #expect(details(planned.sets[0])?["PositiveTargeting"]?["BuyerAccounts"]
                == ["111111111111", "222222222222", "333333333333", "444444444444", "555555555555"])
    }

    @Test func explicitTypes() throws {
        let workspace = try Workspace()
        let t = try singleChange(details: """
        {"Quantity": "{{QTY:number}}", "Count": "{{COUNT:integer}}", "Flag": "{{FLAG:boolean}}",
         "Terms": "{{TERMS:json}}", "Tags": "{{TAGS:list}}", "Note": "{{NOTE:string}}"}
        """)
        let planned = try plan(t, header: ["OFFER_ID", "QTY", "COUNT", "FLAG", "TERMS", "TAGS", "NOTE"],
                               rows: [["offer-abc123", "1.50", "007", "yes", #"[{"Type": "X", "Price": "1.0"}]"#, "a;b", "12"]],
                               in: workspace)
        let d = try #require(details(planned.sets[0]))
        #expect(d["Quantity"] == .number(JSONNumber(text: "1.50")!))
        #expect(d["Count"] == 7)
        #expect(d["Flag"] == true)
        #expect(d["Terms"] == [["Type": "X", "Price": "1.0"]])
        #expect(d["Tags"] == ["a", "b"])
        #expect(d["Note"] == "12")
    }

    @Test func typedValuesAreChecked() throws {
        let workspace = try Workspace()
        let t = try singleChange(details: #"{"Quantity": "{{QTY:number}}", "Count": "{{COUNT:integer}}", "Terms": "{{TERMS:json}}", "Flag": "{{FLAG:boolean}}"}"#)
        let planned = try plan(t, header: ["OFFER_ID", "QTY", "COUNT", "TERMS", "FLAG"],
                               rows: [["offer-abc123", "1,000", "2.0", "[{", "maybe"]], in: workspace)
        let problems = try #require(planned.summary.sampleProblems.first).problems.map(\.message)
        #expect(problems.contains { $0.contains("\"1,000\" has separators") && $0.contains("\"1000\"") })
        #expect(problems.contains { $0.contains("\"2.0\" is not a whole number") && $0.contains("\"2\"") })
        #expect(problems.contains { $0.contains("the cell is not valid JSON") })
        #expect(problems.contains { $0.contains("\"maybe\" is not true or false") })
    }

    @Test func wholeValuePlaceholdersAreTypedByTheirKey() throws {
        let workspace = try Workspace()
        let t = try singleChange("UpdateAvailability", details: #"{"OffersMaxQuantity": "{{MAX}}", "RateCard": "{{CARDS}}", "CountryCodes": "{{COUNTRIES}}"}"#)
        let planned = try plan(t, header: ["OFFER_ID", "MAX", "CARDS", "COUNTRIES"],
                               rows: [["offer-abc123", "1", #"[{"DimensionKey": "Users", "Price": "10"}]"#, "US, GB"]],
                               in: workspace)
        #expect(details(planned.sets[0]) == ["OffersMaxQuantity": 1, "RateCard": [["DimensionKey": "Users", "Price": "10"]],
                                              "CountryCodes": ["US", "GB"]])
    }

    @Test func valuesInsideJSONCellsAreCheckedByTheirKeys() throws {
        let workspace = try Workspace()
        let t = try singleChange("UpdatePricingTerms", details: #"{"RateCard": "{{CARDS}}"}"#)
        let planned = try plan(t, header: ["OFFER_ID", "CARDS"],
                               rows: [["offer-abc123", #"[{"DimensionKey": "Users", "Price": "$10"}]"#]], in: workspace)
        let message = try #require(planned.summary.sampleProblems.first?.problems.first?.message)
        #expect(message.contains("RateCard[0].Price"))
        #expect(message.contains("did you mean \"10\"?"))
    }

    @Test func aTypedPlaceholderInsideTextIsATemplateError() {
        let error = #expect(throws: BulkRunnerError.self) {
            try singleChange(details: #"{"Name": "Qty {{QTY:number}}"}"#)
        }
        #expect(error?.code == .malformedTemplate)
        #expect(error?.reason.contains("is not the whole string") == true)
    }

    @Test func malformedPlaceholdersAreTemplateErrors() {
        for (details, fragment) in [
            (#"{"Name": "{{NAME"}"#, "is not closed"),
            (#"{"Name": "{{NAME:money}}"}"#, "unknown placeholder type \"money\""),
            (#"{"Name": "{{}}"}"#, "has no name"),
            (#"{"Name": "{{NAME?|x}}"}"#, "both optional"),
        ] {
            let error = #expect(throws: BulkRunnerError.self) { try singleChange(details: details) }
            #expect(error?.reason.contains(fragment) == true, "\(details): \(error?.reason ?? "")")
            #expect(error?.line == 2)
        }
    }

    // MARK: - Optional placeholders, defaults and conditions

    static let grantLike = """
    {"Catalog": "AWSMarketplace", "ChangeSet": [
      {"ChangeType": "CreateResaleAuthorization", "ChangeName": "RA", "Entity": {"Type": "ResaleAuthorization@1.0"},
       "DetailsDocument": {"ProductId": "{{PRODUCT_ID}}", "Name": "{{NAME}}", "Description": "{{DESCRIPTION|Standard terms}}",
                           "ResellerAccountId": "{{RESELLER}}"}},
      {"ChangeType": "UpdateAvailability", "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": "$RA.Entity.Identifier"},
       "DetailsDocument": {"AvailabilityEndDate": "{{EXPIRY_DATE?}}"}},
      {"ChangeType": "UpdateLegalTerms", "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": "$RA.Entity.Identifier"},
       "DetailsDocument": {"Terms": [{"Type": "BuyerLegalTerm", "Documents": [
          {"BulkRunnerIf": "EULA", "Type": "CustomEula", "Url": "{{EULA}}"},
          {"BulkRunnerUnless": "EULA", "Type": "StandardEula", "Version": "2022-07-14"}]}]}},
      {"ChangeType": "ReleaseResaleAuthorization", "BulkRunnerIf": "RELEASE",
       "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": "$RA.Entity.Identifier"}, "DetailsDocument": {}}
    ]}
    """

    @Test func optionalChangesDefaultsAndConditionalElements() throws {
        let workspace = try Workspace()
        let t = try template(Self.grantLike)
        let header = ["PRODUCT_ID", "NAME", "DESCRIPTION", "RESELLER", "EXPIRY_DATE", "EULA", "RELEASE"]
        let planned = try plan(t, header: header, rows: [
            ["prod-abc123", "Full", "Custom words", "111111111111", "2027-01-31", "https://example.com/eula.pdf", "yes"],
            ["prod-abc123", "Bare", "", "222222222222", "", "", ""],
        ], options: testOptions(rowsPerChangeSet: 1), in: workspace)
        #expect(planned.summary.invalidRows == 0)
        let full = planned.sets[0].request.changeSet, bare = planned.sets[1].request.changeSet
        #expect(full.map(\.changeType) == ["CreateResaleAuthorization", "UpdateAvailability", "UpdateLegalTerms", "ReleaseResaleAuthorization"])
        #expect(bare.map(\.changeType) == ["CreateResaleAuthorization", "UpdateLegalTerms"])
        #expect(full[0].detailsDocument?["Description"] == "Custom words")
        #expect(bare[0].detailsDocument?["Description"] == "Standard terms")
        #expect(full[2].detailsDocument?["Terms"]?[0]?["Documents"] == [["Type": "CustomEula", "Url": "https://example.com/eula.pdf"]])
        #expect(bare[1].detailsDocument?["Terms"]?[0]?["Documents"] == [["Type": "StandardEula", "Version": "2022-07-14"]])
        // Annotations never reach the request.
        #expect(!planned.sets[0].prettyJSON.contains("BulkRunner"))
        // Optional columns may be missing altogether: notes say what that means.
        let partial = try plan(t, header: ["PRODUCT_ID", "NAME", "RESELLER"], rows: [["prod-abc123", "N", "333333333333"]], in: workspace)
        #expect(partial.sets[0].request.changeSet.map(\.changeType) == ["CreateResaleAuthorization", "UpdateLegalTerms"])
        #expect(partial.summary.notes.contains { $0.message.contains("no column or --set for EXPIRY_DATE") })
    }

    @Test func templatesShowColumnsWithTheirStatus() throws {
        let t = try template(Self.grantLike)
        let columns = Dictionary(uniqueKeysWithValues: t.columns.map { ($0.name, $0) })
        #expect(columns["NAME"]?.isRequired == true)
        #expect(columns["DESCRIPTION"]?.defaultValue == "Standard terms")
        #expect(columns["EXPIRY_DATE"]?.isRequired == false)
        #expect(columns["EXPIRY_DATE"]?.leavesOutChange == true)
        #expect(columns["EXPIRY_DATE"]?.expects == "date YYYY-MM-DD, in the future")
        #expect(columns["RESELLER"]?.expects == "12-digit AWS account id")
        #expect(columns["EULA"]?.isRequired == false)
        #expect(columns["EULA"]?.switchesElements == true && columns["EULA"]?.leavesOutChange == false)
        #expect(columns["RELEASE"]?.type == "condition")
    }

    @Test func columnsOnlyInConditionalPartsAreOptionalAndSayWhenTheyAreNeeded() throws {
        let workspace = try Workspace()
        let t = try template("""
        {"Catalog": "AWSMarketplace", "ChangeSet": [
         {"ChangeType": "UpdateInformation", "Entity": {"Type": "Offer@1.0", "Identifier": "{{OFFER_ID}}"},
          "DetailsDocument": {"Name": "{{NAME}}"}},
         {"ChangeType": "UpdateAvailability", "Entity": {"Type": "Offer@1.0", "Identifier": "{{OFFER_ID}}"},
          "DetailsDocument": {"AvailabilityEndDate": "{{END_DATE?}}", "Note": "{{END_NOTE}}"}},
         {"ChangeType": "UpdateLegalTerms", "Entity": {"Type": "Offer@1.0", "Identifier": "{{OFFER_ID}}"},
          "DetailsDocument": {"Terms": [{"Type": "LegalTerm", "Documents": [
             {"BulkRunnerIf": "EULA_URL", "Type": "CustomEula", "Url": "{{EULA_URL}}", "Version": "{{EULA_VERSION}}"},
             {"BulkRunnerUnless": "EULA_URL", "Type": "StandardEula", "Version": "{{STD_VERSION|2022-07-14}}"},
             {"BulkRunnerUnless": "EULA_URL", "Type": "Notice", "Text": "{{NOTICE}}"}]}]}},
         {"BulkRunnerIf": "TAGS", "ChangeType": "UpdateInformation", "Entity": {"Type": "Offer@1.0", "Identifier": "{{OFFER_ID}}"},
          "DetailsDocument": {"Name": "{{TAG_NAME}}"}}
        ]}
        """)
        let columns = Dictionary(uniqueKeysWithValues: t.columns.map { ($0.name, $0) })
        #expect(columns["OFFER_ID"]?.isRequired == true && columns["NAME"]?.isRequired == true)
        #expect(columns["OFFER_ID"]?.requiredWhen == [])
        for (name, when) in [("END_NOTE", "END_DATE is filled"), ("EULA_VERSION", "EULA_URL is filled"),
                             ("NOTICE", "EULA_URL is blank"), ("TAG_NAME", "TAGS is filled")] {
            #expect(columns[name]?.isRequired == false, "\(name)")
            #expect(columns[name]?.requiredWhen == [when], "\(name): \(columns[name]?.requiredWhen ?? [])")
        }
        #expect(columns["STD_VERSION"]?.requiredWhen == [] && columns["STD_VERSION"]?.defaultValue == "2022-07-14")
        let table = t.columnsDescription
        #expect(table.contains("END_NOTE      optional, needed when END_DATE is filled; string in DetailsDocument.Note"), "\(table)")
        #expect(table.contains("NOTICE        optional, needed when EULA_URL is blank;"), "\(table)")

        // A sheet without those columns plans: rows that leave the conditional parts out are
        // valid, a row that needs one is INVALID and says which column is missing.
        let planned = try plan(t, header: ["OFFER_ID", "NAME", "EULA_URL", "END_DATE"], rows: [
            ["offer-abc123", "A", "https://example.com/eula", ""],
            ["offer-abc124", "B", "", ""],
        ], options: testOptions(rowsPerChangeSet: 1), in: workspace)
        #expect(planned.summary.invalidRows == 2, "EULA_VERSION is needed by row 1, NOTICE by row 2")
        let messages = planned.summary.sampleProblems.flatMap(\.problems).map(\.message)
        #expect(messages.contains { $0.contains("there is no column EULA_VERSION") }, "\(messages)")
        #expect(messages.contains { $0.contains("there is no column NOTICE") }, "\(messages)")
        #expect(planned.summary.notes.contains { $0.message.contains("no column or --set for END_NOTE")
            && $0.message.contains("INVALID where it is needed (when END_DATE is filled)") }, "\(planned.summary.notes)")
        let fine = try plan(t, header: ["OFFER_ID", "NAME", "NOTICE"], rows: [["offer-abc123", "A", "Read me"]], in: workspace)
        #expect(fine.summary.invalidRows == 0 && fine.sets.count == 1)
    }

    @Test func aBlankRequiredCellMakesTheRowInvalid() throws {
        let workspace = try Workspace()
        let planned = try plan(try template(Self.grantLike), header: ["PRODUCT_ID", "NAME", "RESELLER"],
                               rows: [["prod-abc123", "", "111111111111"]], in: workspace)
        #expect(planned.summary.invalidRows == 1)
        let problem = try #require(planned.summary.sampleProblems.first?.problems.first)
        #expect(problem.code == .blankValue)
        #expect(problem.message == "column \"NAME\" is blank — Name needs a value (1–100 characters, no quotes, <>{}[]\\|^~`$); fill it in")
    }

    @Test func anOptionalChangeReferredToByARequiredOneIsATemplateError() {
        let error = #expect(throws: BulkRunnerError.self) {
            try template("""
            {"Catalog": "AWSMarketplace", "ChangeSet": [
              {"ChangeType": "CreateOffer", "ChangeName": "Offer", "Entity": {"Type": "Offer@1.0"},
               "DetailsDocument": {"ProductId": "{{PRODUCT?}}"}},
              {"ChangeType": "ReleaseOffer", "Entity": {"Type": "Offer@1.0", "Identifier": "$Offer.Entity.Identifier"},
               "DetailsDocument": {}}
            ]}
            """)
        }
        #expect(error?.code == .malformedTemplate)
        #expect(error?.line == 4)
        #expect(error?.reason.contains("is left out of a row when PRODUCT is blank, but change 2 (ReleaseOffer) refers to it") == true)
        // Fine when the referring change is left out with it.
        #expect(throws: Never.self) {
            try template("""
            {"Catalog": "AWSMarketplace", "ChangeSet": [
              {"ChangeType": "CreateOffer", "ChangeName": "Offer", "Entity": {"Type": "Offer@1.0"},
               "DetailsDocument": {"ProductId": "{{PRODUCT?}}"}},
              {"ChangeType": "ReleaseOffer", "BulkRunnerIf": "PRODUCT",
               "Entity": {"Type": "Offer@1.0", "Identifier": "$Offer.Entity.Identifier"}, "DetailsDocument": {}}
            ]}
            """)
        }
    }

    @Test func tagsIntentAndListsSplicedIntoArrays() throws {
        let workspace = try Workspace()
        let t = try template("""
        {"Catalog": "AWSMarketplace", "Intent": "APPLY", "ChangeSetTags": [{"Key": "team", "Value": "channel"}],
         "ChangeSet": [{"ChangeType": "UpdateTargeting", "Entity": {"Type": "Offer@1.0", "Identifier": "{{OFFER_ID}}"},
                        "EntityTags": [{"Key": "owner", "Value": "{{OWNER}}"}],
                        "DetailsDocument": {"PositiveTargeting": {"BuyerAccounts": ["999999999999", "{{MORE:list}}", "{{ONE}}"]}}}]}
        """)
        let planned = try plan(t, header: ["OFFER_ID", "OWNER", "MORE", "ONE"],
                               rows: [["offer-abc123", "ops \"team\"", "111111111111;222222222222", "333333333333"]], in: workspace)
        let set = try #require(planned.sets.first)
        let request = set.request
        #expect(request.intent == .apply)
        #expect(request.changeSetTags == [Tag(key: "team", value: "channel")])
        #expect(request.changeSet[0].entityTags == [Tag(key: "owner", value: "ops \"team\"")])
        #expect(request.changeSet[0].detailsDocument?["PositiveTargeting"]?["BuyerAccounts"]
                == ["999999999999", "111111111111", "222222222222", "333333333333"])
        #expect(set.prettyJSON == RequestJSON.body(of: request).prettyString(indent: 2) + "\n")
    }

    @Test func aRowWhoseChangesAreAllLeftOutIsInvalid() throws {
        let workspace = try Workspace()
        let t = try singleChange("UpdateAvailability", details: #"{"AvailabilityEndDate": "{{EXPIRY?}}"}"#)
        let planned = try plan(t, header: ["OFFER_ID", "EXPIRY"], rows: [["offer-abc123", ""]], in: workspace)
        #expect(planned.summary.sampleProblems.first?.problems.first?.code == .noChanges)
    }
}
