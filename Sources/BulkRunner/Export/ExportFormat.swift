import CSVKit
import Foundation

/// The export file: what `bulkrunner export` writes and the apply step reads back.
///
/// A CSV file (RFC 4180: `,` by default, CRLF, UTF-8, a byte order mark with `--bom`),
/// one header row, then **one row per entity** in the order ListEntities returned them.
/// Columns are matched by name when read back (ignoring case, spaces, `_` and `-`);
/// columns a reviewer adds are kept and ignored, and column order does not matter.
///
/// ## Resale authorizations
///
/// | column | meaning |
/// | --- | --- |
/// | `ResaleAuthorizationId` | the entity id (`resaleauthz-…`); do not edit |
/// | `Name` | the authorization's name |
/// | `ProductId` | `prod-…`; empty when it covers every product of the seller |
/// | `ProductName` | the product's title |
/// | `ResellerAccountId` | the channel partner's 12-digit account id (text-protected, below) |
/// | `ResellerLegalName` | the channel partner's legal name |
/// | `Status` | `Draft`, `Active` or `Restricted` |
/// | `OfferExtendedStatus` | whether the partner has made offers from it, as the API reports it |
/// | `OfferCreatedCount` | how many offers the partner has made from it |
/// | `OffersMaxQuantity` | `1` for a one-time authorization; empty for multi-use |
/// | `AvailabilityEndDate` | expiry, `YYYY-MM-DD` (UTC); empty: none |
/// | `BuyerAccounts` | specific buyers (`BuyerTargetingTerm`), `;`-separated (text-protected) |
/// | `Pricing` | pricing terms in short (``PricingSummary``), `—` when none |
/// | `PaymentSchedule` | `ResalePaymentScheduleTerm` in short, `—` when none |
/// | `CreatedDate` | ISO 8601 UTC |
/// | `LastModifiedDate` | ISO 8601 UTC exactly as the API gave it; do not edit |
/// | `Action` | empty; the reviewer's ``ExportAction``s |
/// | `NewAvailabilityEndDate`, `NewPrice`, `NewName`, `NewBuyerAccounts`, `NewPaymentSchedule` | empty; what the actions need |
///
/// ## Offers
///
/// `OfferId`, `Name`, `ProductId`, `ProductName`, `ResaleAuthorizationId` (channel-partner
/// offers; empty otherwise), `State` (`Draft`, `Released`), `BuyerAccounts`
/// (`;`-separated, text-protected), `AvailabilityEndDate`, `ReleaseDate`, `Pricing`,
/// `PaymentSchedule` (`PaymentScheduleTerm`), `LastModifiedDate`, then the same `Action`
/// and `New…` columns.
///
/// ## Actions (`Action` column)
///
/// Empty or `KEEP`: nothing. Otherwise one or more of ``ExportAction`` joined by `+`
/// (`REPRICE+RELEASE`), each with the columns it needs: `RESTRICT` (Active authorizations;
/// irreversible), `RELEASE` (Drafts), `EXTEND` (`NewAvailabilityEndDate`), `REPRICE`
/// (`NewPrice`; Drafts), `RENAME` (`NewName`), `RETARGET` (`NewBuyerAccounts`; Drafts),
/// `SCHEDULE` (`NewPaymentSchedule`, a ``PaymentSchedule`` spec; Drafts).
/// ``ExportSheetReader`` reads the file back and checks them (``ExportSheetRow/problems``).
///
/// ## Keeping values exact in spreadsheets
///
/// - **Account ids** (`ResellerAccountId`, `BuyerAccounts`, `NewBuyerAccounts`) are written
///   with a leading apostrophe: `'012345678901`. Opened as CSV, Excel turns a bare
///   `012345678901` into the number 12345678901 and writes it back as `1.23457E+10`, losing
///   the leading zero and the digits for good. A cell starting with `'` is not a number to
///   any spreadsheet, so it survives as text: Excel, LibreOffice and Google Sheets keep
///   `'012345678901` (or, where the apostrophe is taken as the "text" marker, keep the
///   digits). Either way the value reads back exactly: ``unprotect(_:in:)`` drops one
///   leading apostrophe from these columns. `="012345678901"` was rejected: it is a formula,
///   which the CSV formula guard (rightly) defuses, and which tools other than spreadsheets
///   read literally.
/// - **Formula-looking text** (`=…`, `+…`, `-…`, `@…`) is written `'=…` by CSVKit's guard
///   (OWASP "CSV Injection"); ``unprotect(_:in:)`` removes that apostrophe too.
/// - **Dates** are ISO 8601 text. Excel may show `YYYY-MM-DD` cells as dates and save them
///   in the locale's format; the apply step's date checks recognise that damage. Do not
///   edit `LastModifiedDate`.
/// - Use `--bom` when the file is for Excel, so it reads UTF-8 (names, `—`) correctly.
/// - **XLSX** (``XLSXExportSink``, `--format xlsx`): the same columns in a workbook where every
///   cell is an inline string and every column has the Text format, so no apostrophe is
///   needed and what the reviewer types (dates, ids, prices) stays text. Nothing in a workbook
///   is evaluated as a formula. Reading a workbook back is not implemented yet: save as CSV.
public enum ExportFormat {
    /// The resale authorization columns, in file order.
    public static let resaleAuthorizationColumns: [ExportColumn] = [
        .resaleAuthorizationId, .name, .productId, .productName, .resellerAccountId, .resellerLegalName, .status,
        .offerExtendedStatus, .offerCreatedCount, .offersMaxQuantity, .availabilityEndDate, .buyerAccounts, .pricing,
        .paymentSchedule, .createdDate, .lastModifiedDate,
    ] + reviewColumns

    /// The offer columns, in file order.
    public static let offerColumns: [ExportColumn] = [
        .offerId, .name, .productId, .productName, .offerResaleAuthorizationId, .state, .buyerAccounts,
        .availabilityEndDate, .releaseDate, .pricing, .paymentSchedule, .lastModifiedDate,
    ] + reviewColumns

    /// `Action` and the `New…` columns, last in both layouts, written empty.
    public static let reviewColumns: [ExportColumn] = [
        .action, .newAvailabilityEndDate, .newPrice, .newName, .newBuyerAccounts, .newPaymentSchedule,
    ]

    /// What empty summary columns (`Pricing`, `PaymentSchedule`) hold: an em dash, so "none"
    /// is visibly different from "not exported".
    public static let none = "—"

    /// The header row of `kind`.
    public static func header(_ kind: ExportKind) -> [String] { kind.columns.map(\.name) }

    /// The row of `entity`: every column of its kind, protected for spreadsheets.
    public static func cells(for entity: ExportedEntity) -> [String] {
        entity.kind.columns.map { protect(entity.value(of: $0), in: $0) }
    }

    /// `value` as written in `column`: a leading apostrophe on account-id columns (non-empty
    /// cells only). Other cells are left to CSVKit's formula guard.
    public static func protect(_ value: String, in column: ExportColumn) -> String {
        guard column.holdsAccountIds, !value.isEmpty, !value.hasPrefix("'") else { return value }
        return "'" + value
    }

    /// A cell read back as its value: for account-id columns, one leading apostrophe dropped
    /// and spaces trimmed; for any column, the apostrophe CSVKit's formula guard adds before
    /// `=`, `+`, `-`, `@`, tab or CR dropped. Everything else is returned unchanged.
    public static func unprotect(_ cell: String, in column: ExportColumn?) -> String {
        if column?.holdsAccountIds == true {
            let trimmed = cell.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("'") ? String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces) : trimmed
        }
        if cell.hasPrefix("'"), CSVWriter.looksLikeFormula(cell.dropFirst()) { return String(cell.dropFirst()) }
        return cell
    }

    /// The column of `kind` named `header` (ignoring case, spaces, `_` and `-`), if any.
    public static func column(named header: String, in kind: ExportKind) -> ExportColumn? {
        let key = ColumnName.normalize(header)
        return kind.columns.first { ColumnName.normalize($0.name) == key }
    }

    /// The column list as text, for `--help` and docs: one `Name — meaning` line each.
    public static func columnsDescription(_ kind: ExportKind) -> String {
        let width = (kind.columns.map(\.name.count).max() ?? 0) + 2
        return kind.columns.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + $0.meaning }
            .joined(separator: "\n")
    }
}
