import CatalogClient
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

@Suite("Seeding and fault determinism")
struct DeterminismTests {
    @Test func sameSeedSameWorld() async {
        let a = await World(seed: 42).inventory()
        let b = await World(seed: 42).inventory()
        let c = await World(seed: 43).inventory()
        #expect(a == b)
        #expect(a != c)
        #expect(a.products.count == 6)
        #expect(a.products.filter(\.isOwned).count == 5)
        #expect(a.resaleAuthorizations.count == 25)
        #expect(a.offers.count == 10)
        #expect(a.agreements.count == 3)
        #expect(Set(a.resaleAuthorizations.map(\.status)) == ["Draft", "Active", "Restricted"])
        #expect(Set(a.offers.map(\.state)) == ["Draft", "Released"])
        #expect(a.resaleAuthorizations.allSatisfy { $0.id.hasPrefix("resaleauthz-") && $0.id.count == 25 })
        #expect(a.resaleAuthorizations.allSatisfy { $0.resellerAccountId.count == 12 && !$0.resellerAccountId.hasPrefix("9") })
        #expect(a.resaleAuthorizations.filter { $0.status != "Draft" }.allSatisfy { $0.hasMandatoryTerms })
        #expect(a.resaleAuthorizations.allSatisfy { ra in ra.offersMaxQuantity.map { ra.offerCreatedCount <= $0 } ?? true })
        #expect(a.products.filter { $0.kind == .amiProduct }.allSatisfy { $0.dimensionKeys.contains("t2.micro") })
    }

    @Test func seedPlanSizes() async {
        let world = World(seeding: SeedPlan(amiProducts: 1, containerProducts: 0, saasProducts: 1, foreignProducts: 0,
                                            resaleAuthorizations: 3, offers: 4, agreements: 0))
        let inventory = await world.inventory()
        #expect(inventory.products.count == 2)
        #expect(inventory.resaleAuthorizations.count == 3)
        #expect(inventory.offers.count == 4)
        let empty = await World(seeding: .empty).inventory()
        #expect(empty.products.isEmpty && empty.resaleAuthorizations.isEmpty && empty.offers.isEmpty)
    }

    @Test func createdIdsAreSeeded() async throws {
        func ids(seed: UInt64) async throws -> [String] {
            let world = World(seed: seed)
            let product = await world.product()
            var ids: [String] = []
            for _ in 0..<3 {
                let id = try await world.start([C.createRA(product: product, reseller: "111111111111")])
                world.settle()
                ids.append(id)
                ids.append(try world.createdId(try await world.describe(id)))
            }
            return ids
        }
        #expect(try await ids(seed: 9) == ids(seed: 9))
        #expect(try await ids(seed: 9) != ids(seed: 10))
    }

    /// Which of 60 DescribeEntity calls failed with an injected internal error.
    func internalErrorPattern(seed: UInt64) async -> [Bool] {
        let world = World(seed: seed, faults: FaultPlan(internalErrorRate: 0.3))
        let id = await world.inventory().offers[0].id
        var pattern: [Bool] = []
        for _ in 0..<60 {
            let error = await catalogError { try await world.emulator.describeEntity(DescribeEntityRequest(entityId: id)) }
            #expect(error == nil || error?.code == .internalService)
            pattern.append(error != nil)
        }
        let stats = await world.emulator.statistics()[.describeEntity]
        #expect(stats.internalErrors == pattern.filter { $0 }.count)
        return pattern
    }

    @Test func internalErrorsAreSeeded() async {
        let a = await internalErrorPattern(seed: 1)
        #expect(a == (await internalErrorPattern(seed: 1)))
        #expect(a != (await internalErrorPattern(seed: 2)))
        let failures = a.filter { $0 }.count
        #expect(failures > 5 && failures < 35)
    }

    @Test func internalErrorHas500AndNothingHappens() async throws {
        let world = World(faults: FaultPlan(internalErrorRate: 1))
        let product = await world.product()
        let error = await catalogError { try await world.start([C.createRA(product: product, reseller: "111111111111")]) }
        #expect(error?.code == .internalService)
        #expect(error?.httpStatus == 500)
        await world.emulator.setFaults(FaultPlan())
        #expect(try await world.emulator.listChangeSets(ListChangeSetsRequest()).changeSetSummaryList == [])
    }

    @Test func throttlingBurstsLastTheirSeconds() async throws {
        let world = World(faults: FaultPlan(throttleBurstRate: 1, throttleBurstSeconds: 2))
        let id = await world.inventory().offers[0].id
        let describe = { await catalogError { try await world.emulator.describeEntity(DescribeEntityRequest(entityId: id)) } }
        #expect(await describe()?.code == .throttling)
        await world.emulator.setFaults(FaultPlan())
        world.advance(1.9)
        #expect(await describe()?.code == .throttling)
        // Other operations are not in the burst.
        #expect(await catalogError { try await world.emulator.listChangeSets(ListChangeSetsRequest()) } == nil)
        world.advance(0.2)
        #expect(await describe() == nil)
        let stats = await world.emulator.statistics()[.describeEntity]
        #expect(stats.burstThrottled == 2)
        #expect(stats.throttled == 0)
    }

    @Test func serverFaultsAreSeeded() async throws {
        func statuses(seed: UInt64) async throws -> [FailureCode?] {
            let world = World(seed: seed, faults: FaultPlan(serverFaultRate: 0.5))
            let product = await world.product()
            var ids: [String] = []
            for n in 0..<16 {
                ids.append(try await world.start([C.createRA(product: product, reseller: "111111111111", changeName: "R\(n)")]))
            }
            world.settle()
            var codes: [FailureCode?] = []
            for id in ids { codes.append(try await world.describe(id).failureCode) }
            return codes
        }
        let a = try await statuses(seed: 5)
        #expect(a == (try await statuses(seed: 5)))
        #expect(a.contains(.serverFault) && a.contains(nil))
    }

    @Test func latencyIsOnTheInjectedClockAndSeeded() async throws {
        func elapsed(seed: UInt64) async throws -> [Double] {
            let world = World(seed: seed, faults: FaultPlan(latencySeconds: 1))
            let emulator = world.emulator
            var times: [Double] = []
            for _ in 0..<5 {
                let before = world.clock.now()
                _ = try await world.clock.run { try await emulator.listChangeSets(ListChangeSetsRequest()) }
                times.append(world.clock.now().timeIntervalSince(before))
            }
            return times
        }
        let a = try await elapsed(seed: 8)
        #expect(a.allSatisfy { $0 > 0 && $0 <= 1 })
        #expect(a == (try await elapsed(seed: 8)))
    }
}

@Suite("Fault specs and options")
struct OptionTests {
    @Test func faultSpecParses() throws {
        let plan = try FaultPlan(spec: "internal=0.05,reset=0.02,lost-ack=0.02,blackhole=0.01,server-fault=0.05,throttle-burst=0.01,throttle-burst-seconds=3,latency=0.2,partial-apply")
        #expect(plan == FaultPlan(internalErrorRate: 0.05, throttleBurstRate: 0.01, throttleBurstSeconds: 3, serverFaultRate: 0.05,
                                  latencySeconds: 0.2, connectionResetRate: 0.02, lostAcknowledgementRate: 0.02, partialApplyOnFailure: true,
                                  blackHoleRate: 0.01))
        #expect(try FaultPlan(spec: plan.spec) == plan)
        #expect(try FaultPlan(spec: "none").isNone)
        #expect(try FaultPlan(spec: "").isNone)
        #expect(FaultPlan().spec == "none")
    }

    @Test func faultSpecErrorsNameTheValidFaults() {
        #expect(throws: FaultSpecError.self) { try FaultPlan(spec: "internal=2") }
        #expect(throws: FaultSpecError.self) { try FaultPlan(spec: "reset") }
        #expect(throws: FaultSpecError.self) { try FaultPlan(spec: "latency=-1") }
        do {
            _ = try FaultPlan(spec: "internal=0.1,explode=0.5")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("unknown fault 'explode'"))
            for name in ["internal", "reset", "lost-ack", "blackhole", "server-fault", "throttle-burst", "latency", "partial-apply"] {
                #expect(error.message.contains(name))
            }
        }
    }

    @Test func optionsBuildTheConfiguration() throws {
        let configuration = try EmulatorOptions.configuration(arguments: [
            "--port", "8787", "--seed", "7", "--faults=internal=0.1,partial-apply", "--access-key", "AKIDTEST", "--secret-key", "s3cret",
            "--prepare-seconds", "0.5", "--apply-seconds", "1.5", "--seed-authorizations", "60", "--seed-offers", "0", "--account-id", "123456789012",
        ])
        #expect(configuration.port == 8787)
        #expect(configuration.emulator.seed == 7)
        #expect(configuration.emulator.faults.internalErrorRate == 0.1)
        #expect(configuration.emulator.faults.partialApplyOnFailure)
        #expect(configuration.emulator.lifecycle.prepareSeconds == 0.5)
        #expect(configuration.emulator.lifecycle.applySeconds == 1.5)
        #expect(configuration.emulator.seeding.resaleAuthorizations == 60)
        #expect(configuration.emulator.seeding.offers == 0)
        #expect(configuration.emulator.accountId == "123456789012")
        guard case .sigV4(let credentials) = configuration.authentication else {
            Issue.record("expected SigV4")
            return
        }
        #expect(credentials.map(\.accessKeyId) == ["AKIDTEST"])
        #expect(credentials.map(\.secretAccessKey) == ["s3cret"])
        let defaults = try EmulatorOptions.configuration(arguments: [])
        #expect(defaults.port == 0)
        #expect(defaults.authentication == .example)
        #expect(try EmulatorOptions.configuration(arguments: ["--no-auth"]).authentication == .disabled)
    }

    @Test func badOptionValuesAreExplained() {
        let cases: [([String], String)] = [
            (["--port", "70000"], "--port"), (["--seed", "-1"], "--seed"), (["--faults", "boom=1"], "valid faults"),
            (["--prepare-seconds", "soon"], "--prepare-seconds"), (["--seed-offers", "many"], "--seed-offers"),
            (["--account-id", "12345"], "12 digits"), (["--no-auth", "--access-key", "A"], "cannot be combined"),
            (["--colour", "red"], "unknown option"), (["--port"], "needs a value"), (["stray"], "unexpected argument"),
        ]
        for (arguments, fragment) in cases {
            do {
                _ = try EmulatorOptions.configuration(arguments: arguments)
                Issue.record("\(arguments) should fail")
            } catch {
                #expect(error.message.contains(fragment), "\(arguments): \(error.message)")
            }
        }
        #expect(EmulatorOptions.all.map(\.name) == ["port", "seed", "faults", "no-auth", "access-key", "secret-key", "prepare-seconds",
                                                    "apply-seconds", "seed-authorizations", "seed-offers", "account-id"])
    }
}
