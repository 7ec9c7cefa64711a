import CatalogModels
import Foundation

extension RunMachine {
    /// Every row's result now: final ones as concluded, rows never sent NOT_SENT, the others
    /// PENDING with what is known (the open set's id and status); each with what to do.
    func results() -> [Int: RowResult] {
        var out: [Int: RowResult] = [:]
        for (row, state) in rows {
            if let result = state.result {
                out[row] = result
                continue
            }
            let unit = state.unit.flatMap { units[$0] }
            // Never sent in any attempt (not even announced before a kill): NOT_SENT, not
            // PENDING, which says a change set is (or may be) on its way.
            let neverSent = state.attempts == 0 && state.lastChangeSetId == nil && unit?.announced != true
                && [nil, .waiting, .done].contains(unit?.phase)
            var result = RowResult(outcome: neverSent ? .notSent : .pending, changeSetId: unit?.changeSetId ?? state.lastChangeSetId,
                                   changeSetArn: unit?.changeSetArn ?? state.lastChangeSetArn,
                                   changeSetStatus: unit?.status?.rawValue ?? state.lastStatus, attempts: state.attempts)
            result.errorMessage = pendingReason(unit)
            out[row] = result
        }
        return out
    }

    private func pendingReason(_ unit: Unit?) -> String {
        guard let unit else { return "not sent; run the same command again" }
        let again = options.sendsChangeSets ? "run the same command again to resume" : "a status check sends nothing: retry sends it"
        switch unit.phase {
        case .open, .describing:
            return "change set \(unit.changeSetId ?? "") was \(unit.status?.rawValue ?? "open") when the run ended; run the same command again (or check its status) to follow it"
        case .parked:
            return unit.parkedReason ?? "the run gave up on it for now; \(again)"
        case .submitting, .checking, .reconciling:
            return "the run stopped while sending it; \(again)"
        case .waiting, .done:
            if case .halted(let reason) = stopReason { return "not sent: \(reason)" }
            if !options.sendsChangeSets { return unit.announced ? "sent in an earlier run, fate not known yet; run the command again" : "not sent yet; \(again)" }
            switch stopReason {
            case .stopped?, .aborted?: return "not sent: the run was stopped; \(again)"
            case .timedOut?: return "not sent: the wait timeout elapsed while the run waited for open change sets; \(again)"
            default: break
            }
            if !dependenciesDone(unit) {
                let waiting = unit.set.dependencies.filter { (seqLive[$0] ?? 0) > 0 }.map(String.init).joined(separator: ", ")
                return "not sent: it changes the same entity as change set \(waiting) of the plan, which is not final; \(again)"
            }
            return "not sent; \(again)"
        }
    }

    /// The summary of `results`.
    func summary(results: [Int: RowResult], throttles: Int, now: Date) -> RunSummary {
        var counts: [RowOutcome: Int] = [:]
        var errors: [String: Int] = [:]
        for result in results.values {
            counts[result.outcome, default: 0] += 1
            if result.outcome == .failed || result.outcome == .invalid, let code = result.errorCode ?? result.failureCode {
                errors[code, default: 0] += 1
            }
        }
        let top = errors.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5)
            .map { RunSummary.ErrorCount(code: $0.key, rows: $0.value) }
        // PLANNED and STALE never come out of a run; count them as PENDING if given.
        // Counts add up to the rows: outcomes a run does not give (a dry run's, apply's, --strict's) count as not done.
        let pending = (counts[.pending] ?? 0) + (counts[.planned] ?? 0) + (counts[.stale] ?? 0)
        return RunSummary(
            total: results.count, succeeded: counts[.succeeded] ?? 0, failed: counts[.failed] ?? 0,
            invalid: counts[.invalid] ?? 0, pending: pending, notSent: counts[.notSent] ?? 0, cancelled: counts[.cancelled] ?? 0,
            skipped: counts[.skipped] ?? 0, topErrors: Array(top), changeSetsAccepted: counters.accepted,
            splits: counters.splits, resubmissions: counters.resubmissions, existingEntities: counters.existingEntities,
            throttles: throttles, elapsed: now.timeIntervalSince(startedAt), stopReason: stopReason ?? .completed)
    }

    /// A progress snapshot (rates and throttles come from the limiter).
    func progress(now: Date, rowsTotal: Int?, rates: [OperationRate]) -> RunProgress {
        var outcomes: [RowOutcome: Int] = [:]
        var done = 0
        for state in rows.values {
            let outcome = state.result?.outcome ?? .pending
            outcomes[outcome, default: 0] += 1
            if outcome != .pending { done += 1 }
        }
        let known = rows.count
        let elapsed = now.timeIntervalSince(startedAt)
        var eta: Double?
        let total = rowsTotal ?? (planFinished ? known : nil)
        if let total, done > 0, elapsed > 0 {
            eta = max(0, Double(total - done) * elapsed / Double(done))
        }
        let waiting = active.filter { units[$0]?.phase == .waiting }.count
        return RunProgress(rowsKnown: known, rowsTotal: rowsTotal, rowsDone: done, outcomes: outcomes, setsOpen: openCount,
                           setsAccepted: counters.accepted, setsWaiting: waiting, rates: rates,
                           throttles: rates.reduce(0) { $0 + $1.throttles }, elapsed: elapsed, eta: eta)
    }
}
