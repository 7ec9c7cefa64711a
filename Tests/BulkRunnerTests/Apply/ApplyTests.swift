import BulkRunner
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import TestSupport
import Testing

@Suite("Apply a marked-up export against the emulator")
struct ApplyTests {
    /// Marks a few rows of each kind, leaves the rest, applies: marked rows are done in the
    /// emulator, the others SKIPPED; the results sheet is the sheet plus the outcome columns.
    @Test func markedRowsAreAppliedAndTheRestSkipped() async throws {
        let world = try ApplyWorld()
        let exported = try await world.export(.resaleAuthorizations, to: "authorizations.csv")
        let before = try Sheet(exported)
        #expect(before.rows.count == 300)
        let active = before.rows.filter { $0["Status"] == "Active" }.map { $0["ResaleAuthorizationId"] }
        let releasable = before.rows.filter { $0["Status"] == "Draft" && $0["Pricing"] != "—" }.map { $0["ResaleAuthorizationId"] }
        #expect(active.count >= 30 && releasable.count >= 5)
        let restrict = Array(active[0..<12]), extend = Array(active[12..<18]), release = Array(releasable[0..<4])
        let renameRelease = releasable[4]
        let marked = try world.markUp(exported, as: "marked.csv") { rows in
            for i in rows.indices {
                let id = rows[i]["ResaleAuthorizationId"]
                if restrict.contains(id) { rows[i]["Action"] = "RESTRICT" }
                if extend.contains(id) { rows[i]["Action"] = "extend"; rows[i]["NewAvailabilityEndDate"] = "2031-12-31" }
                if release.contains(id) { rows[i]["Action"] = "RELEASE" }
                if id == renameRelease { rows[i]["Action"] = "RENAME + RELEASE"; rows[i]["NewName"] = "Approved EMEA partner" }
                if i == 0 && rows[i]["Action"].isEmpty { rows[i]["Action"] = "KEEP" }
            }
        }
        let describesBefore = await world.emulator.statistics()[.batchDescribeEntities].calls
        let (plan, report, results) = try await world.apply(marked, output: "results.csv")
        #expect(plan.summary.marked == 23 && plan.summary.planned == 23 && plan.summary.regrants == 0)
        #expect(report.summary.succeeded == 23, "\(report.results.values.filter { $0.outcome != .succeeded && $0.outcome != .skipped })")
        #expect(report.summary.skipped == 277 && report.summary.total == 300 && report.summary.allDone)

        let now = await world.authorizations()
        for id in restrict { #expect(now[id]?.status == "Restricted") }
        for id in extend { #expect(now[id]?.availabilityEndDate == "2031-12-31" && now[id]?.status == "Active") }
        for id in release + [renameRelease] { #expect(now[id]?.status == "Active") }
        #expect(try await world.document(renameRelease)["Name"]?.stringValue == "Approved EMEA partner")
        let untouched = before.rows.map { $0["ResaleAuthorizationId"] }.filter { !(restrict + extend + release + [renameRelease]).contains($0) }
        for id in untouched.prefix(50) {
            #expect(now[id]?.status == before.row(id)?["Status"], "\(id) changed")
        }

        // The results sheet: every column of the sheet, unchanged, then the outcome columns.
        let sheet = try Sheet(marked)
        #expect(results.header == sheet.header + RowResult.columnNames)
        #expect(results.rows.count == 300)
        for (index, row) in results.rows.enumerated() {
            for column in sheet.header { #expect(row[column] == sheet.rows[index][column]) }
            let id = row["ResaleAuthorizationId"]
            if (restrict + extend + release + [renameRelease]).contains(id) {
                #expect(row["Outcome"] == "SUCCEEDED" && !row["ChangeSetId"].isEmpty && row["ChangeSetStatus"] == "SUCCEEDED")
                #expect(row["EntityId"] == id && row["Attempts"] == "1")
            } else {
                #expect(row["Outcome"] == "SKIPPED" && row["ChangeSetId"].isEmpty && row["Attempts"] == "0")
            }
        }
        // Account ids kept their spreadsheet protection.
        #expect(results.rows[0]["ResellerAccountId"].hasPrefix("'"))
        let stats = await world.emulator.statistics()
        #expect(stats.quotasRespected)
        #expect(stats[.batchDescribeEntities].calls - describesBefore == 2)  // 23 entities, 20 per call
    }

    /// A row whose entity changed after the export is STALE and left alone; `--force` applies it.
    @Test func aRowChangedSinceTheExportIsStale() async throws {
        let world = try ApplyWorld()
        let exported = try await world.export(.resaleAuthorizations, statuses: ["Active"], to: "active.csv")
        let ids = try Sheet(exported).rows.map { $0["ResaleAuthorizationId"] }
        let (changed, kept) = (ids[3], ids[4])
        // Someone extends one of them in the portal after the export.
        try await world.change([Change(changeType: "UpdateAvailability", entity: Entity(type: "ResaleAuthorization@1.0", identifier: changed),
                                       detailsDocument: ["AvailabilityEndDate": "2032-01-31"])])
        let marked = try world.markUp(exported, as: "marked.csv") { rows in
            for i in rows.indices where [changed, kept].contains(rows[i]["ResaleAuthorizationId"]) { rows[i]["Action"] = "RESTRICT" }
        }
        let (plan, report, results) = try await world.apply(marked, output: "results.csv")
        #expect(plan.summary.stale == 1 && plan.summary.planned == 1)
        #expect(report.summary.stale == 1 && report.summary.succeeded == 1 && !report.summary.allDone)
        let stale = try #require(results.row(changed))
        #expect(stale["Outcome"] == "STALE" && stale["ErrorCode"] == "ENTITY_CHANGED" && stale["ChangeSetId"].isEmpty)
        #expect(stale["ErrorMessage"].contains("changed since the export") && stale["ErrorMessage"].contains("--force"))
        #expect(results.row(kept)?["Outcome"] == "SUCCEEDED")
        var now = await world.authorizations()
        #expect(now[changed]?.status == "Active" && now[kept]?.status == "Restricted")

        // --force: checked against what it is now, and applied.
        var options = ApplyOptions(today: world.clock.now())
        options.force = true
        let forced = try await world.apply(marked, output: "forced.csv", options: options, identity: "apply-forced")
        #expect(forced.results.row(changed)?["Outcome"] == "SUCCEEDED")
        // The other was restricted by the first run: checked now, RESTRICT no longer fits.
        #expect(forced.results.row(kept)?["Outcome"] == "INVALID" && forced.results.row(kept)?["ErrorCode"] == "INCOMPATIBLE_STATUS")
        now = await world.authorizations()
        #expect(now[changed]?.status == "Restricted")
    }

    /// Draft-then-release: grant drafts (`grant --template grant-draft`), export the drafts,
    /// mark the approved ones RELEASE, apply: only those are published.
    @Test func draftsMarkedReleaseArePublishedAndTheOthersStayDrafts() async throws {
        let world = try ApplyWorld(resaleAuthorizations: 0, offers: 0)
        let product = try #require(await world.emulator.inventory().ownedProducts(.saasProduct).first)
        var csv = "RESELLER_ACCOUNT_ID,PRODUCT_ID,NAME,PRICE,DIMENSION_KEY\n"
        let resellers = (0..<40).map { String(200_000_000_000 + $0) }
        for (n, reseller) in resellers.enumerated() { csv += "\(reseller),\(product.id),Partner \(n),\(100 + n).00,BasicService\n" }
        let input = world.directory.path("partners.csv")
        try csv.write(to: input, atomically: true, encoding: .utf8)
        let grant = try Planner.analyze(input: input, template: try BuiltInTemplate.named("grant-draft")!.template(),
                                        options: PlanOptions(today: world.clock.now()), runIdentity: try RunIdentity("grant-drafts"))
        let run = BulkRun(api: world.api, clock: world.clock, journal: MemoryJournal())
        let granted = try await world.inVirtualTime { try await run.run(plan: grant) }
        #expect(granted.summary.succeeded == 40)
        world.clock.advance(by: 5)

        let drafts = try await world.export(.resaleAuthorizations, statuses: ["Draft"], to: "drafts.csv")
        #expect(try Sheet(drafts).rows.count == 40)
        let approved = Set(resellers.enumerated().filter { $0.offset % 3 != 0 }.map(\.element))
        let marked = try world.markUp(drafts, as: "approved.csv") { rows in
            for i in rows.indices where approved.contains(rows[i].bare("ResellerAccountId")) { rows[i]["Action"] = "RELEASE" }
        }
        let (_, report, results) = try await world.apply(marked, output: "released.csv")
        #expect(report.summary.succeeded == approved.count && report.summary.skipped == 40 - approved.count)
        let now = await world.authorizations().values
        #expect(now.filter { $0.status == "Active" }.map(\.resellerAccountId).sorted() == approved.sorted())
        #expect(now.filter { $0.status == "Draft" }.count == 40 - approved.count)
        for row in results.rows {
            #expect(row["Outcome"] == (approved.contains(row.bare("ResellerAccountId")) ? "SUCCEEDED" : "SKIPPED"))
        }
    }

    /// REPRICE of an Active authorization: a new authorization for the same reseller and
    /// product at the new price, copying name, description, legal terms and expiry, released;
    /// then the old one restricted. Both change sets on the row; EntityId is the new one.
    @Test func repriceGrantsANewAuthorizationAndRestrictsTheOld() async throws {
        let world = try ApplyWorld()
        let exported = try await world.export(.resaleAuthorizations, statuses: ["Active"], to: "active.csv")
        let rows = try Sheet(exported).rows
        let plain = try #require(rows.first { $0["AvailabilityEndDate"].isEmpty })["ResaleAuthorizationId"]
        let expiring = try #require(rows.first { !$0["AvailabilityEndDate"].isEmpty })
        let renamed = try #require(rows.last { $0["ResaleAuthorizationId"] != plain && $0["ResaleAuthorizationId"] != expiring["ResaleAuthorizationId"] })["ResaleAuthorizationId"]
        let marked = try world.markUp(exported, as: "reprice.csv") { rows in
            for i in rows.indices {
                switch rows[i]["ResaleAuthorizationId"] {
                case plain: rows[i]["Action"] = "REPRICE"; rows[i]["NewPrice"] = "BasicService=180"
                case expiring["ResaleAuthorizationId"]: rows[i]["Action"] = "REPRICE"; rows[i]["NewPrice"] = "175.50"
                case renamed:
                    rows[i]["Action"] = "REPRICE+RENAME+EXTEND"; rows[i]["NewPrice"] = "200"
                    rows[i]["NewName"] = "Partner 2031 pricing"; rows[i]["NewAvailabilityEndDate"] = "2031-06-30"
                default: break
                }
            }
        }
        let oldDocuments = [plain: try await world.document(plain), renamed: try await world.document(renamed)]
        let (plan, report, results) = try await world.apply(marked, output: "results.csv")
        #expect(plan.summary.regrants == 3 && plan.firstWave.count == 1 && plan.secondWave.count == 3)
        #expect(report.summary.succeeded == 3, "\(results.rows.filter { !$0["Action"].isEmpty }.map { $0["ErrorMessage"] })")

        let now = await world.authorizations()
        for (old, price, name) in [(plain, "180", nil), (expiring["ResaleAuthorizationId"], "175.50", nil),
                                   (renamed, "200", "Partner 2031 pricing")] {
            let row = try #require(results.row(old))
            #expect(row["Outcome"] == "SUCCEEDED")
            let ids = row["ChangeSetId"].split(separator: ";")
            #expect(ids.count == 2 && ids[0] != ids[1])
            #expect(row["ChangeSetStatus"] == "SUCCEEDED;SUCCEEDED" && row["Attempts"] == "2")
            let new = row["EntityId"]
            #expect(new.hasPrefix("resaleauthz-") && new != old)
            #expect(now[old]?.status == "Restricted")
            let created = try #require(now[new])
            #expect(created.status == "Active")
            #expect(created.resellerAccountId == row.bare("ResellerAccountId") && created.productId == row["ProductId"])
            let document = try await world.document(new)
            #expect(document.ratePrices == ["BasicService": price])
            #expect(document["Name"]?.stringValue == (name ?? row["Name"]))
            let oldDocument = try await world.document(old)
            #expect(document["Description"] == oldDocument["Description"])
            let legal = { (d: JSONValue) in d["Terms"]?.arrayValue?.filter { $0["Type"]?.stringValue == "BuyerLegalTerm" } }
            #expect(legal(document) == legal(oldDocument) && legal(document)?.isEmpty == false)
        }
        // The expiry is copied, or the row's new one is used.
        let expiringNew = try #require(results.row(expiring["ResaleAuthorizationId"]))["EntityId"]
        #expect(now[expiringNew]?.availabilityEndDate == expiring["AvailabilityEndDate"])
        #expect(now[try #require(results.row(renamed))["EntityId"]]?.availabilityEndDate == "2031-06-30")
        // One-time authorizations stay one-time.
        for (old, document) in oldDocuments {
            let quantity = document["Rules"]?.arrayValue?.first { $0["Type"]?.stringValue == "AvailabilityRule" }?["OffersMaxQuantity"]
            let new = try #require(results.row(old))["EntityId"]
            #expect(now[new]?.offersMaxQuantity == quantity?.numberValue?.intValue)
        }
        // Exactly one new authorization per re-grant.
        #expect(now.count == 303)
    }

    /// With the default order, a refused grant leaves the old authorization Active and sends no
    /// restrict; with --restrict-first the old one is restricted first and the row says the
    /// partner is left without one.
    @Test func aRefusedGrantNeverRestrictsTheOldAuthorization() async throws {
        let world = try ApplyWorld()
        let exported = try await world.export(.resaleAuthorizations, statuses: ["Active"], to: "active.csv")
        let ids = try Sheet(exported).rows.map { $0["ResaleAuthorizationId"] }
        let marked = try world.markUp(exported, as: "reprice.csv") { rows in
            for i in rows.indices where ids.prefix(2).contains(rows[i]["ResaleAuthorizationId"]) {
                rows[i]["Action"] = "REPRICE"
                rows[i]["NewPrice"] = "99"
            }
        }
        world.api.refuse { request in request.changeSet.contains { $0.changeType == "CreateResaleAuthorization" } }
        let startsBefore = world.api.count(.startChangeSet)
        let (_, report, results) = try await world.apply(marked, output: "results.csv")
        #expect(report.summary.failed == 2)
        for id in ids.prefix(2) {
            let row = try #require(results.row(id))
            #expect(row["Outcome"] == "FAILED" && row["ErrorCode"] == "ValidationException")
            #expect(row["ErrorMessage"].contains("left Active (not restricted)"))
            #expect(!row["ChangeSetId"].contains(";"))
        }
        let now = await world.authorizations()
        #expect(ids.prefix(2).allSatisfy { now[$0]?.status == "Active" })
        #expect(now.count == 300)
        // Only grants were tried (split to isolate, then each alone); no restrict was sent.
        #expect(world.api.count(.startChangeSet) - startsBefore >= 1)

        // Restrict first: the restrict goes, the grant is refused, the row says what that means.
        var options = ApplyOptions(today: world.clock.now())
        options.repriceOrder = .restrictFirst
        let reversed = try await world.apply(marked, output: "restrict-first.csv", options: options, identity: "apply-rf")
        for id in ids.prefix(2) {
            let row = try #require(reversed.results.row(id))
            #expect(row["Outcome"] == "FAILED")
            #expect(row["ErrorMessage"].contains("is restricted, but granting the new authorization FAILED"))
            #expect(row["ChangeSetStatus"].hasPrefix("SUCCEEDED"))
        }
        let after = await world.authorizations()
        #expect(ids.prefix(2).allSatisfy { after[$0]?.status == "Restricted" })
        #expect(after.count == 300)
        world.api.refuseStarts(nil)
    }

    /// Rows whose action does not fit the entity (or whose values are wrong) are INVALID and
    /// never sent; when nothing is valid, nothing is sent at all.
    @Test func rowsThatDoNotFitAreInvalidAndNothingIsSent() async throws {
        let world = try ApplyWorld()
        let exported = try await world.export(.resaleAuthorizations, to: "all.csv")
        let rows = try Sheet(exported).rows
        func id(_ status: String, _ n: Int = 0, where filter: (Sheet.Row) -> Bool = { _ in true }) -> String {
            rows.filter { $0["Status"] == status && filter($0) }[n]["ResaleAuthorizationId"]
        }
        let cases: [(id: String, action: String, values: [String: String], code: String, says: String)] = [
            (id("Draft"), "RESTRICT", [:], "INCOMPATIBLE_STATUS", "RESTRICT needs an Active resale authorization, but"),
            (id("Active"), "RELEASE", [:], "INCOMPATIBLE_STATUS", "RELEASE needs a Draft"),
            (id("Restricted"), "EXTEND", ["NewAvailabilityEndDate": "2031-01-01"], "INCOMPATIBLE_STATUS", "cannot be undone"),
            (id("Active", 1), "RENAME", ["NewName": "New name"], "INCOMPATIBLE_STATUS", "add REPRICE"),
            (id("Active", 2), "RESTRICTT", [:], "INVALID_VALUE", "did you mean \"RESTRICT\""),
            (id("Active", 3), "REPRICE", [:], "INVALID_VALUE", "NewPrice is empty"),
            (id("Active", 4), "REPRICE", ["NewPrice": "t2.small=10"], "UNKNOWN_DIMENSION", "it prices: BasicService"),
            (id("Active", 5), "EXTEND", ["NewAvailabilityEndDate": "2001-01-01"], "INVALID_VALUE", "not in the future"),
            (id("Draft", 0, where: { $0["Pricing"] == "—" }), "RELEASE", [:], "MISSING_MANDATORY_TERMS", "cannot be published without"),
            (id("Active", 6), "", ["NewName": "Forgotten action"], "INVALID_VALUE", "Action does not include RENAME"),
        ]
        let duplicate = id("Active", 7)
        let marked = try world.markUp(exported, as: "invalid.csv") { rows in
            for (id, action, values, _, _) in cases {
                let i = rows.firstIndex { $0["ResaleAuthorizationId"] == id }!
                rows[i]["Action"] = action
                for (column, value) in values { rows[i][column] = value }
            }
            let i = rows.firstIndex { $0["ResaleAuthorizationId"] == duplicate }!
            rows[i]["Action"] = "RESTRICT"
            rows.append(rows[i])
        }
        let before = await world.authorizations()
        let startsBefore = world.api.count(.startChangeSet)
        let (plan, report, results) = try await world.apply(marked, output: "results.csv")
        #expect(plan.summary.invalid == cases.count + 1 && plan.summary.planned == 1)
        for (id, _, _, code, says) in cases {
            let row = try #require(results.row(id))
            #expect(row["Outcome"] == "INVALID" && row["ErrorCode"] == code, "\(id): \(row["ErrorCode"]) \(row["ErrorMessage"])")
            #expect(row["ErrorMessage"].contains(says), "\(row["ErrorMessage"])")
            #expect(row["ChangeSetId"].isEmpty && row["Attempts"] == "0")
        }
        let twice = results.rows.filter { $0["ResaleAuthorizationId"] == duplicate }
        #expect(twice.map { $0["Outcome"] } == ["SUCCEEDED", "INVALID"] && twice[1]["ErrorCode"] == "DUPLICATE_ENTITY")
        #expect(report.summary.invalid == cases.count + 1)
        #expect(world.api.count(.startChangeSet) - startsBefore == 1)  // the one valid row
        let after = await world.authorizations()
        for (id, _, _, _, _) in cases { #expect(after[id]?.status == before[id]?.status) }
    }

    /// Offers: EXTEND and RENAME on Released offers, RETARGET on a Draft (other targeting kept).
    @Test func offersAreExtendedRenamedAndRetargeted() async throws {
        let world = try ApplyWorld()
        let exported = try await world.export(.offers, to: "offers.csv")
        let rows = try Sheet(exported).rows
        #expect(rows.count == 200)
        let released = rows.filter { $0["State"] == "Released" && $0["ResaleAuthorizationId"].isEmpty }.map { $0["OfferId"] }
        let drafts = rows.filter { $0["State"] == "Draft" }.map { $0["OfferId"] }
        let (extend, rename, both, retarget, wrong) = (released[0], released[1], released[2], drafts[0], released[3])
        let marked = try world.markUp(exported, as: "marked.csv") { rows in
            for i in rows.indices {
                switch rows[i]["OfferId"] {
                case extend: rows[i]["Action"] = "EXTEND"; rows[i]["NewAvailabilityEndDate"] = "2031-03-31"
                case rename: rows[i]["Action"] = "RENAME"; rows[i]["NewName"] = "Acme 3-year deal"
                case both:
                    rows[i]["Action"] = "EXTEND+RENAME"; rows[i]["NewAvailabilityEndDate"] = "2030-12-31"; rows[i]["NewName"] = "Renewed"
                case retarget: rows[i]["Action"] = "RETARGET"; rows[i]["NewBuyerAccounts"] = "'012345678901;'111122223333"
                case wrong: rows[i]["Action"] = "RETARGET"; rows[i]["NewBuyerAccounts"] = "012345678901"
                default: break
                }
            }
        }
        let (_, report, results) = try await world.apply(marked, output: "results.csv")
        #expect(report.summary.succeeded == 4 && report.summary.invalid == 1 && report.summary.skipped == 195)
        #expect(results.row(wrong)?["ErrorCode"] == "INCOMPATIBLE_STATUS")
        #expect(results.row(wrong)?["ErrorMessage"].contains("a released offer cannot take this change") == true)
        let now = await world.offers()
        #expect(now[extend]?.availabilityEndDate == "2031-03-31")
        #expect(now[both]?.availabilityEndDate == "2030-12-31")
        #expect(try await world.document(rename)["Name"]?.stringValue == "Acme 3-year deal")
        #expect(try await world.document(both)["Name"]?.stringValue == "Renewed")
        let targeting = try await world.document(retarget)["Rules"]?.arrayValue?.first { $0["Type"]?.stringValue == "TargetingRule" }
        #expect(targeting?["PositiveTargeting"]?["BuyerAccounts"] == ["012345678901", "111122223333"])
    }

    /// REPRICE and SCHEDULE of a Draft: new pricing terms and a payment schedule on the draft
    /// itself, then RELEASE in the same change set.
    @Test func aDraftIsRepricedScheduledAndReleasedInOneChangeSet() async throws {
        let world = try ApplyWorld()
        let exported = try await world.export(.resaleAuthorizations, statuses: ["Draft"], to: "drafts.csv")
        let draft = try #require(try Sheet(exported).rows.first { $0["Pricing"] != "—" })["ResaleAuthorizationId"]
        let marked = try world.markUp(exported, as: "marked.csv") { rows in
            let i = rows.firstIndex { $0["ResaleAuthorizationId"] == draft }!
            rows[i]["Action"] = "REPRICE+SCHEDULE+RELEASE"
            rows[i]["NewPrice"] = "1200"
            rows[i]["NewPaymentSchedule"] = "total=1200;first=2030-03-01;every=90;count=4"
        }
        let (plan, report, results) = try await world.apply(marked, output: "results.csv")
        #expect(plan.rows.first { $0.entityId == draft }?.steps.map(\.changes.count) == [3])
        #expect(report.summary.succeeded == 1, "\(results.row(draft)?["ErrorMessage"] ?? "")")
        let document = try await world.document(draft)
        #expect(document["Status"]?.stringValue == "Active")
        #expect(document.ratePrices == ["BasicService": "1200"])
        let schedule = document["Terms"]?.arrayValue?.first { $0["Type"]?.stringValue == "ResalePaymentScheduleTerm" }
        #expect(schedule?["Schedule"]?.arrayValue?.count == 4)
    }
}
