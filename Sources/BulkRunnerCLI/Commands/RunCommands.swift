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
            options: [.value("template", "NAME|FILE", short: "t", required: true,
                             help: "A built-in template (see `bulkrunner templates`) or a template file (JSON).")]
                + Job.options + Connection.options,
            discussion: """
                Every row is read and checked first; INVALID rows are never sent. Rows are packed into
                change sets of up to 20 changes, sent at the published quotas with retries, and followed
                to their final status. The results file holds every input row with its outcome, and a
                journal beside it makes the same command resume after a crash or Ctrl-C.

                \(Job.dryRunHelp)
                """,
            examples: [
                "bulkrunner run offers.csv --template private-offer --dry-run",
                "bulkrunner run offers.csv --template samples/templates/private-offer-payment-schedule.json --set CURRENCY=USD",
                "bulkrunner run expiry.csv --template offer-expiry --output expiry-results.csv --emulator",
            ]),
        group: "Daily jobs"
    ) { parsed, context in
        // --template is required: the parser stops a command line without it.
        try await job(parsed, context, template: parsed.value("template") ?? "", command: "run").execute(context: context)
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

                \(Job.dryRunHelp)
                """,
            examples: [
                "bulkrunner grant samples/new-partners.csv --emulator",
                "bulkrunner grant partners.csv --dry-run                 # check every row, send nothing",
                "bulkrunner grant partners.csv --profile seller --set CURRENCY=EUR",
                "bulkrunner grant partners.csv --template grant-draft    # drafts, to release after review",
            ]),
        group: "Daily jobs"
    ) { parsed, context in
        var job = job(parsed, context, template: parsed.value("template") ?? "grant", command: "grant")
        job.defaultTemplate = "grant"
        return try await job.execute(context: context)
    }

    static let restrict = CommandEntry(
        spec: CommandSpec(
            path: ["restrict"],
            summary: "Restrict the resale authorization of each row (no new partner offers; cannot be undone).",
            positionals: [.init("AUTHORIZATIONS.csv", help: "a RESALE_AUTHORIZATION_ID column (for an exported sheet marked up with Action, use `apply`)")],
            options: [.value("template", "NAME|FILE", short: "t", help: "Another template (default: restrict).")]
                + Job.options + Connection.options,
            discussion: """
                Restricting stops a channel partner from creating new offers from an authorization;
                offers already made are unaffected. Try it with --dry-run first.

                \(Job.dryRunHelp)
                """,
            examples: [
                "bulkrunner restrict samples/restrict.csv --emulator",
                "bulkrunner restrict old-pricing.csv --dry-run",
            ]),
        group: "Daily jobs"
    ) { parsed, context in
        var job = job(parsed, context, template: parsed.value("template") ?? "restrict", command: "restrict")
        job.defaultTemplate = "restrict"
        return try await job.execute(context: context)
    }

    static func job(_ parsed: ParsedArguments, _ context: CLIContext, template: String, command: String) -> Job {
        let argument = parsed.positional(0) ?? "-"
        var job = Job(input: context.resolve(argument), inputArgument: argument, templateArgument: template, parsed: parsed)
        job.commandName = command
        // A results file fed in skips its done rows only when it came from the same template
        // (Job.earlierResults): given to another job (grant results → restrict), rows are new work.
        return job
    }
}

/// `bulkrunner retry` and `bulkrunner status`: an earlier run's results file, refreshed in place.
enum ResultsCommands {
    static var entries: [CommandEntry] { [retry, status] }

    static let retry = CommandEntry(
        spec: CommandSpec(
            path: ["retry"],
            summary: "Send again only the rows of a results file that did not succeed; update the file in place.",
            positionals: [.init("RESULTS.csv", help: "the results file of an earlier run (fix FAILED/INVALID cells in it first)")],
            options: [.value("template", "NAME|FILE", short: "t", help: "The template (default: the one the earlier run used).")]
                + Job.options.filter { $0.name != "plan-dir" }.map { option in
                    option.name != "output" ? option : .value(
                        "output", "FILE", short: "o",
                        help: "Write the results (and this run's journal, FILE.journal) to FILE instead of updating RESULTS.csv in place; a dry run writes NAME.plan.csv unless given.")
                } + Connection.options,
            discussion: """
                SUCCEEDED and SKIPPED rows are left alone; INVALID, FAILED, CANCELLED and PENDING rows are
                planned again from their (possibly corrected) cells. A row whose earlier change set may
                have created its entity is checked first, so nothing is created twice.
                """,
            examples: [
                "bulkrunner retry partners.results.csv",
                "bulkrunner retry partners.results.csv --dry-run   # what would be sent",
            ]),
        group: "Daily jobs"
    ) { parsed, context in
        try await resultsJob(parsed, context, sends: true).execute(context: context)
    }

    static let status = CommandEntry(
        spec: CommandSpec(
            path: ["status"],
            summary: "Refresh the PENDING rows of a results file from the service; sends nothing new.",
            positionals: [.init("RESULTS.csv", help: "the results file of an earlier run")],
            options: [.value("template", "NAME|FILE", short: "t", help: "The template (default: the one the earlier run used).")]
                + Job.options.filter { !["plan-dir", "dry-run", "strict", "rows-per-change-set"].contains($0.name) }.map { option in
                    option.name != "output" ? option : .value(
                        "output", "FILE", short: "o",
                        help: "Write the refreshed results to FILE instead of updating RESULTS.csv in place (the journal followed is still RESULTS.csv.journal).")
                } + Connection.options,
            discussion: """
                Follows the change sets the earlier run left open (its journal, RESULTS.csv.journal, says which)
                until they are final, and writes their outcomes into RESULTS.csv. It sends nothing new: rows
                that were never sent stay PENDING (`bulkrunner retry RESULTS.csv` sends them). With
                --wait-timeout SECONDS it stops waiting once that long passes with no change set finishing;
                the change sets go on at the service and the same command checks them again later.
                """,
            examples: ["bulkrunner status partners.results.csv", "bulkrunner status partners.results.csv --wait-timeout 60"]),
        group: "Daily jobs"
    ) { parsed, context in
        try await resultsJob(parsed, context, sends: false).execute(context: context)
    }

    static func resultsJob(_ parsed: ParsedArguments, _ context: CLIContext, sends: Bool) throws -> Job {
        let argument = parsed.positional(0) ?? "-"
        let results = context.resolve(argument)
        let record = JobRecord.read(besideResults: results)
        guard let template = parsed.value("template") ?? record?.template else {
            throw UsageError("\(argument) has no record of its template (\(JobRecord.url(besideResults: results).lastPathComponent) is missing): give it with --template NAME|FILE")
        }
        var parsed = parsed
        if record?.emulator == true, !parsed.flag("emulator"), parsed.value("endpoint-url") == nil {
            throw UsageError("\(argument) came from a run on the embedded emulator, which keeps nothing between runs: "
                             + (sends ? "add --emulator (`bulkrunner retry \(shellWord(argument)) --emulator`)"
                                      : "there is nothing to check; run the original command again with --emulator"))
        }
        if !sends { parsed.flags.remove("dry-run") }
        var job = Job(input: results, inputArgument: argument, templateArgument: template, parsed: parsed)
        job.writesInPlace = true
        job.inheritedConstants = record?.constants ?? [:]
        job.inheritedRowsPerChangeSet = record?.rowsPerChangeSet
        job.sendsChangeSets = sends
        job.commandName = sends ? "retry" : "status"
        if sends {
            // Retry refuses while the earlier run has open change sets (see Job), so a PENDING
            // row left is one never sent, or one whose creates the engine looks up first.
            job.skipOutcomes = [.succeeded, .skipped]
            job.isRetry = true
        } else {
            // `status` rebuilds the earlier run's plan exactly, to follow its open change sets.
            job.skipOutcomes = []
        }
        return job
    }
}
