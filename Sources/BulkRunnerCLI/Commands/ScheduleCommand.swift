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
        ])

    /// The command.
    static let entry = CommandEntry(spec: spec, group: "Spreadsheets") { parsed, context in
        do throws(BulkRunnerError) {
            let parameters = try PaymentSchedule.Parameters(options: parsed.values, flags: parsed.flags)
            let schedule = try PaymentSchedule.generate(parameters)
            let json = parsed.flag("document") ? schedule.detailsDocument : schedule.term
            context.stdout.line(json.prettyString(indent: 2))
            context.stderr.line(schedule.summary)
            return ExitStatus.success
        } catch {
            let options = ["days": "business-days", "holidays": "holiday", "type": "resale", "schedule": "spec"]
            let option = error.field.isEmpty ? "" : "--" + (options[error.field] ?? error.field.trimmingCharacters(in: CharacterSet(charactersIn: "-"))) + ": "
            ErrorReport.write("\(option)\(error.reason)", context: context)
            if !error.hint.isEmpty { context.stderr.line(error.hint) }
            context.stderr.line("usage: \(spec.usage)")
            return ExitStatus.usage
        }
    }
}
