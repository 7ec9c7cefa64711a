import Foundation
import CatalogModels

/// What a reviewer asks for in an export row's `Action` column, and the Catalog change each
/// becomes (AWS Marketplace Catalog API reference, "Working with resale authorizations" and
/// "Working with private offers").
///
/// | action | resale authorization | offer | needs | allowed when |
/// | --- | --- | --- | --- | --- |
/// | `RESTRICT` | `RestrictResaleAuthorization` (irreversible) | — | — | Active |
/// | `RELEASE` | `ReleaseResaleAuthorization` | `ReleaseOffer` | — | Draft |
/// | `EXTEND` | `UpdateAvailability` | `UpdateAvailability` | `NewAvailabilityEndDate` | Draft, Active / Draft, Released |
/// | `REPRICE` | `UpdatePricingTerms` | `UpdatePricingTerms` | `NewPrice` | Draft |
/// | `RENAME` | `UpdateInformation` | `UpdateInformation` | `NewName` | Draft, Active / Draft, Released |
/// | `RETARGET` | `UpdateBuyerTargetingTerms` | `UpdateTargeting` | `NewBuyerAccounts` | Draft |
/// | `SCHEDULE` | `UpdatePaymentScheduleTerms` | `UpdatePaymentScheduleTerms` | `NewPaymentSchedule` | Draft |
///
/// An empty cell or `KEEP` means no action. Several actions are joined with `+`
/// (`REPRICE+RELEASE`; also `,`, `;` or spaces). The statuses are a pre-check from the
/// documentation (published entities take no new pricing, only Active authorizations can be
/// restricted); the service has the last word.
public enum ExportAction: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Stop new channel-partner offers from an Active resale authorization (cannot be undone).
    case restrict = "RESTRICT"
    /// Publish a Draft.
    case release = "RELEASE"
    /// Set a new availability end date (`NewAvailabilityEndDate`).
    case extend = "EXTEND"
    /// Replace the price (`NewPrice`).
    case reprice = "REPRICE"
    /// Rename (`NewName`).
    case rename = "RENAME"
    /// Replace the targeted buyers (`NewBuyerAccounts`).
    case retarget = "RETARGET"
    /// Replace the payment schedule (`NewPaymentSchedule`, a ``PaymentSchedule`` spec).
    case schedule = "SCHEDULE"

    /// The word in the `Action` column.
    public var description: String { rawValue }

    /// Whether the action exists for `kind`.
    public func applies(to kind: ExportKind) -> Bool {
        self != .restrict || kind == .resaleAuthorizations
    }

    /// The Catalog change type it becomes for `kind`.
    public func changeType(for kind: ExportKind) -> String {
        let ra = kind == .resaleAuthorizations
        switch self {
        case .restrict: return "RestrictResaleAuthorization"
        case .release: return ra ? "ReleaseResaleAuthorization" : "ReleaseOffer"
        case .extend: return "UpdateAvailability"
        case .reprice: return "UpdatePricingTerms"
        case .rename: return "UpdateInformation"
        case .retarget: return ra ? "UpdateBuyerTargetingTerms" : "UpdateTargeting"
        case .schedule: return "UpdatePaymentScheduleTerms"
        }
    }

    /// The `New…` column it reads, if any.
    public var parameter: ExportColumn? {
        switch self {
        case .restrict, .release: nil
        case .extend: .newAvailabilityEndDate
        case .reprice: .newPrice
        case .rename: .newName
        case .retarget: .newBuyerAccounts
        case .schedule: .newPaymentSchedule
        }
    }

    /// The statuses (resale authorizations) or states (offers) it is allowed in.
    public func allowedStatuses(for kind: ExportKind) -> [String] {
        switch (self, kind) {
        case (.restrict, _): ["Active"]
        case (.release, _), (.reprice, _), (.retarget, _), (.schedule, _): ["Draft"]
        case (.extend, .resaleAuthorizations), (.rename, .resaleAuthorizations): ["Draft", "Active"]
        case (.extend, .offers), (.rename, .offers): ["Draft", "Released"]
        }
    }

    /// Reads an `Action` cell: `[]` for empty or `KEEP`; otherwise the actions in order.
    ///
    /// - Returns: the actions, or the words that are not actions.
    public static func parse(_ cell: String) -> (actions: [ExportAction], unknown: [String]) {
        var actions: [ExportAction] = []
        var unknown: [String] = []
        for word in cell.split(whereSeparator: { $0 == "+" || $0 == "," || $0 == ";" || $0.isWhitespace }) {
            let upper = word.uppercased()
            if upper == "KEEP" || upper == "NONE" || upper == "-" { continue }
            if let action = ExportAction(rawValue: upper) {
                if !actions.contains(action) { actions.append(action) }
            } else {
                unknown.append(String(word))
            }
        }
        return (actions, unknown)
    }

    /// One price change of a `NewPrice` cell: a dimension (`nil`: every dimension of the
    /// current rate card) and a price as the API takes it (`"150.00"`).
    public struct PriceChange: Sendable, Hashable {
        /// The `DimensionKey`, or `nil` for all.
        public var dimensionKey: String?
        /// The price text, checked by `ValueChecks.price`.
        public var price: String

        /// Creates a change.
        public init(dimensionKey: String?, price: String) {
            self.dimensionKey = dimensionKey
            self.price = price
        }
    }

    /// What a `NewPrice` cell says: price changes, or why it cannot be read.
    public enum Prices: Sendable, Hashable {
        /// The changes, in cell order.
        case valid([PriceChange])
        /// The problem to show in the row.
        case invalid(ValueProblem)
    }

    /// Reads a `NewPrice` cell: `150.00` (every dimension), or `t2.small=150;t2.large=300`.
    public static func parsePrices(_ cell: String) -> Prices {
        let items = cell.split(whereSeparator: { $0 == ";" || $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !items.isEmpty else {
            return .invalid(ValueProblem(kind: .empty, message: "NewPrice is empty", hint: "enter a price such as 150.00, or KEY=PRICE;KEY=PRICE"))
        }
        var changes: [PriceChange] = []
        for item in items {
            var key: String?
            var text = item
            if let eq = item.firstIndex(of: "=") {
                key = item[..<eq].trimmingCharacters(in: .whitespaces)
                text = item[item.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                if key?.isEmpty == true {
                    return .invalid(ValueProblem(kind: .invalidFormat, message: "NewPrice '\(item)' has no dimension before '='",
                                                 hint: "write DIMENSION=PRICE, e.g. t2.small=150"))
                }
            } else if items.count > 1 {
                return .invalid(ValueProblem(kind: .invalidFormat, message: "NewPrice '\(item)' has no dimension",
                                             hint: "with several prices write DIMENSION=PRICE for each, separated by ;"))
            }
            switch ValueChecks.price(text) {
            case .valid(let normalized): changes.append(PriceChange(dimensionKey: key, price: normalized))
            case .invalid(let problem): return .invalid(problem)
            }
        }
        return .valid(changes)
    }
}
