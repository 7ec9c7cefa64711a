import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

@Suite("Idempotency")
struct IdempotencyTests {
    @Test func sameTokenSameRequestReturnsTheOriginal() async throws {
        let world = World()
        let product = await world.product()
        let request = StartChangeSetRequest(changeSet: [C.createRA(product: product, reseller: "111111111111")],
                                            changeSetName: "grant", clientRequestToken: "row-17-attempt")
        let first = try await world.emulator.startChangeSet(request)
        let again = try await world.emulator.startChangeSet(request)
        #expect(first == again)
        world.settle()
        // Still the original after it finished.
        let late = try await world.emulator.startChangeSet(request)
        #expect(late == first)
        let list = try await world.emulator.listChangeSets(ListChangeSetsRequest())
        #expect(list.changeSetSummaryList?.count == 1)
        let authorizations = try await world.emulator.listEntities(ListEntitiesRequest(
            entityType: "ResaleAuthorization",
            entityTypeFilters: .resaleAuthorization(ResaleAuthorizationFilters(name: WildcardFilter(valueList: ["Test authorization"])))))
        #expect(authorizations.entitySummaryList?.count == 1)
    }

    @Test func sameTokenDifferentRequestIsAValidationError() async throws {
        let world = World()
        let product = await world.product()
        let first = try await world.emulator.startChangeSet(StartChangeSetRequest(
            changeSet: [C.createRA(product: product, reseller: "111111111111")], clientRequestToken: "tok"))
        let error = await catalogError {
            try await world.emulator.startChangeSet(StartChangeSetRequest(
                changeSet: [C.createRA(product: product, reseller: "222222222222")], clientRequestToken: "tok"))
        }
        #expect(error?.code == .validation)
        #expect(error?.message.contains("already used for a different StartChangeSet request") == true)
        #expect(error?.message.contains(first.changeSetId!) == true)
        // A different name alone is a different request too.
        let renamed = await catalogError {
            try await world.emulator.startChangeSet(StartChangeSetRequest(
                changeSet: [C.createRA(product: product, reseller: "111111111111")], changeSetName: "other", clientRequestToken: "tok"))
        }
        #expect(renamed?.code == .validation)
    }

    @Test func replayDoesNotHitLocksOrQuotas() async throws {
        let world = World(limits: ChangeSetLimits(maxOpenChangeSets: 1))
        let ra = try await world.draftAuthorization()
        let request = StartChangeSetRequest(changeSet: [C.raPricing(ra)], clientRequestToken: "t1")
        let first = try await world.emulator.startChangeSet(request)
        // The set is open, locks ra and fills the quota of 1; the replay still answers.
        #expect(try await world.emulator.startChangeSet(request) == first)
    }

    @Test func withoutATokenEveryCallIsANewChangeSet() async throws {
        let world = World()
        let product = await world.product()
        let request = StartChangeSetRequest(changeSet: [C.createRA(product: product, reseller: "111111111111")])
        let a = try await world.emulator.startChangeSet(request)
        let b = try await world.emulator.startChangeSet(request)
        #expect(a.changeSetId != b.changeSetId)
    }
}

@Suite("Change set lifecycle")
struct LifecycleTests {
    @Test func preparingApplyingSucceeded() async throws {
        let world = World()
        let product = await world.product()
        let id = try await world.start([C.createRA(product: product, reseller: "111111111111")], name: "one")
        var description = try await world.describe(id)
        #expect(description.status == .preparing)
        #expect(description.endTime == nil)
        #expect(description.changeSet?[0].entity?.identifier == nil)
        #expect(description.changeSetArn == "arn:aws:aws-marketplace:us-east-1:444455556666:AWSMarketplace/ChangeSet/\(id)")
        #expect(description.startTime == "2030-01-01T00:00:00Z")
        world.advance(1.999)
        #expect(try await world.status(id) == .preparing)
        world.advance(0.001)
        #expect(try await world.status(id) == .applying)
        world.advance(2.999)
        #expect(try await world.status(id) == .applying)
        world.advance(0.001)
        description = try await world.describe(id)
        #expect(description.status == .succeeded)
        #expect(description.endTime == "2030-01-01T00:00:05Z")
        #expect(description.failureCode == nil)
        let identifier = try #require(description.changeSet?[0].entity?.identifier)
        #expect(identifier.hasPrefix("resaleauthz-") && identifier.hasSuffix("@1"))
        #expect(identifier.count == "resaleauthz-".count + 13 + 2)
    }

    @Test func jitterIsSeededAndBounded() async throws {
        func timeline(seed: UInt64) async throws -> [Date] {
            let world = World(seed: seed, jitter: 0.25)
            let product = await world.product()
            var ends: [Date] = []
            for n in 0..<5 {
                let id = try await world.start([C.createRA(product: product, reseller: "111111111111", changeName: "R\(n)")])
                var t = 0.0
                while try await world.status(id) != .succeeded {
                    world.advance(0.05)
                    t += 0.05
                }
                #expect(t >= 5 * 0.75 - 0.06 && t <= 5 * 1.25 + 0.06)
                ends.append(world.clock.now())
            }
            return ends
        }
        #expect(try await timeline(seed: 3) == timeline(seed: 3))
    }

    @Test func cancelWhilePreparing() async throws {
        let world = World()
        let product = await world.product()
        let id = try await world.start([C.createRA(product: product, reseller: "111111111111")])
        world.advance(1)
        let response = try await world.emulator.cancelChangeSet(CancelChangeSetRequest(changeSetId: id))
        #expect(response.changeSetId == id)
        world.settle()
        let description = try await world.describe(id)
        #expect(description.status == .cancelled)
        #expect(description.endTime == "2030-01-01T00:00:01Z")
        // Nothing was created; cancelling again answers the same.
        #expect(await world.inventory().resaleAuthorizations.count == 25)
        _ = try await world.emulator.cancelChangeSet(CancelChangeSetRequest(changeSetId: id))
    }

    @Test func cancelWhileApplyingOrAfterIsRefused() async throws {
        let world = World()
        let product = await world.product()
        let id = try await world.start([C.createRA(product: product, reseller: "111111111111")])
        world.advance(2.5)
        let applying = await catalogError { try await world.emulator.cancelChangeSet(CancelChangeSetRequest(changeSetId: id)) }
        #expect(applying?.code == .resourceInUse)
        #expect(applying?.message.contains("APPLYING") == true)
        world.settle()
        let done = await catalogError { try await world.emulator.cancelChangeSet(CancelChangeSetRequest(changeSetId: id)) }
        #expect(done?.code == .validation)
        #expect(done?.message.contains("SUCCEEDED") == true)
        let missing = await catalogError { try await world.emulator.cancelChangeSet(CancelChangeSetRequest(changeSetId: "nope")) }
        #expect(missing?.code == .resourceNotFound)
        #expect(await catalogError { try await world.emulator.describeChangeSet(DescribeChangeSetRequest(changeSetId: "nope")) }?.code == .resourceNotFound)
    }

    @Test func serviceOrdersReleaseLast() async throws {
        let world = World()
        let product = await world.product()
        // Release listed second, as in the public sample: applied after the terms.
        let description = try await world.run([
            C.createRA(product: product, reseller: "111111111111"), C.release("$RA.Entity.Identifier"),
            C.raPricing("$RA.Entity.Identifier"), C.raLegal("$RA.Entity.Identifier"),
        ])
        #expect(description.status == .succeeded)
        let id = try world.createdId(description)
        #expect(try await world.entity(id)["Status"] == "Active")
        #expect(description.changeSet?.allSatisfy { $0.entity?.identifier == "\(id)@1" } == true)
    }

    @Test func revisionsGrowWithEachSuccessfulChangeSet() async throws {
        let world = World()
        let ra = try await world.draftAuthorization()
        let description = try await world.run([C.change("UpdateInformation", .resaleAuthorization, "\(ra)@1", ["Name": "Renamed"])])
        #expect(description.changeSet?[0].entity?.identifier == "\(ra)@2")
        let entity = try await world.emulator.describeEntity(DescribeEntityRequest(entityId: ra))
        #expect(entity.entityIdentifier == "\(ra)@2")
    }

    @Test func serverFaultAppliesNothing() async throws {
        let world = World(faults: FaultPlan(serverFaultRate: 1))
        let product = await world.product()
        let description = try await world.run([C.createRA(product: product, reseller: "111111111111")])
        #expect(description.status == .failed)
        #expect(description.failureCode == .serverFault)
        #expect(description.failureDescription?.contains("safe to submit it again") == true)
        #expect(description.changeSet?[0].errorDetailList == nil)
        #expect(await world.inventory().resaleAuthorizations.count == 25)
        #expect(await world.emulator.statistics().serverFaults == 1)
    }
}

@Suite("Asynchronous failures")
struct AsyncFailureTests {
    /// Runs `changes` and expects FAILED / CLIENT_ERROR with `code` on change `index`.
    @discardableResult
    func expectFailure(_ world: World, _ changes: [Change], index: Int, code: String, mentions fragment: String,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> DescribeChangeSetResponse {
        let id = try await world.start(changes)
        #expect(try await world.status(id) == .preparing, sourceLocation: sourceLocation)
        world.settle()
        let description = try await world.describe(id)
        #expect(description.status == .failed, sourceLocation: sourceLocation)
        #expect(description.failureCode == .clientError, sourceLocation: sourceLocation)
        let errors = description.changeSet?[index].errorDetailList ?? []
        #expect(errors.first?.errorCode == code, "\(errors)", sourceLocation: sourceLocation)
        #expect(errors.first?.errorMessage?.contains(fragment) == true, "\(errors)", sourceLocation: sourceLocation)
        // Validation failures surface at the end of PREPARING.
        #expect(description.endTime == CatalogTime.timestamp(world.clock.now().addingTimeInterval(-8)), sourceLocation: sourceLocation)
        return description
    }

    @Test func unknownResellerAccount() async throws {
        let world = World()
        let product = await world.product()
        try await expectFailure(world, [C.createRA(product: product, reseller: "912345678901")], index: 0,
                                code: "INVALID_RESELLER_ACCOUNT", mentions: "912345678901 is not a registered")
        try await expectFailure(world, [C.createRA(product: product, reseller: "444455556666")], index: 0,
                                code: "INVALID_RESELLER_ACCOUNT", mentions: "your own account")
        #expect(await world.inventory().resaleAuthorizations.count == 25)
    }

    @Test func resellerDirectoryIsConfigurable() async throws {
        let world = World(resellers: ResellerDirectory(rule: .onlyKnown, known: ["222222222222"]))
        let product = await world.product()
        try await expectFailure(world, [C.createRA(product: product, reseller: "111111111111")], index: 0,
                                code: "INVALID_RESELLER_ACCOUNT", mentions: "111111111111")
        #expect(try await world.run([C.createRA(product: product, reseller: "222222222222")]).status == .succeeded)
    }

    @Test func releaseWithoutMandatoryTerms() async throws {
        let world = World()
        let product = await world.product()
        try await expectFailure(world, [C.createRA(product: product, reseller: "111111111111"), C.release("$RA.Entity.Identifier")],
                                index: 1, code: "MISSING_MANDATORY_TERMS", mentions: "a pricing term (UpdatePricingTerms) and a BuyerLegalTerm")
        try await expectFailure(world, [C.createRA(product: product, reseller: "111111111111"), C.raPricing("$RA.Entity.Identifier"),
                                        C.release("$RA.Entity.Identifier")],
                                index: 2, code: "MISSING_MANDATORY_TERMS", mentions: "BuyerLegalTerm")
        try await expectFailure(world, [C.createOffer(product: product), C.offerPricing("$O.Entity.Identifier"),
                                        C.change("ReleaseOffer", .offer, "$O.Entity.Identifier", [:])],
                                index: 2, code: "MISSING_MANDATORY_TERMS", mentions: "a legal term")
        // Nothing of a failed set is applied.
        #expect(await world.inventory().resaleAuthorizations.count == 25)
    }

    @Test func restrictNeedsAnActiveAuthorization() async throws {
        let world = World()
        let draft = try await world.draftAuthorization()
        try await expectFailure(world, [C.restrict(draft)], index: 0, code: "INCOMPATIBLE_STATUS", mentions: "is Draft")
        let active = try await world.activeAuthorization()
        #expect(try await world.run([C.restrict(active)]).status == .succeeded)
        #expect(try await world.entity(active)["Status"] == "Restricted")
        try await expectFailure(world, [C.restrict(active)], index: 0, code: "INCOMPATIBLE_STATUS", mentions: "already Restricted")
        try await expectFailure(world, [C.raAvailability(active, endDate: world.day(30))], index: 0, code: "INCOMPATIBLE_STATUS", mentions: "cannot be undone")
    }

    @Test func updatesNeedADraftAuthorization() async throws {
        let world = World()
        let active = try await world.activeAuthorization()
        try await expectFailure(world, [C.raPricing(active)], index: 0, code: "INCOMPATIBLE_STATUS", mentions: "only a Draft resale authorization can be updated")
        try await expectFailure(world, [C.release(active)], index: 0, code: "INCOMPATIBLE_STATUS", mentions: "only a Draft resale authorization can be released")
        // Availability can still be extended while Active.
        #expect(try await world.run([C.raAvailability(active, endDate: world.day(400))]).status == .succeeded)
    }

    @Test func availabilityEndDates() async throws {
        let world = World()
        // An authorization that expires in 5 days: releasable now, not once it has passed.
        let product = await world.product()
        let id = try await world.start([C.createRA(product: product, reseller: "111111111111"), C.raPricing("$RA.Entity.Identifier"),
                                        C.raLegal("$RA.Entity.Identifier"), C.raAvailability("$RA.Entity.Identifier", endDate: world.day(5))])
        world.settle()
        let ra = try world.createdId(try await world.describe(id))
        world.advance(6 * 86_400)
        try await expectFailure(world, [C.release(ra)], index: 0, code: "INVALID_AVAILABILITY_END_DATE", mentions: "has passed")
        // A channel-partner offer may not outlive its authorization.
        let limited = try await world.activeAuthorization(endDate: world.day(30))
        try await expectFailure(world, [C.cppo(limited), C.change("UpdateAvailability", .offer, "$O.Entity.Identifier", ["AvailabilityEndDate": .string(world.day(60))])],
                                index: 1, code: "INVALID_AVAILABILITY_END_DATE", mentions: "when its resale authorization")
        // Only a released offer can be expired.
        let draft = try await world.draftOffer()
        try await expectFailure(world, [C.change("UpdateAvailability", .offer, draft, ["AvailabilityEndDate": .string(world.day(-1))])],
                                index: 0, code: "INVALID_AVAILABILITY_END_DATE", mentions: "only a released offer can be expired")
    }

    @Test func channelPartnerOffersNeedAnActiveAuthorization() async throws {
        let world = World()
        let draft = try await world.draftAuthorization()
        try await expectFailure(world, [C.cppo(draft)], index: 0, code: "INCOMPATIBLE_STATUS", mentions: "only be created from an Active")
        let oneTime = try await world.activeAuthorization(maxOffers: 1)
        #expect(try await world.run([C.cppo(oneTime)]).status == .succeeded)
        try await expectFailure(world, [C.cppo(oneTime)], index: 0, code: "OFFERS_MAX_QUANTITY_REACHED", mentions: "allows 1 offer")
        let details = try await world.entity(oneTime)
        #expect(details["OfferDetails"]?["OfferCreatedCount"] == 1)
        #expect(details["OfferDetails"]?["OfferExtendedStatus"] == "MaxOffersCreated")
    }

    @Test func oneBadChangeFailsTheWholeSetAndReportsOnlyItself() async throws {
        let world = World()
        let product = await world.product()
        let changes = [
            C.createRA(product: product, reseller: "111111111111", changeName: "A"),
            C.createRA(product: product, reseller: "922222222222", changeName: "B"),
            C.createRA(product: product, reseller: "333333333333", changeName: "D"),
            C.raPricing("$B.Entity.Identifier"),
        ]
        let description = try await expectFailure(world, changes, index: 1, code: "INVALID_RESELLER_ACCOUNT", mentions: "922222222222")
        #expect(description.changeSet?[0].errorDetailList == nil)
        #expect(description.changeSet?[2].errorDetailList == nil)
        #expect(description.changeSet?[3].errorDetailList == nil) // skipped: its entity was never created
        #expect(description.failureDescription?.contains("1 of 4 changes failed") == true)
        #expect(description.failureDescription?.contains("None of the changes were applied") == true)
        #expect(description.changeSet?[0].entity?.identifier == nil)
        #expect(await world.inventory().resaleAuthorizations.count == 25)
        let summary = try await world.emulator.listChangeSets(ListChangeSetsRequest()).changeSetSummaryList?.first
        #expect(summary?.failureCode == .clientError)
        #expect(summary?.entityIdList == [])
    }

    @Test func partialApplyModeKeepsTheSuccessfulCreates() async throws {
        let world = World(faults: FaultPlan(partialApplyOnFailure: true))
        let product = await world.product()
        let description = try await world.run([
            C.createRA(product: product, reseller: "111111111111", name: "Good one", changeName: "A"),
            C.createRA(product: product, reseller: "922222222222", name: "Bad one", changeName: "B"),
            C.raPricing("$A.Entity.Identifier"),
        ])
        #expect(description.status == .failed)
        #expect(description.failureCode == .clientError)
        #expect(description.failureDescription?.contains("Some entities may have been created") == true)
        // The good create exists (Draft, without the pricing update), but the set does not say its id.
        #expect(description.changeSet?[0].entity?.identifier == nil)
        let found = try await world.emulator.listEntities(ListEntitiesRequest(
            entityType: "ResaleAuthorization",
            entityTypeFilters: .resaleAuthorization(ResaleAuthorizationFilters(
                productId: WildcardFilter(valueList: [product]), resellerAccountID: WildcardFilter(valueList: ["111111111111"])))))
        let summaries = found.entitySummaryList ?? []
        #expect(summaries.count == 1)
        #expect(summaries.first?.resaleAuthorizationSummary?.status == "Draft")
        let entity = try await world.entity(try #require(summaries.first?.entityId))
        #expect(entity["Terms"] == [])
        #expect(await world.inventory().resaleAuthorizations.count == 26)
    }

    @Test func lateConflictsFailWhenApplying() async throws {
        // Two sets create channel-partner offers from a one-time authorization: both pass
        // PREPARING, the second fails when it is applied.
        let world = World()
        let ra = try await world.activeAuthorization(maxOffers: 1)
        let first = try await world.start([C.cppo(ra)])
        world.advance(1)
        let second = try await world.start([C.cppo(ra)])
        world.advance(1.5) // first APPLYING
        #expect(try await world.status(first) == .applying)
        world.advance(1) // second APPLYING too (its check saw no offer yet)
        #expect(try await world.status(second) == .applying)
        world.settle()
        #expect(try await world.status(first) == .succeeded)
        let description = try await world.describe(second)
        #expect(description.status == .failed)
        #expect(description.changeSet?[0].errorDetailList?.first?.errorCode == "OFFERS_MAX_QUANTITY_REACHED")
    }
}
