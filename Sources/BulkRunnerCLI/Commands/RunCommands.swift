import BulkRunner
import Foundation

/// `bulkrunner run`, `grant` and `restrict`: a template over every row of a sheet.
enum RunCommands {
    static var entries: [CommandEntry] { [grant, restrict, run] }

    static let run = CommandEntry(
        spec: CommandSpec(
            path: ["run"],
            summary: "Apply a template (built-in or file) to every row of a CSV file.",
            positionals: [.init("INPUT.csv", help: "the rows; the first line names the columns")],
            options: [.value("template", "NAME|FILE", short: "t", help: "A built-in template (see `bulkrunner templates`) or a JSON file (required).")]
                + Job.options + Connection.options,
            discussion: """
                Every row is read and checked first; INVALID rows are never sent. Rows are packed into
                change sets of up to 20 changes, sent at the published quotas with retries, and followed
                to their final status. The results file holds every input row with its outcome, and a
                journal beside it makes the same command resume after a crash or Ctrl-C.
                """,
            examples: [
                "bulkrunner run offers.csv --template private-offer --dry-run",
                "bulkrunner run offers.csv --template samples/templates/private-offer-payment-schedule.json --set CURRENCY=USD",
                "bulkrunner run expiry.csv --template offer-expiry --output expiry-results.csv --emulator",
            ]),
        group: "Daily jobs"
    ) { parsed, context in
        guard let template = parsed.value("template") else {
            throw UsageError("missing --template NAME|FILE: a built-in (`bulkrunner templates` lists them) or a template file",
                             usage: "bulkrunner run INPUT.csv --template NAME|FILE [options]")
        }
        return try await job(parsed, context, template: template).execute(context: context)
    }

    static let grant = CommandEntry(
        spec: CommandSpec(
            path: ["grant"],
            summary: "Grant (create, price and publish) a resale authorization to each channel partner in a CSV file.",
            positionals: [.init("PARTNERS.csv", help: "one partner per row: PRODUCT_ID, NAME, RESELLER_ACCOUNT_ID, DIMENSION_KEY, PRICE …")],
            options: [.value("template", "NAME|FILE", short: "t", help: "Another template (default: grant; grant-draft leaves drafts).")]
                + Job.options + Connection.options,
            discussion: """
                Columns (see `bulkrunner templates show grant`): PRODUCT_ID, NAME, RESELLER_ACCOUNT_ID,
                DIMENSION_KEY, PRICE; optional DESCRIPTION, CURRENCY (USD), DURATION (P12M),
                EXPIRY_DATE (blank: no expiry), CUSTOM_EULA_URL, RESELLER_CONTRACT_URL.
                """,
            examples: [
                "bulkrunner grant samples/new-partners.csv --emulator",
                "bulkrunner grant partners.csv --dry-run                 # check every row, send nothing",
                "bulkrunner grant partners.csv --profile seller --set CURRENCY=EUR",
                "bulkrunner grant partners.csv --template grant-draft    # drafts, to release after review",
            ]),
        group: "Daily jobs"
    ) { parsed, context in
        try await job(parsed, context, template: parsed.value("template") ?? "grant").execute(context: context)
    }

    static let restrict = CommandEntry(
        spec: CommandSpec(
            path: ["restrict"],
            summary: "Restrict the resale authorization of each row (no new partner offers; cannot be undone).",
            positionals: [.init("AUTHORIZATIONS.csv", help: "a RESALE_AUTHORIZATION_ID column (an export works as is)")],
            options: [.value("template", "NAME|FILE", short: "t", help: "Another template (default: restrict).")]
                + Job.options + Connection.options,
            discussion: """
                Restricting stops a channel partner from creating new offers from an authorization;
                offers already made are unaffected. Try it with --dry-run first.
                """,
            examples: [
                "bulkrunner restrict samples/restrict.csv --emulator",
                "bulkrunner restrict old-pricing.csv --dry-run",
            ]),
        group: "Daily jobs"
    ) { parsed, context in
        try await job(parsed, context, template: parsed.value("template") ?? "restrict").execute(context: context)
    }

    static func job(_ parsed: ParsedArguments, _ context: CLIContext, template: String) -> Job {
        let argument = parsed.positional(0) ?? "-"
        return Job(input: context.resolve(argument), inputArgument: argument, templateArgument: template, parsed: parsed)
    }
}
