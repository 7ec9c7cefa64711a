import CatalogModels
import Foundation

/// One step of a marked row: the changes that go out together in one change set.
///
/// Most rows have one step (``Role-swift.enum/update``): every action of the row on its entity,
/// in one set (the service orders them itself: updates before a release). A price change of an
/// Active resale authorization has two (``Role-swift.enum/grant`` and ``Role-swift.enum/restrict``),
/// sent in two waves in the order ``RepriceOrder`` says; the second only after the first SUCCEEDED.
public struct ApplyStep: Sendable, Hashable {
    /// What the step does.
    public enum Role: String, Sendable, Hashable {
        /// The row's actions on its own entity.
        case update
        /// A new resale authorization (create, pricing, terms, expiry, release) replacing the row's.
        case grant
        /// Restrict the row's resale authorization, replaced by the granted one.
        case restrict
    }

    /// What the step does.
    public var role: Role
    /// The changes, named `<ChangeType>R<line>` (letters and digits, as ChangeName must be).
    public var changes: [Change]
    /// The existing entities the changes target (the row's entity; none for a grant).
    public var targetEntityIds: [String]
    /// For a grant: how to find the created authorization again (see ``CreationKey``).
    public var creation: CreationKey?
    /// One line for people: `restrict resaleauthz-…`, `grant a new authorization …`.
    public var summary: String
}

/// Builds the steps of one marked row from its actions, its `New…` values and the entity as
/// described now (DetailsDocument).
struct ApplyStepBuilder {
    let kind: ExportKind
    let today: Date
    let checkedAt: Date
    let order: RepriceOrder

    /// The row's steps in sending order, or why it cannot be applied.
    func steps(for row: ExportSheetRow, document: JSONValue, status: String) -> Result<[ApplyStep], ApplyProblem> {
        do {
            if ApplyRules.isRegrant(row.actions, kind: kind, status: status) {
                let grant = try grantStep(row, document)
                let restrict = restrictStep(row)
                return .success(order == .grantFirst ? [grant, restrict] : [restrict, grant])
            }
            return .success([try updateStep(row, document)])
        } catch let problem as ApplyProblem {
            return .failure(problem)
        } catch {
            return .failure(ApplyProblem(code: "INVALID_VALUE", column: nil, message: "\(error)"))
        }
    }

    // MARK: Names

    static func changeName(_ changeType: String, line: Int) -> String {
        let digits = String(line)
        return changeType + "R" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    private var entityType: String { kind.versionedEntityType }

    private func change(_ type: String, _ identifier: String?, _ details: JSONValue, line: Int) -> Change {
        Change(changeType: type, entity: Entity(type: entityType, identifier: identifier), detailsDocument: details,
               changeName: Self.changeName(type, line: line))
    }

    // MARK: One step on the row's entity

    private func updateStep(_ row: ExportSheetRow, _ document: JSONValue) throws -> ApplyStep {
        let id = row.entityId
        var changes: [Change] = []
        var parts: [String] = []
        let ra = kind == .resaleAuthorizations
        for action in row.actions {
            let type = action.changeType(for: kind)
            switch action {
            case .restrict:
                changes.append(change(type, id, .object([:]), line: row.line))
                parts.append("restrict")
            case .release:
                try checkReleasable(document, row: row)
                changes.append(change(type, id, .object([:]), line: row.line))
                parts.append("release")
            case .extend:
                let date = try endDate(row)
                changes.append(change(type, id, ["AvailabilityEndDate": .string(date)], line: row.line))
                parts.append("expiry \(date)")
            case .reprice:
                let terms = try repricedTerms(row, document)
                let model = ApplyTerms.pricingModel(document, terms: terms)
                changes.append(change(type, id, ["PricingModel": .string(model), "Terms": .array(terms)], line: row.line))
                parts.append("price \(row.parameter(for: .reprice) ?? "")")
            case .rename:
                let name = try newName(row)
                changes.append(change(type, id, ["Name": .string(name)], line: row.line))
                parts.append("name \"\(name)\"")
            case .retarget:
                let accounts = try buyerAccounts(row)
                if ra {
                    changes.append(change(type, id, buyerTargeting(accounts), line: row.line))
                } else {
                    var positive = document["Rules"]?.arrayValue?.first { $0["Type"]?.stringValue == "TargetingRule" }?["PositiveTargeting"]
                        ?? .object([:])
                    positive["BuyerAccounts"] = .array(accounts.map { .string($0) })
                    changes.append(change(type, id, ["PositiveTargeting": positive], line: row.line))
                }
                parts.append("buyers \(accounts.joined(separator: ";"))")
            case .schedule:
                let schedule = try paymentSchedule(row)
                changes.append(change(type, id, schedule.detailsDocument, line: row.line))
                parts.append("payment schedule (\(schedule.summary))")
            }
        }
        return ApplyStep(role: .update, changes: changes, targetEntityIds: [id], creation: nil,
                         summary: "\(id): " + parts.joined(separator: ", "))
    }

    // MARK: Re-grant

    private func restrictStep(_ row: ExportSheetRow) -> ApplyStep {
        ApplyStep(role: .restrict, changes: [change("RestrictResaleAuthorization", row.entityId, .object([:]), line: row.line)],
                  targetEntityIds: [row.entityId], creation: nil, summary: "restrict \(row.entityId)")
    }

    /// A new authorization for the same reseller and product, copying the old one's name,
    /// description, legal terms, buyer targeting, validity and net payment terms, payment
    /// schedule and availability, with the new prices (and the row's other actions), released.
    private func grantStep(_ row: ExportSheetRow, _ document: JSONValue) throws -> ApplyStep {
        let text = PricingSummary.text
        guard let reseller = text(document["ResellerAccountId"]) ?? row.value(.resellerAccountId).flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw ApplyProblem(code: "MISSING_RESELLER", column: ExportColumn.resellerAccountId.name,
                               message: "\(row.entityId) names no reseller account, so it cannot be re-granted")
        }
        let product = text(document["ProductId"]).flatMap { $0.isEmpty ? nil : $0 }
        let name = row.actions.contains(.rename) ? try newName(row) : (text(document["Name"]) ?? row.value(.name) ?? "")
        let description = text(document["Description"]).flatMap { $0.isEmpty ? nil : $0 } ?? "Resale authorization"
        let createName = Self.changeName("CreateResaleAuthorization", line: row.line)
        let reference = "$\(createName).Entity.Identifier"

        var create: JSONObject = [:]
        if let product { create["ProductId"] = .string(product) }
        create["Name"] = .string(name)
        create["Description"] = .string(description)
        create["ResellerAccountId"] = .string(reseller)
        var changes = [Change(changeType: "CreateResaleAuthorization", entity: Entity(type: entityType), detailsDocument: .object(create),
                              changeName: createName)]
        func add(_ type: String, _ details: JSONValue) { changes.append(change(type, reference, details, line: row.line)) }

        let terms = try repricedTerms(row, document)
        add("UpdatePricingTerms", ["PricingModel": .string(ApplyTerms.pricingModel(document, terms: terms)), "Terms": .array(terms)])

        let legal = ApplyTerms.terms(document, types: ["BuyerLegalTerm", "ResaleLegalTerm"])
        guard legal.contains(where: { $0["Type"]?.stringValue == "BuyerLegalTerm" }) else {
            throw ApplyProblem(code: "MISSING_MANDATORY_TERMS", column: nil,
                               message: "\(row.entityId) has no BuyerLegalTerm (EULA) to copy to the new authorization; re-grant it with `bulkrunner grant` instead")
        }
        add("UpdateLegalTerms", ["Terms": .array(legal)])

        if row.actions.contains(.schedule) {
            add("UpdatePaymentScheduleTerms", try paymentSchedule(row).detailsDocument)
        } else {
            let schedules = ApplyTerms.terms(document, types: ["ResalePaymentScheduleTerm"])
            if !schedules.isEmpty {
                let today = CalendarDay(self.today)
                let past = schedules.flatMap { $0["Schedule"]?.arrayValue ?? [] }.contains { item in
                    guard let day = item["ChargeDate"]?.stringValue.flatMap({ CalendarDay(String($0.prefix(10))) }) else { return true }
                    return day <= today
                }
                if past {
                    throw ApplyProblem(code: "PAST_PAYMENT_SCHEDULE", column: ExportColumn.newPaymentSchedule.name,
                                       message: "\(row.entityId) has a payment schedule with charge dates that have passed, which a new authorization cannot copy; add SCHEDULE with a NewPaymentSchedule")
                }
                add("UpdatePaymentScheduleTerms", ["Terms": .array(schedules)])
            }
        }
        if row.actions.contains(.retarget) {
            add("UpdateBuyerTargetingTerms", buyerTargeting(try buyerAccounts(row)))
        } else {
            let targeting = ApplyTerms.terms(document, types: ["BuyerTargetingTerm"])
            if !targeting.isEmpty { add("UpdateBuyerTargetingTerms", ["Terms": .array(targeting)]) }
        }
        let validity = ApplyTerms.terms(document, types: ["BuyerValidityTerm"])
        if !validity.isEmpty { add("UpdateBuyerValidityTerms", ["Terms": .array(validity)]) }
        let netPayment = ApplyTerms.terms(document, types: ["NetPaymentTerm"])
        if !netPayment.isEmpty { add("UpdateNetPaymentTerms", ["Terms": .array(netPayment)]) }

        let rule = document["Rules"]?.arrayValue?.first { $0["Type"]?.stringValue == "AvailabilityRule" }
        var availability: JSONObject = [:]
        if row.actions.contains(.extend) {
            availability["AvailabilityEndDate"] = .string(try endDate(row))
        } else if let old = (text(rule?["AvailabilityEndDate"]) ?? text(rule?["DateAvailability"]?["EndDate"])).map(PricingSummary.dayPart),
                  !old.isEmpty {
            guard let day = CalendarDay(old), day > CalendarDay(today) else {
                throw ApplyProblem(code: "INVALID_AVAILABILITY_END_DATE", column: ExportColumn.newAvailabilityEndDate.name,
                                   message: "\(row.entityId) expires on \(old), which a new authorization cannot copy; add EXTEND with a NewAvailabilityEndDate")
            }
            availability["AvailabilityEndDate"] = .string(old)
        }
        if let quantity = rule?["OffersMaxQuantity"], quantity.numberValue != nil { availability["OffersMaxQuantity"] = quantity }
        if !availability.isEmpty { add("UpdateAvailability", .object(availability)) }
        add("ReleaseResaleAuthorization", .object([:]))

        let key = CreationKey(
            changeIndex: 0, changeName: createName, changeType: "CreateResaleAuthorization", entityType: entityType,
            fields: [CreationKey.Field(name: "ResellerAccountId", value: reseller)]
                + (product.map { [CreationKey.Field(name: "ProductId", value: $0)] } ?? [])
                + [CreationKey.Field(name: "Name", value: name)],
            listEntitiesRequest: ListEntitiesRequest(entityType: "ResaleAuthorization", entityTypeFilters: .resaleAuthorization(
                ResaleAuthorizationFilters(
                    name: WildcardFilter(valueList: [name]), productId: product.map { WildcardFilter(valueList: [$0]) },
                    // Created after the check: never the authorization this one replaces, which has the same
                    // reseller, product and (often) name.
                    createdDate: DateFilter(dateRange: DateRange(afterValue: Self.timestamp(checkedAt.addingTimeInterval(-300)))),
                    resellerAccountID: WildcardFilter(valueList: [reseller])))))
        let price = row.parameter(for: .reprice) ?? ""
        return ApplyStep(role: .grant, changes: changes, targetEntityIds: [], creation: key,
                         summary: "grant a new authorization to \(reseller)\(product.map { " for \($0)" } ?? "") at \(price), replacing \(row.entityId)")
    }

    // MARK: Values

    private func endDate(_ row: ExportSheetRow) throws -> String {
        let raw = row.parameter(for: .extend) ?? ""
        switch ValueChecks.futureDate(raw, relativeTo: today) {
        case .valid(let value): return value
        case .invalid(let problem):
            throw ApplyProblem(code: "INVALID_VALUE", column: ExportColumn.newAvailabilityEndDate.name,
                               message: "NewAvailabilityEndDate: \(problem.message) (\(problem.hint))")
        }
    }

    private func newName(_ row: ExportSheetRow) throws -> String {
        switch ValueChecks.entityName(row.parameter(for: .rename) ?? "") {
        case .valid(let value): return value
        case .invalid(let problem):
            throw ApplyProblem(code: "INVALID_VALUE", column: ExportColumn.newName.name, message: "NewName: \(problem.message) (\(problem.hint))")
        }
    }

    private func buyerAccounts(_ row: ExportSheetRow) throws -> [String] {
        let raw = row.parameter(for: .retarget) ?? ""
        var accounts: [String] = []
        for item in raw.split(whereSeparator: { $0 == ";" || $0 == "," || $0.isWhitespace }) {
            let bare = item.hasPrefix("'") ? String(item.dropFirst()) : String(item)
            switch ValueChecks.accountId(bare) {
            case .valid(let value): if !accounts.contains(value) { accounts.append(value) }
            case .invalid(let problem):
                throw ApplyProblem(code: "INVALID_VALUE", column: ExportColumn.newBuyerAccounts.name,
                                   message: "NewBuyerAccounts: \(problem.message) (\(problem.hint))")
            }
        }
        guard !accounts.isEmpty, accounts.count <= 25 else {
            throw ApplyProblem(code: "INVALID_VALUE", column: ExportColumn.newBuyerAccounts.name,
                               message: "NewBuyerAccounts must list 1–25 buyer accounts, not \(accounts.count)")
        }
        return accounts
    }

    private func buyerTargeting(_ accounts: [String]) -> JSONValue {
        ["Terms": [["Type": "BuyerTargetingTerm", "PositiveTargeting": ["BuyerAccounts": .array(accounts.map { .string($0) })]]]]
    }

    private func paymentSchedule(_ row: ExportSheetRow) throws -> PaymentSchedule {
        do {
            return try PaymentSchedule.generate(spec: row.parameter(for: .schedule) ?? "", entityType: entityType)
        } catch {
            throw ApplyProblem(code: "INVALID_VALUE", column: ExportColumn.newPaymentSchedule.name,
                               message: "NewPaymentSchedule: \(error.field.isEmpty ? "" : error.field + ": ")\(error.reason)")
        }
    }

    private func repricedTerms(_ row: ExportSheetRow, _ document: JSONValue) throws -> [JSONValue] {
        switch ExportAction.parsePrices(row.parameter(for: .reprice) ?? "") {
        case .invalid(let problem):
            throw ApplyProblem(code: "INVALID_VALUE", column: ExportColumn.newPrice.name, message: "NewPrice: \(problem.message) (\(problem.hint))")
        case .valid(let changes):
            switch ApplyTerms.repriced(ApplyTerms.pricingTerms(document), changes: changes) {
            case .success(let terms): return terms
            case .failure(let problem): throw problem
            }
        }
    }

    /// RELEASE needs what the service needs to publish: a pricing term and a buyer legal term
    /// (`BuyerLegalTerm` for an authorization, `LegalTerm` for an offer).
    private func checkReleasable(_ document: JSONValue, row: ExportSheetRow) throws {
        let terms = document["Terms"]?.arrayValue ?? []
        var missing: [String] = []
        if !terms.contains(where: ApplyTerms.isPricing) && !row.actions.contains(.reprice) { missing.append("a pricing term") }
        let legal = kind == .resaleAuthorizations ? "BuyerLegalTerm" : "LegalTerm"
        if !terms.contains(where: { $0["Type"]?.stringValue == legal }) { missing.append("a \(legal) (EULA)") }
        guard missing.isEmpty else {
            throw ApplyProblem(code: "MISSING_MANDATORY_TERMS", column: nil,
                               message: "RELEASE: \(row.entityId) cannot be published without " + missing.joined(separator: " and ")
                                   + "; complete the draft first (e.g. in the AWS Marketplace Management Portal)")
        }
    }

    static func timestamp(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let day = CalendarDay(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let rest = seconds - day.dayNumber * 86_400
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day)T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }
}
