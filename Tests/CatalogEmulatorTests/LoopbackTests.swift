import CatalogClient
import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The emulator on 127.0.0.1 (port 0), driven by BulkRunner's signed rest-json client over
/// real sockets, on a virtual clock shared by the server (lifecycle, signature skew) and the
/// client (X-Amz-Date).
struct Loopback {
    let world: World
    let server: RunningEmulatorServer

    static func start(quotas: RequestQuotas = .unlimited, authentication: EmulatorAuthentication = .example,
                      faults: FaultPlan = FaultPlan()) async throws -> Loopback {
        let world = World(quotas: quotas, faults: faults)
        let server = try await EmulatorServer.start(EmulatorServerConfiguration(port: 0, authentication: authentication),
                                                    serving: world.emulator)
        return Loopback(world: world, server: server)
    }

    func client(accessKey: String = "AKIDEXAMPLE", secret: String = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                clockOffset: TimeInterval = 0, requestTimeout: TimeInterval = 60,
                attemptTimeout: TimeInterval? = nil) throws -> CatalogHTTPClient {
        let clock = world.clock
        return try CatalogHTTPClient(
            endpoint: server.url, region: "us-east-1",
            credentials: StaticCredentialsProvider(AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret)),
            transport: URLSessionTransport(requestTimeout: requestTimeout, resourceTimeout: 2 * requestTimeout),
            version: "test", clock: { clock.now().addingTimeInterval(clockOffset) }, attemptTimeout: attemptTimeout)
    }

    /// A raw unsigned request.
    func raw(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) async throws -> (Int, [String: String], String) {
        var request = URLRequest(url: URL(string: server.url.absoluteString + path)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields[String(describing: key).lowercased()] = String(describing: value) }
        return (http.statusCode, fields, String(decoding: data, as: UTF8.self))
    }

    func stop() async { await server.stop() }
}

@Suite("Loopback HTTP", .serialized)
struct LoopbackTests {
    @Test func signedRoundTripThroughTheLifecycle() async throws {
        let loop = try await Loopback.start()
        defer { Task { await loop.stop() } }
        #expect(loop.server.port > 0)
        #expect(loop.server.url.absoluteString == "http://127.0.0.1:\(loop.server.port)")
        let client = try loop.client()
        let listed = try await client.listEntities(ListEntitiesRequest(entityType: "ResaleAuthorization", maxResults: 10))
        #expect(listed.entitySummaryList?.count == 10)
        let next = try await client.listEntities(ListEntitiesRequest(entityType: "ResaleAuthorization", nextToken: listed.nextToken, maxResults: 50))
        #expect(next.entitySummaryList?.count == 15)
        let product = await loop.world.product()
        let started = try await client.startChangeSet(StartChangeSetRequest(changeSet: [
            C.createRA(product: product, reseller: "111111111111"), C.release("$RA.Entity.Identifier"),
            C.raPricing("$RA.Entity.Identifier"), C.raLegal("$RA.Entity.Identifier"),
        ], changeSetName: "loopback", clientRequestToken: "loop-1"))
        let id = try #require(started.changeSetId)
        #expect(try await client.describeChangeSet(DescribeChangeSetRequest(changeSetId: id)).status == .preparing)
        loop.world.settle()
        let described = try await client.describeChangeSet(DescribeChangeSetRequest(changeSetId: id))
        #expect(described.status == .succeeded)
        let ra = try loop.world.createdId(described)
        let entity = try await client.describeEntity(DescribeEntityRequest(entityId: ra))
        #expect(entity.detailsDocument?["Status"] == "Active")
        #expect(entity.details?.contains("\"Status\":\"Active\"") == true)
        let batch = try await client.batchDescribeEntities(BatchDescribeEntitiesRequest(entityRequestList: [EntityRequest(entityId: ra)]))
        #expect(batch.entityDetails?[ra]?.entityIdentifier == "\(ra)@1")
        let sets = try await client.listChangeSets(ListChangeSetsRequest(filterList: [Filter(name: "ChangeSetName", valueList: ["loopback"])]))
        #expect(sets.changeSetSummaryList?.first?.entityIdList == [ra])
        // Restrict it, then cancel one that is still PREPARING.
        _ = try await client.startChangeSet(StartChangeSetRequest(changeSet: [C.restrict(ra)]))
        loop.world.settle()
        #expect(try await client.describeEntity(DescribeEntityRequest(entityId: ra)).detailsDocument?["Status"] == "Restricted")
        let pending = try await client.startChangeSet(StartChangeSetRequest(changeSet: [C.createRA(product: product, reseller: "222222222222")]))
        let cancelled = try await client.cancelChangeSet(CancelChangeSetRequest(changeSetId: pending.changeSetId!))
        #expect(cancelled.changeSetId == pending.changeSetId)
        // Statistics over HTTP.
        let (status, _, body) = try await loop.raw("GET", "/_emulator/statistics")
        #expect(status == 200)
        let statistics = try CatalogJSON.decode(EmulatorStatistics.self, from: Data(body.utf8))
        #expect(statistics[.startChangeSet].succeeded == 3)
        #expect(statistics.changeSetsByStatus["CANCELLED"] == 1)
        let (inventoryStatus, _, inventory) = try await loop.raw("GET", "/_emulator/inventory")
        #expect(inventoryStatus == 200 && inventory.contains(ra))
    }

    @Test func serviceErrorsOnTheWire() async throws {
        let loop = try await Loopback.start(quotas: .published)
        defer { Task { await loop.stop() } }
        let client = try loop.client()
        let validation = await catalogError { try await client.startChangeSet(StartChangeSetRequest(catalog: "Other", changeSet: [])) }
        #expect(validation?.code == .validation)
        #expect(validation?.httpStatus == 422)
        #expect(validation?.requestId?.count == 36)
        let missing = await catalogError { try await client.describeChangeSet(DescribeChangeSetRequest(changeSetId: "nope")) }
        #expect(missing?.code == .resourceNotFound && missing?.httpStatus == 404)
        let ra = await loop.world.inventory().resaleAuthorizations.first { $0.status == "Draft" }!.id
        _ = try await client.startChangeSet(StartChangeSetRequest(changeSet: [C.raPricing(ra)]))
        let inUse = await catalogError { try await client.startChangeSet(StartChangeSetRequest(changeSet: [C.raLegal(ra)])) }
        #expect(inUse?.code == .resourceInUse && inUse?.httpStatus == 423)
        var throttled: CatalogError?
        for _ in 0..<6 {
            throttled = await catalogError { try await client.listChangeSets(ListChangeSetsRequest()) }
        }
        #expect(throttled?.code == .throttling && throttled?.httpStatus == 429)
        // A malformed Authorization header is an IncompleteSignatureException (400), checked before the body.
        let (badStatus, badHeaders, _) = try await loop.raw("POST", "/ListEntities", body: "{not json", headers: ["Authorization": "x"])
        #expect(badStatus == 400)
        #expect(badHeaders["x-amzn-errortype"] == "IncompleteSignatureException")
        let (unknownStatus, unknownHeaders, _) = try await loop.raw("GET", "/DeleteEverything")
        #expect(unknownStatus == 404)
        #expect(unknownHeaders["x-amzn-errortype"] == "UnknownOperationException")
    }

    @Test func authenticationFailuresLikeAWS() async throws {
        let loop = try await Loopback.start()
        defer { Task { await loop.stop() } }
        let request = ListEntitiesRequest(entityType: "Offer")
        let wrongSecret = await catalogError { try await loop.client(secret: "not-the-secret").listEntities(request) }
        #expect(wrongSecret?.code == .invalidSignature)
        #expect(wrongSecret?.httpStatus == 403)
        #expect(wrongSecret?.message.contains("signature we calculated does not match") == true)
        let unknownKey = await catalogError { try await loop.client(accessKey: "AKIDUNKNOWN").listEntities(request) }
        #expect(unknownKey?.code == .unrecognizedClient && unknownKey?.httpStatus == 403)
        let skewed = await catalogError { try await loop.client(clockOffset: -600).listEntities(request) }
        #expect(skewed?.code == .invalidSignature)
        #expect(skewed?.message.contains("Signature expired") == true)
        // Four minutes off is within the allowed skew.
        _ = try await loop.client(clockOffset: 240).listEntities(request)
        let (status, headers, body) = try await loop.raw("POST", "/ListEntities", body: "{\"Catalog\":\"AWSMarketplace\",\"EntityType\":\"Offer\"}")
        #expect(status == 403)
        #expect(headers["x-amzn-errortype"] == "MissingAuthenticationTokenException")
        #expect(body.contains("Missing Authentication Token"))
        #expect(await loop.world.emulator.statistics().authenticationFailures == 4)
    }

    @Test func noAuthAcceptsUnsignedRequests() async throws {
        let loop = try await Loopback.start(authentication: .disabled)
        defer { Task { await loop.stop() } }
        let (status, headers, body) = try await loop.raw("POST", "/ListEntities", body: "{\"Catalog\":\"AWSMarketplace\",\"EntityType\":\"Offer\"}")
        #expect(status == 200)
        #expect(headers["x-amzn-requestid"]?.count == 36)
        #expect(body.contains("EntitySummaryList"))
        let (missing, _, message) = try await loop.raw("POST", "/ListEntities", body: "{\"Catalog\":\"AWSMarketplace\"}")
        #expect(missing == 422)
        #expect(message.contains("EntityType"))
        let (notJSON, headers2, _) = try await loop.raw("POST", "/ListEntities", body: "{oops")
        #expect(notJSON == 400)
        #expect(headers2["x-amzn-errortype"] == "SerializationException")
        let (query, _, described) = try await loop.raw("GET", "/DescribeChangeSet?catalog=AWSMarketplace&changeSetId=abc")
        #expect(query == 404)
        #expect(described.contains("abc"))
    }

    @Test func lostAcknowledgementIsSurvivedByTheToken() async throws {
        let loop = try await Loopback.start()
        defer { Task { await loop.stop() } }
        let client = try loop.client()
        let product = await loop.world.product()
        let request = StartChangeSetRequest(changeSet: [C.createRA(product: product, reseller: "111111111111")],
                                            changeSetName: "grant", clientRequestToken: "row-1-token")
        await loop.world.emulator.setFaults(FaultPlan(lostAcknowledgementRate: 1))
        let lost = await catalogError { try await client.startChangeSet(request) }
        #expect(lost?.code.isNetwork == true, "\(String(describing: lost))")
        await loop.world.emulator.setFaults(FaultPlan())
        // The set exists although its response never arrived.
        let sets = try await client.listChangeSets(ListChangeSetsRequest(filterList: [Filter(name: "ChangeSetName", valueList: ["grant"])]))
        #expect(sets.changeSetSummaryList?.count == 1)
        // Resending with the same token returns it instead of creating another.
        let resent = try await client.startChangeSet(request)
        #expect(resent.changeSetId == sets.changeSetSummaryList?.first?.changeSetId)
        let after = try await client.listChangeSets(ListChangeSetsRequest())
        #expect(after.changeSetSummaryList?.count == 1)
        #expect(await loop.world.emulator.statistics().lostAcknowledgements >= 1)
    }

    @Test func connectionResetProcessesNothing() async throws {
        let loop = try await Loopback.start()
        defer { Task { await loop.stop() } }
        let client = try loop.client()
        let product = await loop.world.product()
        await loop.world.emulator.setFaults(FaultPlan(connectionResetRate: 1))
        let reset = await catalogError {
            try await client.startChangeSet(StartChangeSetRequest(changeSet: [C.createRA(product: product, reseller: "111111111111")]))
        }
        #expect(reset?.code.isNetwork == true, "\(String(describing: reset))")
        await loop.world.emulator.setFaults(FaultPlan())
        #expect(try await client.listChangeSets(ListChangeSetsRequest()).changeSetSummaryList == [])
        #expect(await loop.world.emulator.statistics().connectionResets >= 1)
    }

    /// A reset or an unanswered close of a *reused* keep-alive connection under a POST: libcurl
    /// re-sends the request on a fresh connection, and its body must go too. It used to go
    /// without, and the call hung for the whole request timeout (30 s in the CLI) before the
    /// caller could retry; now the call ends (here: fails again, the fault rate being 1) at once.
    @Test(arguments: ["reset", "lost-ack"])
    func droppedReusedConnectionCostsNoStall(fault: String) async throws {
        let loop = try await Loopback.start()
        defer { Task { await loop.stop() } }
        let client = try loop.client(requestTimeout: 30)
        let product = await loop.world.product()
        // Open a keep-alive connection with a POST and a GET.
        _ = try await client.listChangeSets(ListChangeSetsRequest())
        _ = await catalogError { try await client.describeChangeSet(DescribeChangeSetRequest(changeSetId: "none")) }
        await loop.world.emulator.setFaults(try FaultPlan(spec: "\(fault)=1"))
        let request = StartChangeSetRequest(changeSet: [C.createRA(product: product, reseller: "111111111111")],
                                            changeSetName: "dropped", clientRequestToken: "dropped-1")
        let started = Date()
        let error = await catalogError { try await client.startChangeSet(request) }
        let seconds = Date().timeIntervalSince(started)
        #expect(error?.code.isNetwork == true, "\(String(describing: error))")
        #expect(seconds < 8, "a dropped connection cost \(seconds) s")
        await loop.world.emulator.setFaults(FaultPlan())
        let statistics = await loop.world.emulator.statistics()
        #expect(statistics.connectionResets + statistics.lostAcknowledgements >= 1)
        // The retry the caller now makes at once is answered, with the one change set the token allows.
        let retried = try await client.startChangeSet(request)
        let sets = try await client.listChangeSets(ListChangeSetsRequest(filterList: [Filter(name: "ChangeSetName", valueList: ["dropped"])]))
        #expect(sets.changeSetSummaryList?.map(\.changeSetId) == [retried.changeSetId])
    }

    /// A black hole (the request swallowed, the connection left open and silent) is only escaped
    /// by a client deadline: the per-attempt one, not the transport's 30 s.
    @Test func blackHoleIsCutShortByTheAttemptDeadline() async throws {
        let loop = try await Loopback.start()
        defer { Task { await loop.stop() } }
        let client = try loop.client(requestTimeout: 30, attemptTimeout: 1)
        let product = await loop.world.product()
        _ = try await client.listChangeSets(ListChangeSetsRequest())
        await loop.world.emulator.setFaults(FaultPlan(blackHoleRate: 1))
        let started = Date()
        let error = await catalogError {
            try await client.startChangeSet(StartChangeSetRequest(changeSet: [C.createRA(product: product, reseller: "111111111111")]))
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(error?.code == .timeout, "\(String(describing: error))")
        #expect(seconds < 8, "the 1-s attempt deadline took \(seconds) s")
        await loop.world.emulator.setFaults(FaultPlan())
        #expect(try await client.listChangeSets(ListChangeSetsRequest()).changeSetSummaryList == [], "nothing was processed")
        #expect(await loop.world.emulator.statistics().blackHoles == 1)
    }

    @Test func stopClosesThePort() async throws {
        let loop = try await Loopback.start()
        let client = try loop.client()
        _ = try await client.listChangeSets(ListChangeSetsRequest())
        await loop.stop()
        await loop.stop() // twice is fine
        let error = await catalogError { try await client.listChangeSets(ListChangeSetsRequest()) }
        #expect(error?.code.isNetwork == true)
    }
}
