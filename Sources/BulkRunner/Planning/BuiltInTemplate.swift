import Foundation

/// The templates embedded in the binary, for the common bulk jobs: `bulkrunner templates`
/// lists them, `bulkrunner templates show NAME` prints one with the columns it reads.
///
/// Shapes follow the public AWS samples (aws-samples/aws-marketplace-reference-code, in
/// `testdata/reference-changesets`); column names are matched ignoring case, spaces, `_`
/// and `-`, so a sheet with `Reseller Account Id` fits `{{RESELLER_ACCOUNT_ID}}`.
public struct BuiltInTemplate: Sendable, Hashable {
    /// The name to pass as the template argument (`grant`).
    public let name: String
    /// One line saying what it does.
    public let summary: String
    /// The template text.
    public let json: String

    /// Compiles it. Built-ins are tested to compile; the error is there for the signature.
    public func template() throws(BulkRunnerError) -> Template {
        try Template(json: json, file: "builtin:\(name)", name: name, summary: summary)
    }

    /// The built-in template called `name` (exactly, ignoring case), if any.
    public static func named(_ name: String) -> BuiltInTemplate? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Every built-in template, in the order `bulkrunner templates` lists them.
    public static let all: [BuiltInTemplate] = [grant, grantDraft, release, restrict, privateOffer, offerExpiry, addDimensions]

    // MARK: - The templates

    /// Grant a multi-use resale authorization: create, contract pricing, legal terms
    /// (custom or standard EULA, optional custom reseller contract), optional expiry, release.
    ///
    /// The EULA of a resale authorization is a `BuyerLegalTerm` (not an offer's `LegalTerm`):
    /// every resale-authorization sample of aws-samples/aws-marketplace-reference-code
    /// (`testdata/reference-changesets/resale_authorization_*.json`) sends `BuyerLegalTerm`,
    /// beside a `ResaleLegalTerm` for the reseller contract, and shared/docs/catalog-api.md lists
    /// "BuyerLegalTerm with CustomEula/StandardEula documents" for UpdateLegalTerms on one. The
    /// standard EULA document is `{"Type": "StandardEula", "Version": "2022-07-14"}`, as in the
    /// samples that use one (e.g. `offers_create_private_offer_with_hourly_pricing_for_ami_product.json`,
    /// `offers_create_public_free_trial_offer_with_subscription_pricing_for_saas_product.json`;
    /// no resale-authorization sample uses the standard EULA). Pinned by ReferenceSampleTests.
    static let grant = BuiltInTemplate(
        name: "grant",
        summary: "grant a multi-use resale authorization to a channel partner and publish it (create, pricing, EULA, optional expiry and reseller contract, release)",
        json: grantJSON(release: true))

    /// The same, left as a Draft for review.
    static let grantDraft = BuiltInTemplate(
        name: "grant-draft",
        summary: "the same as grant, left as a Draft (not released): review in the portal, then run `release`",
        json: grantJSON(release: false))

    static let releaseChangeJSON = """
        ,
            {
              "ChangeType": "ReleaseResaleAuthorization",
              "Entity": { "Type": "ResaleAuthorization@1.0", "Identifier": "$ResaleAuthorization.Entity.Identifier" },
              "DetailsDocument": {}
            }
        """

    static func grantJSON(release: Bool) -> String {
        return """
        {
          "Catalog": "AWSMarketplace",
          "ChangeSet": [
            {
              "ChangeType": "CreateResaleAuthorization",
              "ChangeName": "ResaleAuthorization",
              "Entity": { "Type": "ResaleAuthorization@1.0" },
              "DetailsDocument": {
                "ProductId": "{{PRODUCT_ID}}",
                "Name": "{{NAME}}",
                "Description": "{{DESCRIPTION|Resale authorization}}",
                "ResellerAccountId": "{{RESELLER_ACCOUNT_ID}}"
              }
            },
            {
              "ChangeType": "UpdatePricingTerms",
              "Entity": { "Type": "ResaleAuthorization@1.0", "Identifier": "$ResaleAuthorization.Entity.Identifier" },
              "DetailsDocument": {
                "PricingModel": "Contract",
                "Terms": [
                  {
                    "Type": "ResaleConfigurableUpfrontPricingTerm",
                    "CurrencyCode": "{{CURRENCY|USD}}",
                    "RateCards": [
                      {
                        "Selector": { "Type": "Duration", "Value": "{{DURATION|P12M}}" },
                        "RateCard": [ { "DimensionKey": "{{DIMENSION_KEY}}", "Price": "{{PRICE}}" } ],
                        "Constraints": { "MultipleDimensionSelection": "Allowed", "QuantityConfiguration": "Allowed" }
                      }
                    ]
                  }
                ]
              }
            },
            {
              "ChangeType": "UpdateLegalTerms",
              "Entity": { "Type": "ResaleAuthorization@1.0", "Identifier": "$ResaleAuthorization.Entity.Identifier" },
              "DetailsDocument": {
                "Terms": [
                  {
                    "Type": "BuyerLegalTerm",
                    "Documents": [
                      { "BulkRunnerIf": "CUSTOM_EULA_URL", "Type": "CustomEula", "Url": "{{CUSTOM_EULA_URL}}" },
                      { "BulkRunnerUnless": "CUSTOM_EULA_URL", "Type": "StandardEula", "Version": "2022-07-14" }
                    ]
                  },
                  {
                    "BulkRunnerIf": "RESELLER_CONTRACT_URL",
                    "Type": "ResaleLegalTerm",
                    "Documents": [ { "Type": "CustomResellerContract", "Url": "{{RESELLER_CONTRACT_URL}}" } ]
                  }
                ]
              }
            },
            {
              "ChangeType": "UpdateAvailability",
              "Entity": { "Type": "ResaleAuthorization@1.0", "Identifier": "$ResaleAuthorization.Entity.Identifier" },
              "DetailsDocument": { "AvailabilityEndDate": "{{EXPIRY_DATE?}}" }
            }
        """ + (release ? releaseChangeJSON : "") + """

          ]
        }
        """
    }

    /// Publish a draft resale authorization.
    static let release = BuiltInTemplate(
        name: "release",
        summary: "publish Draft resale authorizations (ReleaseResaleAuthorization on existing ids)",
        json: """
        {
          "Catalog": "AWSMarketplace",
          "ChangeSet": [
            {
              "ChangeType": "ReleaseResaleAuthorization",
              "Entity": { "Type": "ResaleAuthorization@1.0", "Identifier": "{{RESALE_AUTHORIZATION_ID}}" },
              "DetailsDocument": {}
            }
          ]
        }
        """)

    /// Restrict resale authorizations (irreversible).
    static let restrict = BuiltInTemplate(
        name: "restrict",
        summary: "restrict Active resale authorizations: no new channel-partner offers (existing offers stay; cannot be undone)",
        json: """
        {
          "Catalog": "AWSMarketplace",
          "ChangeSet": [
            {
              "ChangeType": "RestrictResaleAuthorization",
              "Entity": { "Type": "ResaleAuthorization@1.0", "Identifier": "{{RESALE_AUTHORIZATION_ID}}" },
              "DetailsDocument": {}
            }
          ]
        }
        """)

    /// Create and publish a private offer with contract pricing.
    static let privateOffer = BuiltInTemplate(
        name: "private-offer",
        summary: "create and publish a private offer: buyer targeting, EULA, expiry, contract pricing",
        json: """
        {
          "Catalog": "AWSMarketplace",
          "ChangeSet": [
            {
              "ChangeType": "CreateOffer",
              "ChangeName": "CreateOffer",
              "Entity": { "Type": "Offer@1.0" },
              "DetailsDocument": { "ProductId": "{{PRODUCT_ID}}" }
            },
            {
              "ChangeType": "UpdateInformation",
              "Entity": { "Type": "Offer@1.0", "Identifier": "$CreateOffer.Entity.Identifier" },
              "DetailsDocument": { "Name": "{{OFFER_NAME}}", "Description": "{{OFFER_DESCRIPTION|Private offer}}" }
            },
            {
              "ChangeType": "UpdateTargeting",
              "Entity": { "Type": "Offer@1.0", "Identifier": "$CreateOffer.Entity.Identifier" },
              "DetailsDocument": { "PositiveTargeting": { "BuyerAccounts": "{{BUYER_ACCOUNTS}}" } }
            },
            {
              "ChangeType": "UpdateLegalTerms",
              "Entity": { "Type": "Offer@1.0", "Identifier": "$CreateOffer.Entity.Identifier" },
              "DetailsDocument": {
                "Terms": [
                  {
                    "Type": "LegalTerm",
                    "Documents": [
                      { "BulkRunnerIf": "CUSTOM_EULA_URL", "Type": "CustomEula", "Url": "{{CUSTOM_EULA_URL}}" },
                      { "BulkRunnerUnless": "CUSTOM_EULA_URL", "Type": "StandardEula", "Version": "2022-07-14" }
                    ]
                  }
                ]
              }
            },
            {
              "ChangeType": "UpdateAvailability",
              "Entity": { "Type": "Offer@1.0", "Identifier": "$CreateOffer.Entity.Identifier" },
              "DetailsDocument": { "AvailabilityEndDate": "{{EXPIRY_DATE}}" }
            },
            {
              "ChangeType": "UpdatePricingTerms",
              "Entity": { "Type": "Offer@1.0", "Identifier": "$CreateOffer.Entity.Identifier" },
              "DetailsDocument": {
                "PricingModel": "Contract",
                "Terms": [
                  {
                    "Type": "ConfigurableUpfrontPricingTerm",
                    "CurrencyCode": "{{CURRENCY|USD}}",
                    "RateCards": [
                      {
                        "Selector": { "Type": "Duration", "Value": "{{DURATION|P12M}}" },
                        "Constraints": { "MultipleDimensionSelection": "Disallowed", "QuantityConfiguration": "Disallowed" },
                        "RateCard": [ { "DimensionKey": "{{DIMENSION_KEY}}", "Price": "{{PRICE}}" } ]
                      }
                    ]
                  }
                ]
              }
            },
            {
              "ChangeType": "ReleaseOffer",
              "Entity": { "Type": "Offer@1.0", "Identifier": "$CreateOffer.Entity.Identifier" },
              "DetailsDocument": {}
            }
          ]
        }
        """)

    /// Change the expiry date of existing offers.
    static let offerExpiry = BuiltInTemplate(
        name: "offer-expiry",
        summary: "change the expiry date of existing offers (UpdateAvailability)",
        json: """
        {
          "Catalog": "AWSMarketplace",
          "ChangeSet": [
            {
              "ChangeType": "UpdateAvailability",
              "Entity": { "Type": "Offer@1.0", "Identifier": "{{OFFER_ID}}" },
              "DetailsDocument": { "AvailabilityEndDate": "{{EXPIRY_DATE}}" }
            }
          ]
        }
        """)

    /// Add pricing dimensions to products.
    static let addDimensions = BuiltInTemplate(
        name: "add-dimensions",
        summary: "add a pricing dimension to a product (AddDimensions; one row per dimension, rows of one product run one after the other)",
        json: """
        {
          "Catalog": "AWSMarketplace",
          "ChangeSet": [
            {
              "ChangeType": "AddDimensions",
              "Entity": { "Type": "{{PRODUCT_TYPE|SaaSProduct@1.0}}", "Identifier": "{{PRODUCT_ID}}" },
              "DetailsDocument": [
                {
                  "Key": "{{DIMENSION_KEY}}",
                  "Name": "{{DIMENSION_NAME}}",
                  "Description": "{{DIMENSION_DESCRIPTION}}",
                  "Unit": "{{UNIT|Units}}",
                  "Types": "{{DIMENSION_TYPES|ExternallyMetered}}"
                }
              ]
            }
          ]
        }
        """)
}

extension Template {
    /// The built-in templates (see ``BuiltInTemplate``).
    public static var builtIns: [BuiltInTemplate] { BuiltInTemplate.all }

    /// The text of `bulkrunner templates`: each built-in's name, summary and columns.
    public static func listing() -> String {
        var lines = ["Built-in templates (use the name as the template argument, or give a template file):", ""]
        let width = (BuiltInTemplate.all.map(\.name.count).max() ?? 0) + 2
        for builtIn in BuiltInTemplate.all {
            lines.append(builtIn.name.padding(toLength: width, withPad: " ", startingAt: 0) + builtIn.summary)
            if let template = try? builtIn.template() {
                let required = template.columns.filter(\.isRequired).map(\.name)
                let optional = template.columns.filter { !$0.isRequired }.map(\.name)
                lines.append(String(repeating: " ", count: width) + "columns: " + required.joined(separator: ", ")
                             + (optional.isEmpty ? "" : "; optional: " + optional.joined(separator: ", ")))
            }
        }
        lines.append("")
        lines.append("`bulkrunner templates show NAME` prints a template and what each column must hold.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The text of `bulkrunner templates show NAME`: the template's JSON, then the columns
    /// it reads with whether each is required, its default, where it lands and what it must
    /// look like. `argument` is a built-in name or a template file.
    ///
    /// - Throws: the errors of ``load(_:relativeTo:)``.
    public static func showing(_ argument: String, relativeTo directory: URL? = nil) throws(BulkRunnerError) -> String {
        let template = try load(argument, relativeTo: directory)
        var text = ""
        text += "# \(template.name)" + (template.summary.isEmpty ? "" : " — \(template.summary)") + "\n"
        text += template.source.hasSuffix("\n") ? template.source : template.source + "\n"
        text += "\n" + template.columnsDescription
        for note in template.notes { text += "\(note)\n" }
        return text
    }

    /// A table of ``columns``: name, required/optional/default, type, where it lands, format.
    public var columnsDescription: String {
        var lines = ["Columns (or --set NAME=VALUE constants), matched ignoring case, spaces, _ and -:"]
        let width = (columns.map(\.name.count).max() ?? 0) + 2
        for column in columns {
            var status: String
            if column.isRequired {
                status = "required"
            } else if let value = column.defaultValue {
                status = "default \"\(value)\""
            } else if !column.requiredWhen.isEmpty {
                status = "optional"
            } else if column.leavesOutChange {
                status = "optional (blank leaves the change out)"
            } else if column.switchesElements {
                status = "optional (blank uses the template's alternative)"
            } else {
                status = "optional"
            }
            if !column.isRequired && !column.requiredWhen.isEmpty {
                status += ", needed when " + column.requiredWhen.joined(separator: " or ")
            }
            var line = "  " + column.name.padding(toLength: width, withPad: " ", startingAt: 0) + status
            if !column.fields.isEmpty {
                let fields = Array(Set(column.fields)).sorted()
                line += "; " + column.type + " in " + fields.joined(separator: ", ")
            }
            if column.expects != "text" { line += " (" + column.expects + ")" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
