import BulkRunner
import CatalogModels
import Foundation

/// What a job prints while it runs: a live progress line on a terminal (a plain line every
/// few seconds otherwise), notices, errors, and the closing summary with what to do next.
///
/// `--quiet` keeps only errors; `--log-format json` writes one JSON object per event on
/// standard error instead of text, for machines.
final class JobOutput: @unchecked Sendable {
    private let context: CLIContext
    private let quiet: Bool
    private let json: Bool
    private let lock = NSLock()
    private var liveLineShown = false
    private var lastPlainLine: Date = .distantPast
    private let plainInterval: TimeInterval = 5

    init(context: CLIContext, quiet: Bool, json: Bool) {
        self.context = context
        self.quiet = quiet
        self.json = json
    }

    private var stderr: OutputSink { context.stderr }

    /// An error: always shown.
    func error(_ message: String) {
        lock.withLock {
            clearLiveLine()
            if json {
                stderr.line(jsonLine(["event": "error", "message": .string(message)]))
            } else {
                stderr.line(ErrorReport.text(message))
            }
            stderr.flush()
        }
    }

    /// An informational line (not with --quiet).
    func info(_ message: String) {
        guard !quiet else { return }
        lock.withLock {
            clearLiveLine()
            if json {
                stderr.line(jsonLine(["event": "info", "message": .string(message)]))
            } else {
                stderr.line(terminalLines(message))
            }
            stderr.flush()
        }
    }

    /// What a dry run says about one change set it prints on standard output: which input
    /// lines it carries and its token (not with --quiet). `note` adds when it would be sent
    /// (apply's second wave).
    func plannedChangeSet(number: Int, name: String, lines: [Int], token: String, note: String? = nil) {
        guard !quiet else { return }
        lock.withLock {
            clearLiveLine()
            if json {
                var fields: [String: JSONValue] = ["event": "changeSet", "number": .int(number), "name": .string(name),
                                                   "lines": .array(lines.map { .int($0) }), "token": .string(token)]
                if let note { fields["note"] = .string(note) }
                stderr.line(jsonLine(fields))
            } else {
                let carried = lines.isEmpty ? "" : ", line\(lines.count == 1 ? "" : "s") \(lines.map(String.init).joined(separator: ", "))"
                stderr.line("change set \(number)\(note.map { " (\($0))" } ?? ""): \(name)\(carried), token \(token)")
            }
            stderr.flush()
        }
    }

    /// An engine event.
    func event(_ event: RunEvent) {
        lock.withLock {
            switch event {
            case .notice(let notice):
                if json {
                    // Rows as 1-based data row numbers, as everywhere the user sees them.
                    stderr.line(jsonLine(["event": "notice", "kind": .string(notice.kind.rawValue), "message": .string(notice.message),
                                          "rows": .array(notice.rows.map { .int($0 + 1) })]))
                } else if !quiet {
                    clearLiveLine()
                    stderr.line(notice.message)
                }
            case .progress(let progress):
                if json {
                    var fields: [String: JSONValue] = [
                        "event": "progress", "rowsDone": .int(progress.rowsDone),
                        "rowsTotal": progress.rowsTotal.map { .int($0) } ?? .null, "rowsKnown": .int(progress.rowsKnown),
                        "setsOpen": .int(progress.setsOpen), "throttles": .int(progress.throttles),
                        "elapsed": .decimal(progress.elapsed, digits: 1),
                    ]
                    if let eta = progress.eta { fields["eta"] = .decimal(eta, digits: 1) }
                    for rate in progress.rates { fields["rate.\(rate.operation.name)"] = .decimal(rate.perSecond, digits: 2) }
                    stderr.line(jsonLine(fields))
                } else if !quiet {
                    let text = line(for: progress)
                    if stderr.isTerminal {
                        stderr.write("\r\u{1B}[K" + text)
                        liveLineShown = true
                    } else if Date().timeIntervalSince(lastPlainLine) >= plainInterval {
                        stderr.line(text)
                        lastPlainLine = Date()
                    }
                }
            }
            stderr.flush()
        }
    }

    /// Ends the live line so that what follows starts on a line of its own.
    func finishProgress() {
        lock.withLock { clearLiveLine() }
    }

    private func clearLiveLine() {
        if liveLineShown {
            stderr.write("\r\u{1B}[K")
            liveLineShown = false
        }
    }

    /// `120/400 rows · 12 sets open · StartChangeSet 4.9/5 per s · 0 throttles · 0:42 elapsed · ETA 1:10`.
    func line(for progress: RunProgress) -> String {
        var parts: [String] = []
        let total = progress.rowsTotal.map(String.init) ?? "\(progress.rowsKnown)+"
        parts.append("\(progress.rowsDone)/\(total) \(Plural.word(progress.rowsTotal ?? progress.rowsKnown, "row")) done")
        parts.append("\(Plural.count(progress.setsOpen, "change set")) open")
        if let start = progress.rates.first(where: { $0.operation == .startChangeSet }) {
            parts.append(String(format: "StartChangeSet %.1f/%.0f per s", start.perSecond, start.quota))
        }
        parts.append(Plural.count(progress.throttles, "throttle"))
        parts.append(clock(progress.elapsed) + " elapsed")
        if let eta = progress.eta { parts.append("ETA " + clock(eta)) }
        return parts.joined(separator: " · ")
    }

    private func clock(_ seconds: Double) -> String { elapsedClock(seconds) }

    /// The closing summary: counts that add up to the input rows, the top error codes, next steps.
    func summary(_ summary: RunSummary, results: String, command: String) {
        if json {
            lock.withLock {
                stderr.line(jsonLine([
                    "event": "summary", "rows": .int(summary.total), "succeeded": .int(summary.succeeded),
                    "failed": .int(summary.failed), "invalid": .int(summary.invalid), "pending": .int(summary.pending),
                    "notSent": .int(summary.notSent),
                    "cancelled": .int(summary.cancelled), "skipped": .int(summary.skipped), "results": .string(results),
                    "elapsed": .decimal(summary.elapsed, digits: 1), "allDone": .bool(summary.allDone),
                ]))
                stderr.flush()
            }
            return
        }
        guard !quiet else { return }
        var lines: [String] = []
        lines.append("")
        lines.append("\(Plural.count(summary.total, "row")) in \(clock(summary.elapsed)):")
        for (count, name) in [(summary.succeeded, "SUCCEEDED"), (summary.failed, "FAILED"), (summary.invalid, "INVALID"),
                              (summary.pending, "PENDING"), (summary.notSent, "NOT_SENT"), (summary.cancelled, "CANCELLED"),
                              (summary.skipped, "SKIPPED")] where count > 0 || name != "NOT_SENT" {
            lines.append("  " + String(count).leftPadded(7) + "  " + name)
        }
        if !summary.topErrors.isEmpty {
            lines.append("Top errors:")
            for error in summary.topErrors.prefix(5) {
                lines.append("  " + String(error.rows).leftPadded(7) + "  " + error.code)
            }
        }
        if summary.throttles > 0 || summary.splits > 0 || summary.resubmissions > 0 || summary.existingEntities > 0 {
            lines.append("Along the way: \(Plural.count(summary.changeSetsAccepted, "change set")) accepted, \(summary.splits) split to isolate a bad row, "
                         + "\(summary.resubmissions) resubmitted after a server fault, \(Plural.count(summary.existingEntities, "entity", "entities")) found already created, "
                         + "\(Plural.count(summary.throttles, "throttle")).")
        }
        lines.append("Results: \(results)")
        var next: [String] = []
        if summary.invalid > 0 {
            next.append("INVALID rows were not sent: fix the cells named in ErrorMessage, then `bulkrunner retry \(shellWord(results))`.")
        }
        if summary.failed > 0 {
            next.append("FAILED rows were refused by the service (ErrorCode/ErrorMessage say why): fix them, then `bulkrunner retry \(shellWord(results))`.")
        }
        let quoted = shellWord(results)
        if summary.pending > 0, case .completed = summary.stopReason {
            next.append("PENDING rows are not final yet: `bulkrunner status \(quoted)` checks them again later (it sends nothing).")
        } else if summary.pending > 0, case .halted = summary.stopReason {
            next.append("PENDING rows are not final yet: `bulkrunner status \(quoted)` checks them again later (it sends nothing).")
        }
        if summary.notSent > 0 {
            switch summary.stopReason {
            case .stopped, .aborted: break  // said below: the same command resumes
            default:
                next.append("NOT_SENT rows are valid but were never sent: run the same command again (or `bulkrunner retry \(quoted)`) to send them.")
            }
        }
        if summary.cancelled > 0 {
            next.append("CANCELLED rows were not applied: `bulkrunner retry \(quoted)` sends them again.")
        }
        switch summary.stopReason {
        case .stopped, .aborted:
            next.append("The run was interrupted: run the same command again to resume (nothing is sent twice).")
        case .halted(let reason):
            next.append("Sending stopped: \(reason)")
        case .timedOut:
            next.append("--wait-timeout elapsed (that long without a change set sent or finished), so the run stopped waiting: "
                        + "its open change sets go on at the service (nothing was cancelled) and their rows are PENDING; "
                        + "`bulkrunner status \(quoted)` follows them to the end.")
        case .completed:
            break
        }
        if next.isEmpty { next.append("Every row is done.") }
        lines.append("Next:")
        lines.append(contentsOf: next.map { "  - " + $0 })
        lock.withLock {
            clearLiveLine()
            for line in lines { stderr.line(line) }
            stderr.flush()
        }
    }

    /// One event as a JSON object on one line, keys sorted: counts, rates and seconds are JSON
    /// numbers, flags booleans, a missing value null.
    private func jsonLine(_ fields: [String: JSONValue]) -> String {
        JSONValue.object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })).compactString
    }
}

/// A duration as `M:SS`, or `H:MM:SS` from an hour on.
func elapsedClock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
}

extension String {
    /// The string padded with spaces on the left to at least `width` characters.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// The write end of the self-pipe the signal handler writes to (set before handlers are installed).
private nonisolated(unsafe) var interruptPipeWriteFD: Int32 = -1

/// The SIGINT/SIGTERM handler: async-signal-safe, it only writes one byte to the pipe.
private func recordInterrupt(_ number: Int32) {
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(interruptPipeWriteFD, &byte, 1)
}

/// Ctrl-C: the first asks the run to stop sending and wait for open change sets; the second
/// stops at once. Either way the journal makes the same command resume.
///
/// A plain signal handler writes to a pipe that a thread reads (the self-pipe pattern):
/// unlike a dispatch source on an ignored signal, no signal is lost while the process is busy.
final class InterruptHandler: @unchecked Sendable {
    private let control: RunControl
    private let out: JobOutput
    private var readFD: Int32 = -1
    private var writeFD: Int32 = -1
    private var count = 0
    private let lock = NSLock()

    init(control: RunControl, out: JobOutput) {
        self.control = control
        self.out = out
    }

    func install() {
        var fds: [Int32] = [-1, -1]
        guard fds.withUnsafeMutableBufferPointer({ pipe($0.baseAddress!) }) == 0 else { return }
        readFD = fds[0]
        writeFD = fds[1]
        interruptPipeWriteFD = writeFD
        signal(SIGINT, recordInterrupt)
        signal(SIGTERM, recordInterrupt)
        let fd = readFD
        let thread = Thread { [weak self] in
            var byte: UInt8 = 0
            while true {
                let n = read(fd, &byte, 1)
                if n == 1 {
                    if byte == 0 { return }  // uninstall
                    self?.interrupted()
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        thread.start()
    }

    func uninstall() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        guard writeFD >= 0 else { return }
        var stop: UInt8 = 0
        _ = write(writeFD, &stop, 1)
    }

    private func interrupted() {
        let n = lock.withLock { () -> Int in
            count += 1
            return count
        }
        if n == 1 {
            control.requestStop()
        } else {
            control.requestAbort()
        }
    }
}

extension JSONValue {
    /// A whole number.
    static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    /// A number rounded to `digits` decimals (`2.5`, `4.90`), or null when it is not finite.
    static func decimal(_ value: Double, digits: Int) -> JSONValue {
        guard value.isFinite, let number = JSONNumber(text: String(format: "%.\(digits)f", value)) else { return .null }
        return .number(number)
    }
}

/// `text` as one shell word a user can paste: as is when it holds only safe characters, else
/// in single quotes (`'my results.csv'`).
func shellWord(_ text: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
    if !text.isEmpty && text.allSatisfy({ safe.contains($0) }) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
