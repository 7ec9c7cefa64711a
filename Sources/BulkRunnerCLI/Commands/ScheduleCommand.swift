import BulkRunner
import CatalogModels
import Foundation

/// `bulkrunner schedule`: prints a flexible payment schedule (`PaymentScheduleTerm` JSON)
/// from a total, a first charge date, an end date or a count, and a frequency. Everything it
/// does lives in `BulkRunner` (`PaymentSchedule`); this file only wires the options.
enum ScheduleCommand {
    static let spec = CommandSpec(
        path: ["schedule"],
        summary: "Print a flexible payment schedule (PaymentScheduleTerm JSON) from a total, dates and a frequency.",
        options: [
            .value("total", "AMOUNT", help: "The amount to split, e.g. 12000 or 12000.50 (no decimals for JPY)."),
            .value("first", "DATE", help: "The first charge date, YYYY-MM-DD."),
            .value("end", "DATE", help: "The last possible charge date, YYYY-MM-DD (give --end or --count)."),
            .value("count", "N", help: "The number of payments, 1–\(PaymentSchedule.maximumPayments) (give --end or --count)."),
            .value("every", "DAYS", help: "Days between payments: 15, 30, 90 or 365."),
            .value("remainder", "first|last", help: "Which payment takes the odd cents (default last)."),
            .flag("business-days", help: "Move weekend and holiday dates to the next business day (the previous one at --end)."),
            .repeated("holiday", "DATE", help: "A day that is not a business day (with --business-days); repeat for several."),
            .value("currency", "CODE", help: "ISO 4217 currency code (default USD)."),
            .flag("resale", help: "Write a ResalePaymentScheduleTerm (for a resale authorization) instead of a PaymentScheduleTerm."),
            .flag("document", help: "Print the UpdatePaymentScheduleTerms DetailsDocument ({\"Terms\": [...]}) instead of the term."),
            .value("spec", "SPEC", help: "All of the above as one template spec: 'total=12000;first=2027-01-01;every=90;count=4'."),
        ],
        discussion: """
            Splits the total into equal payments in the currency's minor units (cents; yen for JPY),
            exactly, and puts the remainder on the first or the last payment. Dates are the first
            charge date plus every N days; with --business-days a Saturday or Sunday (or a --holiday)
            moves to the next business day. The JSON goes to standard output, a one-line summary
            to standard error.

            In a template, the same schedule is written as a spec whose values may name columns:
              total=TOTAL;first=FIRST_CHARGE;end=END_DATE;every=30;remainder=last;days=business
            Spec keys: \(PaymentSchedule.Parameters.specKeys.map(\.name).joined(separator: ", ")).
            """,
        examples: [
            "bulkrunner schedule --total 12000 --first 2027-01-01 --every 90 --count 4",
            "bulkrunner schedule --total 100 --first 2027-01-02 --every 30 --end 2027-12-31 --remainder first --business-days",
            "bulkrunner schedule --total 1500000 --currency JPY --first 2027-04-01 --every 365 --count 3 --resale",
            "bulkrunner schedule --spec 'total=12000;first=2027-01-01;every=90;count=4;days=business' --document",
        ],
        usageForms: [
            "bulkrunner schedule --total AMOUNT --first DATE --every DAYS (--end DATE | --count N) [--remainder first|last] "
                + "[--business-days] [--holiday DATE]… [--currency CODE] [--resale] [--document]",
            "bulkrunner schedule --spec SPEC [--document]",
        ])

    /// The command.
    static let entry = CommandEntry(spec: spec, group: "Spreadsheets") { parsed, context in
        var fields: [(key: String, value: String)]?
        do throws(BulkRunnerError) {
            fields = try PaymentSchedule.Parameters.fields(options: parsed.values, flags: parsed.flags)
            let schedule = try PaymentSchedule.generate(try PaymentSchedule.Parameters(fields: fields ?? []))
            let json = parsed.flag("document") ? schedule.detailsDocument : schedule.term
            context.stdout.line(json.prettyString(indent: 2))
            context.stderr.line(schedule.summary)
            return ExitStatus.success
        } catch {
            report(error, fields: fields, parsed: parsed, context: context)
            return ExitStatus.usage
        }
    }

    /// The error, then a corrected command line to copy (the user's own values, with the one
    /// at fault replaced by one that works) when there is one, then the usage.
    static func report(_ error: BulkRunnerError, fields: [(key: String, value: String)]?, parsed: ParsedArguments, context: CLIContext) {
        let usesSpec = parsed.value("spec") != nil
        let options = ["days": "business-days", "holidays": "holiday", "type": "resale", "schedule": "spec"]
        let field = error.field.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        let label = error.field.isEmpty ? "" : usesSpec && field != "spec" ? "--spec: \(field): " : "--\(options[field] ?? field): "
        ErrorReport.write(label + error.reason, context: context)

        var corrected: PaymentSchedule.Parameters?
        var withSpec = usesSpec
        if field == "spec", usesSpec {
            // --spec with other options: the command without --spec, mended if need be.
            var values = parsed.values
            values["spec"] = nil
            if let others = try? PaymentSchedule.Parameters.fields(options: values, flags: parsed.flags) {
                do throws(BulkRunnerError) {
                    let parameters = try PaymentSchedule.Parameters(fields: others)
                    _ = try PaymentSchedule.generate(parameters)
                    corrected = parameters
                } catch {
                    corrected = PaymentSchedule.Parameters.corrected(others, after: error)
                }
                withSpec = false
            }
        } else if let fields {
            corrected = PaymentSchedule.Parameters.corrected(fields, after: error)
        }
        let specSyntax = error.hint.range(of: #"\b(total|first|end|count|every|remainder|days|holidays|currency|type)="#,
                                          options: .regularExpression) != nil
        if let corrected {
            if !error.hint.isEmpty && !specSyntax { context.stderr.line(error.hint) }
            context.stderr.line("try: " + commandLine(corrected, spec: withSpec, document: parsed.flag("document")))
        } else if !error.hint.isEmpty {
            context.stderr.line(usesSpec ? error.hint : optionSyntax(error.hint))
        }
        context.stderr.line("usage: \(spec.usage)")
    }

    /// `parameters` as the `bulkrunner schedule` command line that makes them: options, or
    /// one `--spec` when the user wrote a spec.
    static func commandLine(_ parameters: PaymentSchedule.Parameters, spec: Bool, document: Bool) -> String {
        var words = ["bulkrunner", "schedule"]
        if spec {
            words += ["--spec", parameters.spec]
        } else {
            words += ["--total", parameters.total, "--first", parameters.firstChargeDate.description,
                      "--every", String(parameters.frequency.days)]
            switch parameters.extent {
            case .endDate(let end): words += ["--end", end.description]
            case .count(let count): words += ["--count", String(count)]
            }
            if parameters.remainder != .last { words += ["--remainder", parameters.remainder.rawValue] }
            if parameters.dayRule == .business { words.append("--business-days") }
            for holiday in parameters.holidays.sorted() { words += ["--holiday", holiday.description] }
            if parameters.currencyCode != "USD" { words += ["--currency", parameters.currencyCode] }
            if parameters.termType == .resaleAuthorization { words.append("--resale") }
        }
        if document { words.append("--document") }
        return words.map(shellWord).joined(separator: " ")
    }

    /// A hint written in the spec syntax (`add end=YYYY-MM-DD or count=N`) in the options'
    /// (`add --end YYYY-MM-DD or --count N`).
    static func optionSyntax(_ hint: String) -> String {
        var text = hint
        for (spec, option) in [("days=business", "--business-days"), ("type=resale", "--resale")] {
            text = text.replacingOccurrences(of: spec, with: option)
        }
        text = text.replacingOccurrences(of: "holidays=", with: "--holiday ")
        return text.replacingOccurrences(of: #"\b(total|first|end|count|every|remainder|currency)="#, with: "--$1 ",
                                         options: .regularExpression)
    }
}
