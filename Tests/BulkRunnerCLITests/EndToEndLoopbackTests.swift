import Foundation
import Testing
import TestSupport

/// `bulkrunner emulator` started as a subprocess on a free port, and bulkrunner pointed at it
/// with `--endpoint-url` and the emulator's credentials in the environment: the commands that
/// need a world that outlives one process (`status`, `retry`, restricting what was granted).
@Suite("end to end: against bulkrunner emulator")
struct EndToEndLoopbackTests {
    /// Fast change sets (0.2 s preparing, 0.3 s applying) for flows that only need them to finish.
    static let fast = ["--prepare-seconds", "0.2", "--apply-seconds", "0.3"]
    /// Slow enough (3 s + 3 s, ±25 %) that change sets are still open a second after they were sent.
    static let slow = ["--prepare-seconds", "3", "--apply-seconds", "3"]

    @Test func statusFollowsThePendingRowsOfAnEarlierRun() async throws {
        let work = try Workspace()
        defer { work.remove() }
        // A 1-second wait leaves every row PENDING.
        let server = try EmulatorServer(binary: work.binary, home: work.url, arguments: Self.slow)
        defer { server.stop() }
        let env = E2E.emulatorEnvironment(home: work.url)
        #expect(await server.waitForBanner(containing: "credentials: AWS_ACCESS_KEY_ID=AKIDEXAMPLE", timeout: 180), "\(server.banner)")

        // Packed 3 rows a set (not the default): status must rebuild the same sets from the .job record.
        let grant = try await work.run(["grant", "samples/new-partners.csv", "--endpoint-url", server.endpoint, "--wait-timeout", "1",
                                        "--rows-per-change-set", "3"], environment: env)
        #expect(grant.status == 1, "PENDING rows: exit 1\n\(grant.transcript)")
        #expect(grant.summaryCounts["PENDING"] == 12, "\(grant.stderr)")
        #expect(grant.stderr.contains("`bulkrunner status samples/new-partners.results.csv`"), "\(grant.stderr)")
        // What the wait timeout did, plainly: stopped waiting, cancelled nothing.
        #expect(grant.stderr.contains("--wait-timeout elapsed") && grant.stderr.contains("nothing was cancelled"), "\(grant.stderr)")
        var results = try work.table("samples/new-partners.results.csv")
        #expect(results.column("Outcome").allSatisfy { $0 == "PENDING" })
        #expect(results.column("ChangeSetId").allSatisfy { !$0.isEmpty }, "the change sets were sent")
        #expect(results.column("ChangeSetStatus").allSatisfy { ["PREPARING", "APPLYING"].contains($0) })
        #expect(work.exists("samples/new-partners.results.csv.journal"))
        let changeSets = results.column("ChangeSetId")
        let pendingText = try String(contentsOf: work.path("samples/new-partners.results.csv"), encoding: .utf8)

        // --output: the refreshed results go to another file, the earlier run's journal is still followed.
        let copy = try await work.run(["status", "samples/new-partners.results.csv", "--endpoint-url", server.endpoint,
                                       "--output", "refreshed.csv"], environment: env)
        #expect(copy.status == 0, "\(copy.transcript)")
        let refreshed = try work.table("refreshed.csv")
        #expect(refreshed.column("Outcome").allSatisfy { $0 == "SUCCEEDED" }, "\(refreshed.column("ErrorMessage"))")
        #expect(refreshed.column("ChangeSetId") == changeSets)
        #expect(try String(contentsOf: work.path("samples/new-partners.results.csv"), encoding: .utf8) == pendingText,
                "RESULTS.csv is left as it was")

        let status = try await work.run(["status", "samples/new-partners.results.csv", "--endpoint-url", server.endpoint],
                                        environment: env)
        #expect(status.status == 0, "\(status.transcript)")
        #expect(status.stdout.isEmpty)
        #expect(status.summaryCounts["SUCCEEDED"] == 12, "\(status.stderr)")
        // status sends nothing: it says what it checks, never that rows are "planned".
        #expect(copy.stderr.contains("12 rows: 4 change sets of the earlier run still open, checked with the service until final (status sends nothing new)"),
                "\(copy.stderr)")
        #expect(status.stderr.contains("12 rows: no change set of the earlier run is still open"), "\(status.stderr)")
        #expect(!status.stderr.contains("planned"), "\(status.stderr)")
        #expect(status.stderr.contains("Results: samples/new-partners.results.csv"))
        results = try work.table("samples/new-partners.results.csv")
        #expect(results.header == (try work.table("samples/new-partners.csv")).header + E2E.resultColumns,
                "refreshed in place: outcome columns replaced, not added")
        #expect(results.column("Outcome").allSatisfy { $0 == "SUCCEEDED" })
        #expect(results.column("ChangeSetId") == changeSets, "status sends nothing new")
        #expect(results.column("EntityId").allSatisfy { $0.hasPrefix("resaleauthz-") })
        #expect(!work.exists("samples/new-partners.results.results.csv"))
        // What help says --output does for status and retry.
        let help = try await work.run(["status", "--help"])
        #expect(help.stdout.contains("Write the refreshed results to FILE instead of updating RESULTS.csv in place"), "\(help.stdout)")
        let retryHelp = try await work.run(["retry", "--help"])
        #expect(retryHelp.stdout.contains("instead of updating RESULTS.csv in place"), "\(retryHelp.stdout)")
        #expect(!(help.stdout + retryHelp.stdout).contains("INPUT.results.csv beside the input"))
    }

    @Test func ctrlCTwiceThenTheSameCommandResumesWithoutDuplicates() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let server = try EmulatorServer(binary: work.binary, home: work.url, arguments: Self.slow)
        defer { server.stop() }
        let env = E2E.emulatorEnvironment(home: work.url)
        // One row per change set, one StartChangeSet every 5 s: the run would last a minute, so a
        // test pool starved by the rest of the suite still finds it running when it presses Ctrl-C.
        let arguments = ["grant", "samples/new-partners.csv", "--endpoint-url", server.endpoint, "--rows-per-change-set", "1"]

        let running = try RunningCommand(work, arguments + ["--rate", "StartChangeSet=0.2"], environment: env)
        #expect(await running.waitForStderr(containing: "change sets open"), "\(running.stderr)")
        // Ctrl-C, pressed again each second until its notice shows: under load the notice can take
        // longer than a second to appear.
        var noticed = false
        for _ in 0..<10 where !noticed && running.process.isRunning {
            running.interrupt()
            noticed = await running.waitForStderr(containing: "press Ctrl-C again to stop at once", timeout: 1)
        }
        guard noticed else {
            Issue.record("Ctrl-C went unnoticed for 10 s: \(running.stderr)")
            running.kill()
            _ = try await running.wait()
            return
        }
        // Ctrl-C again: stop at once (pressed again each second while the run goes on, for the same reason).
        var atOnce = false
        for _ in 0..<10 where !atOnce && running.process.isRunning {
            running.interrupt()
            atOnce = await running.waitForStderr(containing: "stopping at once", timeout: 1)
        }
        let stopped = try await running.wait()
        let finishedAnyway = try work.table("samples/new-partners.results.csv").column("Outcome").allSatisfy { $0 == "SUCCEEDED" }
        if finishedAnyway {
            // The run had finished every row by the time it stopped: nothing to resume, exit 0.
            #expect(stopped.status == 0, "\(stopped.transcript)")
        } else {
            #expect(stopped.status == 130, "\(stopped.transcript)")
            #expect(stopped.stderr.contains("run the same command again to resume"), "\(stopped.stderr)")
        }
        // (Under load the message can come after the last 1-s wait, as the process ends.)
        if !atOnce && !finishedAnyway && !stopped.stderr.contains("stopping at once") {
            Issue.record("the second Ctrl-C went unnoticed until the run ended: \(stopped.stderr)")
        }
        var results = try work.table("samples/new-partners.results.csv")
        #expect(results.rows.count == 12, "the results file is written on the way out")
        let sent = results.column("ChangeSetId")
        let unsent = sent.filter { $0.isEmpty }.count
        #expect(sent.contains { !$0.isEmpty }, "\(sent)")
        #expect(work.exists("samples/new-partners.results.csv.journal"))
        let neverSent = (0..<results.rows.count).filter { results.value($0, "ChangeSetId").isEmpty }
        // Without a ChangeSetId: NOT_SENT, or PENDING when it was on its way at the second Ctrl-C.
        #expect(neverSent.allSatisfy {
            results.value($0, "Outcome") == "NOT_SENT"
                || (results.value($0, "Outcome") == "PENDING" && results.value($0, "ErrorMessage").contains("while sending"))
        }, "rows never sent are NOT_SENT (PENDING means sent): \(neverSent.map { results.value($0, "Outcome") + " " + results.value($0, "ErrorMessage") })")
        // `retry` on (a copy of) this file must send the rows never sent: it skips them and says every row is done.
        for suffix in ["", ".job"] {
            try FileManager.default.copyItem(at: work.path("samples/new-partners.results.csv\(suffix)"),
                                             to: work.path("copy.results.csv\(suffix)"))
        }
        let retry = try await work.run(["retry", "copy.results.csv", "--endpoint-url", server.endpoint, "--dry-run"], environment: env)
        #expect(retry.stdout.components(separatedBy: "\"CreateResaleAuthorization\"").count - 1 >= unsent,
                "retry sends the rows never sent: \(retry.transcript)")

        // The same command again (at the full rate) resumes: sets already sent are followed, the rest sent once.
        let resumed = try await work.run(arguments, environment: env)
        #expect(resumed.status == 0, "\(resumed.transcript)")
        results = try work.table("samples/new-partners.results.csv")
        #expect(results.column("Outcome").allSatisfy { $0 == "SUCCEEDED" })
        for (row, id) in sent.enumerated() where !id.isEmpty {
            #expect(results.value(row, "ChangeSetId") == id, "row \(row + 1): its open change set was followed, not sent again")
        }

        // One authorization per partner on the service: nothing was created twice.
        let export = try await work.run(["export", "resale-authorizations", "--endpoint-url", server.endpoint, "--output", "-"],
                                        environment: env)
        #expect(export.status == 0, "\(export.transcript)")
        let resellers = try CSVTable(text: export.stdout).column("ResellerAccountId").map { String($0.drop { $0 == "'" }) }
        for partner in results.column("RESELLER_ACCOUNT_ID") {
            #expect(resellers.filter { $0 == partner }.count == 1, "\(partner)")
        }
    }

    @Test func retrySendsOnlyTheRowsThatAreNotDone() async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        let server = try EmulatorServer(binary: work.binary, home: work.url, arguments: Self.fast)
        defer { server.stop() }
        let env = E2E.emulatorEnvironment(home: work.url)
        try work.write("partners.csv", """
            PRODUCT_ID,NAME,RESELLER_ACCOUNT_ID,DIMENSION_KEY,PRICE
            prod-1111111111111,Good Partner,123456789012,BasicService,150
            prod-1111111111111,Not A Reseller,912345678901,BasicService,150
            prod-1111111111111,Lost Zero,12345678901,BasicService,150

            """)
        let first = try await work.run(["grant", "partners.csv", "--endpoint-url", server.endpoint], environment: env)
        #expect(first.status == 1, "\(first.transcript)")
        #expect(first.summaryCounts["SUCCEEDED"] == 1 && first.summaryCounts["FAILED"] == 1 && first.summaryCounts["INVALID"] == 1,
                "\(first.stderr)")
        #expect(first.stderr.contains("Top errors:") && first.stderr.contains("INVALID_RESELLER_ACCOUNT"))
        #expect(first.stderr.contains("then `bulkrunner retry partners.results.csv`"), "\(first.stderr)")
        var results = try work.table("partners.results.csv")
        #expect(results.column("Outcome") == ["SUCCEEDED", "FAILED", "INVALID"])
        #expect(results.value(1, "FailureCode") == "CLIENT_ERROR" && results.value(1, "ErrorCode") == "INVALID_RESELLER_ACCOUNT")
        #expect(results.value(1, "ErrorMessage").contains("912345678901"))
        #expect(results.value(2, "ChangeSetId").isEmpty, "an INVALID row is never sent")
        let granted = results.value(0, "EntityId")

        // Fix the two cells in the results file, as a user does in the spreadsheet.
        var text = try String(contentsOf: work.path("partners.results.csv"), encoding: .utf8)
        text = text.replacingOccurrences(of: ",912345678901,", with: ",212345678901,")
            .replacingOccurrences(of: ",12345678901,", with: ",012345678901,")
        try work.write("partners.results.csv", text)

        let preview = try await work.run(["retry", "partners.results.csv", "--endpoint-url", server.endpoint, "--dry-run"],
                                         environment: env)
        #expect(preview.status == 0, "\(preview.transcript)")
        #expect(preview.stdout.components(separatedBy: "\"CreateResaleAuthorization\"").count - 1 == 2, "two rows to send again")
        #expect(try String(contentsOf: work.path("partners.results.csv"), encoding: .utf8) == text, "a dry run leaves the file alone")

        let retry = try await work.run(["retry", "partners.results.csv", "--endpoint-url", server.endpoint], environment: env)
        #expect(retry.status == 0, "\(retry.transcript)")
        #expect(retry.stderr.contains("earlier journal kept as partners.results.csv.journal.1"), "\(retry.stderr)")
        results = try work.table("partners.results.csv")
        #expect(results.rows.count == 3)
        #expect(["SUCCEEDED", "SKIPPED"].contains(results.value(0, "Outcome")))
        #expect(results.value(0, "EntityId") == granted, "the row done earlier keeps its authorization")
        #expect(Array(results.column("Outcome").dropFirst()) == ["SUCCEEDED", "SUCCEEDED"])
        #expect(Array(results.column("RESELLER_ACCOUNT_ID")) == ["123456789012", "212345678901", "012345678901"])
        #expect(Set(results.column("EntityId")).count == 3 && results.column("EntityId").allSatisfy { $0.hasPrefix("resaleauthz-") })
        #expect(results.column("ErrorCode").allSatisfy { $0.isEmpty })
        #expect(work.exists("partners.results.csv.journal.1"))
    }

    @Test func restrictWhatWasGranted() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let server = try EmulatorServer(binary: work.binary, home: work.url, arguments: Self.fast)
        defer { server.stop() }
        let env = E2E.emulatorEnvironment(home: work.url)

        let grant = try await work.run(["grant", "samples/new-partners.csv", "--endpoint-url", server.endpoint], environment: env)
        #expect(grant.status == 0, "\(grant.transcript)")
        let granted = try work.table("samples/new-partners.results.csv")
        let ids = granted.column("EntityId")
        #expect(ids.count == 12 && ids.allSatisfy { $0.hasPrefix("resaleauthz-") })

        // As samples/README.md tells: the EntityId column, under the RESALE_AUTHORIZATION_ID header.
        var sheet = "RESALE_AUTHORIZATION_ID,NAME\n"
        for (id, name) in zip(ids, granted.column("NAME")) { sheet += "\(id),\(name)\n" }
        try work.write("to-restrict.csv", sheet)

        let preview = try await work.run(["restrict", "to-restrict.csv", "--dry-run", "--endpoint-url", server.endpoint],
                                         environment: env)
        #expect(preview.status == 0, "\(preview.transcript)")
        #expect(preview.stdout.components(separatedBy: "\"RestrictResaleAuthorization\"").count - 1 == 12)
        for id in ids { #expect(preview.stdout.contains("\"Identifier\":\"\(id)\"")) }

        let restrict = try await work.run(["restrict", "to-restrict.csv", "--endpoint-url", server.endpoint], environment: env)
        #expect(restrict.status == 0, "\(restrict.transcript)")
        var results = try work.table("to-restrict.results.csv")
        #expect(results.column("Outcome").allSatisfy { $0 == "SUCCEEDED" })
        #expect(results.column("EntityId") == ids, "each row names the authorization it restricted")
        let changeSets = results.column("ChangeSetId")

        // What the service now says: every one is Restricted.
        let export = try await work.run(["export", "resale-authorizations", "--endpoint-url", server.endpoint,
                                         "--status", "Restricted", "--output", "-"], environment: env)
        #expect(export.status == 0, "\(export.transcript)")
        let restricted = Set(try CSVTable(text: export.stdout).column("ResaleAuthorizationId"))
        #expect(Set(ids).isSubset(of: restricted))

        // The same command again sends nothing new (same tokens, same change sets)…
        let again = try await work.run(["restrict", "to-restrict.csv", "--endpoint-url", server.endpoint], environment: env)
        #expect(again.status == 0, "\(again.transcript)")
        results = try work.table("to-restrict.results.csv")
        #expect(results.column("ChangeSetId") == changeSets)

        // …while another file naming them is refused by the service, row by row, saying why.
        try work.write("restrict-again.csv", sheet)
        let refused = try await work.run(["restrict", "restrict-again.csv", "--endpoint-url", server.endpoint], environment: env)
        #expect(refused.status == 1, "\(refused.transcript)")
        results = try work.table("restrict-again.results.csv")
        #expect(results.column("Outcome").allSatisfy { $0 == "FAILED" })
        #expect(results.column("ErrorCode").allSatisfy { $0 == "INCOMPATIBLE_STATUS" })
        #expect(results.column("ErrorMessage").allSatisfy { $0.contains("already Restricted") })

        // The raw API on the same world.
        let describe = try await work.run(["api", "describe-change-set", "--change-set-id", changeSets[0],
                                           "--endpoint-url", server.endpoint], environment: env)
        #expect(describe.status == 0, "\(describe.transcript)")
        let described = try #require(try JSONSerialization.jsonObject(with: Data(describe.stdout.utf8)) as? [String: Any])
        #expect(described["Status"] as? String == "SUCCEEDED")
        let entity = try await work.run(["api", "describe-entity", "--entity-id", ids[0], "--endpoint-url", server.endpoint],
                                        environment: env)
        #expect(entity.status == 0 && entity.stdout.contains("\"Restricted\""), "\(entity.transcript)")
    }

    @Test func wrongCredentialsAreRefusedWithExit69() async throws {
        let work = try Workspace(samples: false)
        defer { work.remove() }
        let server = try EmulatorServer(binary: work.binary, home: work.url, arguments: Self.fast)
        defer { server.stop() }
        var env = E2E.emulatorEnvironment(home: work.url)
        let list = try await work.run(["api", "list-entities", "--entity-type", "ResaleAuthorization",
                                       "--endpoint-url", server.endpoint], environment: env)
        #expect(list.status == 0, "\(list.transcript)")
        let page = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        #expect((page["EntitySummaryList"] as? [Any])?.isEmpty == false)

        env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
        let refused = try await work.run(["api", "list-entities", "--entity-type", "ResaleAuthorization", "--max-attempts", "1",
                                          "--endpoint-url", server.endpoint], environment: env)
        #expect(refused.status == 69, "\(refused.transcript)")
        #expect(!refused.stderr.contains("not-the-secret"), "secrets never appear in output")
        #expect(refused.stdout.isEmpty)

        // Ctrl-C stops the emulator cleanly.
        server.stop()
        #expect(server.process.terminationStatus == 0 && server.process.terminationReason == .exit)
    }
}

extension EndToEndLoopbackTests {
    /// A results file and its journal belong to the account and endpoint they were run against:
    /// the same command pointed elsewhere must not report the rows done there as done here.
    @Test func aResultsFileIsNotContinuedAgainstAnotherEndpoint() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let first = try EmulatorServer(binary: work.binary, home: work.url, arguments: Self.fast)
        defer { first.stop() }
        let second = try EmulatorServer(binary: work.binary, home: work.url, arguments: Self.fast + ["--account-id", "111122223333"])
        defer { second.stop() }
        let env = E2E.emulatorEnvironment(home: work.url)
        let granted = try await work.run(["grant", "samples/new-partners.csv", "--endpoint-url", first.endpoint, "--quiet"], environment: env)
        #expect(granted.status == 0, "\(granted.transcript)")

        let elsewhere = try await work.run(["grant", "samples/new-partners.csv", "--endpoint-url", second.endpoint], environment: env)
        #expect(elsewhere.status == 2, "\(elsewhere.transcript)")
        #expect(elsewhere.stderr.contains("holds a run against \(first.endpoint)"), "\(elsewhere.stderr)")
        #expect(elsewhere.stderr.contains("its own --output"), "\(elsewhere.stderr)")
        let retry = try await work.run(["retry", "samples/new-partners.results.csv", "--endpoint-url", second.endpoint], environment: env)
        #expect(retry.status == 2, "\(retry.transcript)")

        // Its own results file: a run of its own, which grants every row there.
        let own = try await work.run(["grant", "samples/new-partners.csv", "--endpoint-url", second.endpoint,
                                      "--output", "second.results.csv", "--quiet"], environment: env)
        #expect(own.status == 0, "\(own.transcript)")
        #expect(try work.table("second.results.csv").column("Outcome").allSatisfy { $0 == "SUCCEEDED" })
    }
}
