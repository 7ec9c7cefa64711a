@testable import BulkRunner
import CatalogModels
import Foundation
import Testing

/// ``RunMachine`` driven event by event: no clock, no network, no emulator — the decisions alone.
@Suite("RunMachine: decisions, event by event")
struct RunMachineTests {
    let t0 = Date(timeIntervalSince1970: 1_893_456_000)

    /// A planned set of one UpdateInformation per row on `entity(row)`.
    static func set(_ sequence: Int, rows: [Int], type: String = "ResaleAuthorization@1.0",
                    entity: (Int) -> String = { "resaleauthz-\($0)" }, dependencies: [Int] = []) -> PlannedChangeSet {
        var changes: [Change] = []
        var planned: [PlannedRow] = []
        for row in rows {
            let id = entity(row)
            planned.append(PlannedRow(rowIndex: row, line: row + 2, changeIndices: [changes.count], targetEntityIds: [id], creations: []))
            changes.append(Change(changeType: "UpdateInformation", entity: Entity(type: type, identifier: id),
                                  detailsDocument: ["Description": .string("row \(row)")]))
        }
        let token = "token-\(sequence)-" + String(repeating: "x", count: 28 - String(sequence).count)
        let name = "bulkrunner test \(sequence)"
        let request = StartChangeSetRequest(changeSet: changes, changeSetName: name, clientRequestToken: token)
        return PlannedChangeSet(sequenceNumber: sequence, clientRequestToken: token, changeSetName: name, request: request,
                                rows: planned, targetEntityIds: Array(Set(planned.flatMap(\.targetEntityIds))).sorted(),
                                dependencies: dependencies, wave: dependencies.isEmpty ? 0 : 1)
    }

    func machine(_ sets: [PlannedChangeSet], options: RunOptions = RunOptions(), journal: [JournalRecord] = []) throws -> RunMachine {
        var machine = RunMachine(options: options, identity: "test", journal: JournalIndex(records: journal), now: t0)
        for set in sets { try machine.add(.changeSet(set), now: t0) }
        try machine.finishPlan()
        return machine
    }

    static func submits(_ actions: [MachineAction]) -> [Int] {
        actions.compactMap { if case .submit(let unit, _) = $0 { unit } else { nil } }
    }

    static func records(_ actions: [MachineAction]) -> [JournalRecord] {
        actions.compactMap { if case .journal(let record) = $0 { record } else { nil } }
    }

    @Test func theSendRecordComesBeforeTheFirstAttempt() throws {
        var machine = try machine([Self.set(1, rows: [0, 1])])
        let actions = machine.nextActions(now: t0)
        guard actions.count == 3, case .journal(.run) = actions[0], case .journal(.send(let token, 1, _, [0, 1], let hash, _)) = actions[1],
              case .submit = actions[2] else {
            Issue.record("expected run, send, submit: \(actions)")
            return
        }
        #expect(token == Self.set(1, rows: [0, 1]).clientRequestToken)
        #expect(hash.count == 64)
    }

    @Test func aDependentSetWaitsUntilItsDependencyIsFinal() throws {
        var machine = try machine([Self.set(1, rows: [0]), Self.set(2, rows: [1], entity: { _ in "resaleauthz-0" }, dependencies: [1])])
        #expect(Self.submits(machine.nextActions(now: t0)) == [1])
        machine.handle(.submitted(unit: 1, .accepted(id: "cs-1", arn: nil)), now: t0)
        #expect(Self.submits(machine.nextActions(now: t0)).isEmpty)
        machine.observe(1, status: .applying, failureCode: nil, description: nil, now: t0)
        #expect(Self.submits(machine.nextActions(now: t0)).isEmpty)
        machine.observe(1, status: .succeeded, failureCode: nil, description: nil, now: t0)
        let describe = machine.nextActions(now: t0)
        #expect(describe.contains { if case .describe(1, "cs-1") = $0 { true } else { false } })
        #expect(Self.submits(describe).isEmpty) // final, but its rows are not concluded yet
        machine.handle(.described(unit: 1, .success(DescribeChangeSetResponse(changeSetId: "cs-1", status: .succeeded))), now: t0)
        #expect(Self.submits(machine.nextActions(now: t0)) == [2])
    }

    @Test func tooManyOpenChangeSetsHoldsAllSendingThenResendsTheSameToken() throws {
        var machine = try machine([Self.set(1, rows: [0]), Self.set(2, rows: [1])])
        let first = machine.nextActions(now: t0)
        #expect(Self.submits(first) == [1, 2])
        machine.handle(.submitted(unit: 1, .accepted(id: "cs-1", arn: nil)), now: t0)
        machine.handle(.submitted(unit: 2, .refused(CatalogError(.serviceQuotaExceeded, message: "too many"))), now: t0)
        let held = machine.nextActions(now: t0)
        #expect(Self.submits(held).isEmpty)
        #expect(held.contains { if case .notice(let n) = $0 { n.kind == .backPressure } else { false } })
        let wake = try #require(machine.nextWakeup(now: t0))
        #expect(wake > t0 && wake <= t0.addingTimeInterval(1))
        // Still at most one open (the bound fell to what is open) until set 1 is final.
        #expect(Self.submits(machine.nextActions(now: wake)).isEmpty)
        machine.observe(1, status: .succeeded, failureCode: nil, description: nil, now: wake)
        let again = machine.nextActions(now: wake)
        #expect(Self.submits(again) == [2])
        #expect(!Self.records(again).contains { if case .send = $0 { true } else { false } }) // announced once
    }

    @Test func aLockedEntityDelaysOnlyItsOwnSet() throws {
        var machine = try machine([Self.set(1, rows: [0]), Self.set(2, rows: [1])], options: RunOptions(maxOpenChangeSets: 5))
        _ = machine.nextActions(now: t0)
        machine.handle(.submitted(unit: 1, .refused(CatalogError(.resourceInUse, message: "locked"))), now: t0)
        machine.handle(.submitted(unit: 2, .accepted(id: "cs-2", arn: nil)), now: t0)
        #expect(Self.submits(machine.nextActions(now: t0)).isEmpty)
        let wake = try #require(machine.nextWakeup(now: t0))
        #expect(Self.submits(machine.nextActions(now: wake)) == [1])
    }

    @Test func aRefusedSetIsCutInHalvesAndEachHalfAnnounced() throws {
        var machine = try machine([Self.set(1, rows: [0, 1, 2, 3])])
        _ = machine.nextActions(now: t0)
        machine.handle(.submitted(unit: 1, .refused(CatalogError(.validation, message: "bad"))), now: t0)
        let actions = machine.nextActions(now: t0)
        let records = Self.records(actions)
        guard case .refused(_, "ValidationException", "bad") = records.first,
              case .children(_, .bisect, let sets) = records.dropFirst().first else {
            Issue.record("expected refused then children: \(records)")
            return
        }
        #expect(sets.map(\.rows) == [[0, 1], [2, 3]])
        #expect(Self.submits(actions).count == 2)
        let sends = records.compactMap { if case .send(let token, _, _, let rows, _, _) = $0 { (token, rows) } else { nil } }
        #expect(sends.map(\.1) == [[0, 1], [2, 3]])
        #expect(sends.map(\.0) == sets.map(\.token))
    }

    @Test func aRefusedSingleRowFailsWithTheServiceMessage() throws {
        var machine = try machine([Self.set(1, rows: [7])])
        _ = machine.nextActions(now: t0)
        machine.handle(.submitted(unit: 1, .refused(CatalogError(.resourceNotFound, message: "no such product"))), now: t0)
        let result = try #require(machine.results()[7])
        #expect(result.outcome == .failed)
        #expect(result.errorCode == "ResourceNotFoundException")
        #expect(result.errorMessage == "no such product")
        #expect(result.attempts == 1)
        #expect(machine.isFinished)
    }

    @Test func offersInFlightStayWithinTheLimit() throws {
        let a = Self.set(1, rows: Array(0..<15), type: "Offer@1.0", entity: { "offer-\($0)" })
        let b = Self.set(2, rows: Array(15..<25), type: "Offer@1.0", entity: { "offer-\($0)" })
        var machine = try machine([a, b])
        #expect(Self.submits(machine.nextActions(now: t0)) == [1]) // 15 + 10 > 20
        machine.handle(.submitted(unit: 1, .accepted(id: "cs-1", arn: nil)), now: t0)
        #expect(Self.submits(machine.nextActions(now: t0)).isEmpty)
        machine.observe(1, status: .succeeded, failureCode: nil, description: nil, now: t0)
        #expect(Self.submits(machine.nextActions(now: t0)) == [2])
    }

    @Test func givingUpParksTheSetAndItsRowsStayPending() throws {
        var machine = try machine([Self.set(1, rows: [0])])
        _ = machine.nextActions(now: t0)
        machine.handle(.submitted(unit: 1, .gaveUp(CatalogError(.timeout, message: "no answer"))), now: t0)
        let records = Self.records(machine.nextActions(now: t0))
        #expect(records.contains { if case .parked(_, "NetworkTimeout", _) = $0 { true } else { false } })
        #expect(machine.isFinished)
        let result = try #require(machine.results()[0])
        #expect(result.outcome == .pending)
        #expect(result.errorMessage?.contains("run the same command again") == true)
    }

    @Test func aJournaledSetWithoutAnIdIsLookedForInTheHistoryFirst() throws {
        let set = Self.set(1, rows: [0])
        let journal: [JournalRecord] = [
            .run(identity: "test", startedAt: t0),
            .send(token: set.clientRequestToken, sequence: 1, name: set.changeSetName, rows: [0], hash: set.requestHash, at: t0),
        ]
        var machine = try machine([set], journal: journal)
        let actions = machine.nextActions(now: t0)
        #expect(actions.contains { if case .searchHistory(_, set.changeSetName) = $0 { true } else { false } })
        #expect(Self.submits(actions).isEmpty)
        // Not in the history: the identical request goes again, with the same token, unannounced.
        machine.handle(.history(unit: 1, .success([])), now: t0)
        let resend = machine.nextActions(now: t0)
        guard case .submit(_, let request)? = resend.first(where: { if case .submit = $0 { true } else { false } }) else {
            Issue.record("expected a resend: \(resend)")
            return
        }
        #expect(request.clientRequestToken == set.clientRequestToken)
        #expect(Self.records(resend).isEmpty)
    }

    @Test func aJournaledSetFoundInTheHistoryIsAdoptedNotResent() throws {
        let set = Self.set(1, rows: [0])
        let journal: [JournalRecord] = [
            .run(identity: "test", startedAt: t0),
            .send(token: set.clientRequestToken, sequence: 1, name: set.changeSetName, rows: [0], hash: set.requestHash, at: t0),
        ]
        var machine = try machine([set], journal: journal)
        _ = machine.nextActions(now: t0)
        machine.handle(.history(unit: 1, .success([
            ChangeSetSummaryListItem(changeSetId: "cs-old", changeSetName: set.changeSetName, startTime: "2029-01-01T00:00:00Z", status: .succeeded),
            ChangeSetSummaryListItem(changeSetId: "cs-9", changeSetName: set.changeSetName, startTime: "2030-01-01T00:00:01Z", status: .applying),
        ])), now: t0)
        let actions = machine.nextActions(now: t0)
        #expect(Self.submits(actions).isEmpty)
        #expect(Self.records(actions).contains { if case .accepted(_, "cs-9", _, true, _) = $0 { true } else { false } })
    }

    @Test func aChangedRequestForAJournaledTokenStops() throws {
        let set = Self.set(1, rows: [0])
        let journal: [JournalRecord] = [
            .run(identity: "test", startedAt: t0),
            .send(token: set.clientRequestToken, sequence: 1, name: set.changeSetName, rows: [0], hash: "0000", at: t0),
        ]
        #expect(throws: BulkRunnerError.self) { _ = try machine([set], journal: journal) }
    }
}
