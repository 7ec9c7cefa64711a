import CatalogModels
import Foundation

/// A flexible payment schedule: the installments of an offer's or a resale authorization's
/// `PaymentScheduleTerm` (`UpdatePaymentScheduleTerms`; AWS Marketplace Catalog API reference,
/// "Working with private offers" and "Working with resale authorizations"; public samples
/// `offers_create_private_offer_with_contract_pricing_with_flexible_payment_schedule_…` and
/// `resale_authorization_publish_onetime_resale_authorization_flexible_payment`).
///
/// Build one with ``generate(_:)`` from a total, a first charge date, an end date or a count,
/// a frequency, where the remainder goes and a day rule — or from a compact spec string with
/// ``generate(spec:resolve:)`` (see ``Parameters/init(spec:resolve:)`` for the syntax). Then
/// take ``term`` (the JSON object for `Terms`), ``scheduleJSON`` (only the `Schedule` array)
/// or ``detailsDocument`` (the whole `UpdatePaymentScheduleTerms` DetailsDocument).
///
/// ```swift
/// let schedule = try PaymentSchedule.generate(spec: "total=12000;first=2027-01-01;every=90;count=4")
/// schedule.term.compactString
/// // {"Type":"PaymentScheduleTerm","CurrencyCode":"USD","Schedule":[{"ChargeDate":"2027-01-01","ChargeAmount":"3000.00"},…]}
/// ```
///
/// A value; generation is pure (no clock, no I/O) and exact (integer minor units, no
/// floating point). It does not check that dates are in the future: the caller knows today.
public struct PaymentSchedule: Sendable, Hashable {
    /// One installment: `{"ChargeDate": "2027-01-01", "ChargeAmount": "3000.00"}`.
    public struct Payment: Sendable, Hashable {
        /// `ChargeDate`: the day the buyer is invoiced.
        public var chargeDate: CalendarDay
        /// `ChargeAmount`: what is charged that day.
        public var chargeAmount: CurrencyAmount

        /// Creates a payment.
        public init(chargeDate: CalendarDay, chargeAmount: CurrencyAmount) {
            self.chargeDate = chargeDate
            self.chargeAmount = chargeAmount
        }
    }

    /// The term's `Type`: `PaymentScheduleTerm` for offers, `ResalePaymentScheduleTerm` for
    /// resale authorizations.
    public var termType: TermType
    /// `CurrencyCode`, e.g. `USD`.
    public var currencyCode: String
    /// The installments in date order (`Schedule`).
    public var payments: [Payment]

    /// Creates a schedule from its parts (no checks; prefer ``generate(_:)``).
    public init(termType: TermType = .offer, currencyCode: String, payments: [Payment]) {
        self.termType = termType
        self.currencyCode = currencyCode
        self.payments = payments
    }

    /// The sum of every payment.
    public var total: CurrencyAmount {
        CurrencyAmount(minorUnits: payments.reduce(0) { $0 + $1.chargeAmount.minorUnits },
                       fractionDigits: CurrencyAmount.fractionDigits(currency: currencyCode))
    }

    /// The `Schedule` array: `[{"ChargeDate": "…", "ChargeAmount": "…"}, …]`.
    public var scheduleJSON: JSONValue {
        .array(payments.map { payment in
            ["ChargeDate": .string(payment.chargeDate.description), "ChargeAmount": .string(payment.chargeAmount.description)]
        })
    }

    /// The term object for a `Terms` array:
    /// `{"Type": "PaymentScheduleTerm", "CurrencyCode": "USD", "Schedule": [...]}`.
    public var term: JSONValue {
        ["Type": .string(termType.rawValue), "CurrencyCode": .string(currencyCode), "Schedule": scheduleJSON]
    }

    /// The DetailsDocument of an `UpdatePaymentScheduleTerms` change: `{"Terms": [term]}`.
    public var detailsDocument: JSONValue { ["Terms": [term]] }

    /// One line for people: `4 payments from 2027-01-01 to 2027-09-28, total 12000.00 USD`.
    public var summary: String {
        guard let first = payments.first, let last = payments.last else { return "no payments" }
        let count = payments.count == 1 ? "1 payment on \(first.chargeDate)" : "\(payments.count) payments from \(first.chargeDate) to \(last.chargeDate)"
        return "\(count), total \(total) \(currencyCode)"
    }

    /// The term's type.
    public enum TermType: String, Sendable, Hashable, CaseIterable {
        /// `PaymentScheduleTerm`: offers (private offers, channel-partner offers).
        case offer = "PaymentScheduleTerm"
        /// `ResalePaymentScheduleTerm`: resale authorizations.
        case resaleAuthorization = "ResalePaymentScheduleTerm"
    }

    /// How often payments fall: every 15, 30, 90 or 365 calendar days from the first charge date.
    public enum Frequency: Int, Sendable, Hashable, CaseIterable {
        /// Every 15 days.
        case every15Days = 15
        /// Every 30 days.
        case every30Days = 30
        /// Every 90 days.
        case every90Days = 90
        /// Every 365 days.
        case every365Days = 365

        /// The number of days between two payments.
        public var days: Int { rawValue }
    }

    /// Which payment takes the remainder when the total does not split evenly (in minor
    /// units): 100.00 in 3 payments is 33.34 + 33.33 + 33.33 (`first`) or 33.33 + 33.33 +
    /// 33.34 (`last`).
    public enum RemainderPlacement: String, Sendable, Hashable, CaseIterable {
        /// The first payment is the larger one.
        case first
        /// The last payment is the larger one (the default).
        case last
    }

    /// Which days a payment may fall on.
    public enum DayRule: String, Sendable, Hashable, CaseIterable {
        /// Any day: the dates are first + k × every days exactly (the default).
        case calendar
        /// Monday to Friday, and not a listed holiday. A date on a weekend or holiday moves
        /// to the **next** business day (Saturday and Sunday to Monday: the buyer is never
        /// invoiced before the agreed date); when that would pass the end date, it moves to
        /// the previous business day instead.
        case business
    }

    /// How many payments: up to an end date, or a count.
    public enum Extent: Sendable, Hashable {
        /// Every date first + k × every that is on or before this date (before business-day
        /// adjustment), and adjusted dates stay on or before it.
        case endDate(CalendarDay)
        /// Exactly this many payments.
        case count(Int)
    }

    /// The most payments one schedule may have: 60 (AWS Marketplace seller guide, "Private
    /// offer installment plans": "You can add up to 60 payments"; the limit was 36 when the
    /// flexible payment scheduler launched).
    public static let maximumPayments = 60
}

extension PaymentSchedule {
    /// What a schedule is made from.
    public struct Parameters: Sendable, Hashable {
        /// The total to split, as a plain decimal in major units (`12000`, `12000.50`); at most
        /// as many fraction digits as the currency has (none for JPY).
        public var total: String
        /// `CurrencyCode` (ISO 4217, upper case); `USD` by default.
        public var currencyCode: String
        /// The first `ChargeDate` (before business-day adjustment).
        public var firstChargeDate: CalendarDay
        /// An end date or a count.
        public var extent: Extent
        /// Days between payments.
        public var frequency: Frequency
        /// Which payment takes the remainder; `last` by default.
        public var remainder: RemainderPlacement
        /// Calendar or business days; calendar by default.
        public var dayRule: DayRule
        /// Days that are not business days (with ``DayRule/business``), besides weekends.
        public var holidays: Set<CalendarDay>
        /// `PaymentScheduleTerm` (offers) or `ResalePaymentScheduleTerm`; offers by default.
        public var termType: TermType

        /// Creates parameters.
        public init(
            total: String, currencyCode: String = "USD", firstChargeDate: CalendarDay, extent: Extent,
            frequency: Frequency, remainder: RemainderPlacement = .last, dayRule: DayRule = .calendar,
            holidays: Set<CalendarDay> = [], termType: TermType = .offer
        ) {
            self.total = total
            self.currencyCode = currencyCode
            self.firstChargeDate = firstChargeDate
            self.extent = extent
            self.frequency = frequency
            self.remainder = remainder
            self.dayRule = dayRule
            self.holidays = holidays
            self.termType = termType
        }
    }

    /// Generates the schedule: dates first, first + every, first + 2 × every … (up to the end
    /// date, or `count` of them), adjusted to business days when asked; the total split into
    /// equal payments in minor units, the remainder on the first or the last payment.
    ///
    /// - Throws: ``BulkRunnerError`` (code ``BulkRunnerError/Code/invalidOption``, the field
    ///   named as in the spec syntax: `total`, `currency`, `end`, `count`, `days`) when the
    ///   currency is not a code, the total is not a positive amount in that currency's minor
    ///   units, the end is before the first date, the count is not 1…``maximumPayments``,
    ///   the total is too small to give every payment at least one minor unit, or a
    ///   business day cannot be found between two payments.
    public static func generate(_ parameters: Parameters) throws(BulkRunnerError) -> PaymentSchedule {
        let currency: String
        switch ValueChecks.currencyCode(parameters.currencyCode) {
        case .valid(let normalized): currency = normalized
        case .invalid(let problem): throw fail("currency", problem)
        }
        let digits = CurrencyAmount.fractionDigits(currency: currency)
        let total = try amount(parameters.total, currency: currency, digits: digits)

        // The raw dates.
        let every = parameters.frequency.days
        var raw: [CalendarDay] = []
        switch parameters.extent {
        case .count(let count):
            guard (1...maximumPayments).contains(count) else {
                throw BulkRunnerError(code: .invalidOption, field: "count",
                                      reason: "the number of payments must be 1 to \(maximumPayments), got \(count)",
                                      hint: "give count=N (e.g. count=4) or an end date instead")
            }
            raw = (0..<count).map { parameters.firstChargeDate.adding(days: $0 * every) }
        case .endDate(let end):
            guard end >= parameters.firstChargeDate else {
                throw BulkRunnerError(code: .invalidOption, field: "end",
                                      reason: "the end date \(end) is before the first charge date \(parameters.firstChargeDate)",
                                      hint: "give an end date on or after the first charge date")
            }
            var day = parameters.firstChargeDate
            while day <= end {
                raw.append(day)
                guard raw.count <= maximumPayments else {
                    throw BulkRunnerError(code: .invalidOption, field: "end",
                                          reason: "\(parameters.firstChargeDate) to \(end) every \(every) days is more than \(maximumPayments) payments",
                                          hint: "check the end date, or choose a longer frequency")
                }
                day = day.adding(days: every)
            }
        }

        // Business days.
        var dates = raw
        if parameters.dayRule == .business {
            var end: CalendarDay?
            if case .endDate(let limit) = parameters.extent { end = limit }
            for (index, day) in raw.enumerated() {
                let adjusted = BusinessDays(holidays: parameters.holidays).adjust(day, notAfter: end)
                let earliest = index == 0 ? parameters.firstChargeDate : dates[index - 1].adding(days: 1)
                guard adjusted >= earliest else {
                    throw BulkRunnerError(
                        code: .invalidOption, field: "days",
                        reason: "payment \(index + 1) (\(day), a \(day.weekday.rawValue)) has no business day "
                            + "after \(index == 0 ? "the first charge date" : "payment \(index)")\(end.map { " and on or before the end date \($0)" } ?? "")",
                        hint: "move the first charge date or the end date, or use calendar days")
                }
                dates[index] = adjusted
            }
        }

        // Amounts.
        let count = Int64(dates.count)
        let base = total / count
        let remainder = total % count
        guard base >= 1 else {
            throw BulkRunnerError(code: .invalidOption, field: "total",
                                  reason: "\(CurrencyAmount(minorUnits: total, fractionDigits: digits)) \(currency) cannot be split into \(count) payments of at least \(CurrencyAmount(minorUnits: 1, fractionDigits: digits))",
                                  hint: "raise the total or make fewer payments")
        }
        let payments = dates.enumerated().map { index, day in
            var amount = base
            if remainder > 0 {
                switch parameters.remainder {
                case .first where index == 0: amount += remainder
                case .last where index == dates.count - 1: amount += remainder
                default: break
                }
            }
            return Payment(chargeDate: day, chargeAmount: CurrencyAmount(minorUnits: amount, fractionDigits: digits))
        }
        return PaymentSchedule(termType: parameters.termType, currencyCode: currency, payments: payments)
    }

    /// The total in minor units, with messages that name spreadsheet damage (`$12,000`, `1.2E+4`).
    static func amount(_ text: String, currency: String, digits: Int) throws(BulkRunnerError) -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let amount = CurrencyAmount(decimal: trimmed, fractionDigits: digits) {
            guard amount.minorUnits > 0 else {
                throw BulkRunnerError(code: .invalidOption, field: "total", reason: "the total must be more than 0, got \(trimmed)",
                                      hint: "give the contract's total amount, e.g. total=12000")
            }
            return amount.minorUnits
        }
        if CurrencyAmount(decimal: trimmed, fractionDigits: 9) != nil {
            throw BulkRunnerError(
                code: .invalidOption, field: "total",
                reason: digits == 0
                    ? "\(currency) has no minor unit, so the total \(trimmed) cannot have decimals"
                    : "\(currency) has \(digits) decimal places, so the total \(trimmed) has too many",
                hint: digits == 0 ? "give a whole amount, e.g. total=1200000" : "round the total to \(digits) decimal places")
        }
        switch ValueChecks.price(trimmed, maxFractionDigits: digits) {
        case .invalid(let problem): throw fail("total", problem)
        case .valid:
            throw BulkRunnerError(code: .invalidOption, field: "total", reason: "\"\(trimmed)\" is not an amount",
                                  hint: "give a plain amount such as 12000 or 12000.50")
        }
    }

    static func fail(_ field: String, _ problem: ValueProblem) -> BulkRunnerError {
        var hint = problem.hint
        if let suggestion = problem.suggestion { hint += "; did you mean \(suggestion)?" }
        return BulkRunnerError(code: .invalidOption, field: field, reason: problem.message, hint: hint)
    }
}

/// Business days: Monday to Friday, minus listed holidays.
struct BusinessDays: Sendable, Hashable {
    var holidays: Set<CalendarDay>

    /// Whether `day` is a business day.
    func isBusinessDay(_ day: CalendarDay) -> Bool {
        !day.isWeekend && !holidays.contains(day)
    }

    /// `day` when it is a business day; else the next business day, or, when that is after
    /// `limit`, the previous one. Terminates: only finitely many holidays.
    func adjust(_ day: CalendarDay, notAfter limit: CalendarDay?) -> CalendarDay {
        var next = day
        while !isBusinessDay(next) { next = next.adding(days: 1) }
        if let limit, next > limit {
            var previous = day
            while !isBusinessDay(previous) { previous = previous.adding(days: -1) }
            return previous
        }
        return next
    }
}
