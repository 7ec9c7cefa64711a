#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CSVKit
import CatalogModels
import Foundation

/// `bulkrunner run … --dry-run`: plans everything, sends nothing.
///
/// Writes each planned change set's exact StartChangeSet body (pretty JSON) to the plan
/// directory (`changeset-000001.json` …, with `changesets.csv` listing each set's name,
/// token, wave, dependencies and input lines) or hands it to a closure (for stdout), and
/// writes the results CSV with every row PLANNED, INVALID, SKIPPED or PENDING.
///
/// Exit statuses for the CLI: ``PlanSummary/exitStatus`` (0 all valid, 1 some INVALID);
/// a thrown ``BulkRunnerError`` carries its own (65 malformed CSV or template, …). When it
/// throws, no output is left behind: plan files written so far are removed and the results
/// file is written last, atomically.
public enum DryRun {
    /// Where the planned change sets go.
    public enum PlanOutput {
        /// Write `changeset-NNNNNN.json` files and `changesets.csv` into this directory
        /// (created if needed; earlier `changeset-*.json` files in it are removed first).
        case directory(URL)
        /// Call this with each set (use ``PlannedChangeSet/prettyJSON`` for its text).
        case handler((PlannedChangeSet) throws(BulkRunnerError) -> Void)
        /// Plan and count, write no sets.
        case none
    }

    /// Plans `input` with `template` and writes the plan and the results file.
    ///
    /// - Parameters:
    ///   - input: the CSV file.
    ///   - template: the template.
    ///   - constants: `--set NAME=VALUE` constants.
    ///   - options: `--strict`, `--rows-per-change-set`, today's date, ….
    ///   - runIdentity: the run identity (tokens and names are those a real run would send).
    ///   - output: where the change sets go.
    ///   - results: the results CSV to write, or `nil`. Must not be the input.
    /// - Returns: the plan's summary.
    /// - Throws: ``BulkRunnerError`` (see ``Planner`` and ``ResultsWriter``).
    @discardableResult
    public static func plan(input: URL, template: Template, constants: [String: String] = [:], options: PlanOptions,
                            runIdentity: RunIdentity, output: PlanOutput, results: URL?) throws(BulkRunnerError) -> PlanSummary {
        if let results { try ResultsWriter.checkOutput(results, isNot: input) }
        let plan = try Planner.analyze(input: input, template: template, constants: constants, options: options,
                                       runIdentity: runIdentity)
        var written: [URL] = []
        do throws(BulkRunnerError) {
            switch output {
            case .directory(let directory):
                written = try writePlan(plan, to: directory)
            case .handler(let handler):
                let sets = try plan.changeSets()
                while let set = try sets.next() { try handler(set) }
            case .none:
                let sets = try plan.changeSets()
                while try sets.next() != nil {}
            }
            if let results { try plan.writeDryRunResults(to: results) }
        } catch {
            for url in written { unlink(url.path) }
            throw error
        }
        return plan.summary
    }

    /// Writes every planned set of `plan` into `directory`; returns the files written.
    static func writePlan(_ plan: Plan, to directory: URL) throws(BulkRunnerError) -> [URL] {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw BulkRunnerError(code: .cannotWrite, file: directory.path, reason: "cannot create the plan directory",
                                  hint: "check the path and permissions")
        }
        if let existing = try? fm.contentsOfDirectory(atPath: directory.path) {
            for name in existing where name.hasPrefix("changeset-") && name.hasSuffix(".json") || name == "changesets.csv" {
                unlink(directory.appendingPathComponent(name).path)
            }
        }
        var written: [URL] = []
        let digits = max(6, String(plan.changeSetCount).count)
        let indexURL = directory.appendingPathComponent("changesets.csv")
        do throws(BulkRunnerError) {
            let index: CSVWriter
            do {
                index = try CSVWriter(path: indexURL.path)
            } catch {
                throw BulkRunnerError(code: .cannotWrite, file: indexURL.path, reason: error.reason, hint: "check permissions")
            }
            written.append(indexURL)
            do {
                try index.write(["ChangeSet", "File", "ChangeSetName", "ClientRequestToken", "Wave", "DependsOn", "Changes", "Lines"])
            } catch {
                throw BulkRunnerError(code: .cannotWrite, file: indexURL.path, reason: error.reason, hint: "check free disk space")
            }
            let sets = try plan.changeSets()
            while let set = try sets.next() {
                let name = "changeset-" + SetBuilder.padded(set.sequenceNumber, digits) + ".json"
                let url = directory.appendingPathComponent(name)
                try writeFile(url, set.prettyJSONBytes())
                written.append(url)
                do {
                    try index.write([String(set.sequenceNumber), name, set.changeSetName, set.clientRequestToken,
                                     String(set.wave), set.dependencies.map(String.init).joined(separator: " "),
                                     String(set.request.changeSet.count),
                                     set.rows.map { String($0.line) }.joined(separator: " ")])
                } catch {
                    throw BulkRunnerError(code: .cannotWrite, file: indexURL.path, reason: error.reason, hint: "check free disk space")
                }
            }
            do {
                try index.close()
            } catch {
                throw BulkRunnerError(code: .cannotWrite, file: indexURL.path, reason: error.reason, hint: "check free disk space")
            }
        } catch {
            for url in written { unlink(url.path) }
            throw error
        }
        return written
    }

    /// Creates (or truncates) `url` and writes `bytes` with one `write(2)`.
    static func writeFile(_ url: URL, _ bytes: [UInt8]) throws(BulkRunnerError) {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw BulkRunnerError(code: .cannotWrite, file: url.path, reason: "cannot create the file: \(String(cString: strerror(errno)))",
                                  hint: "check the plan directory's permissions")
        }
        defer { close(fd) }
        let ok = bytes.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var done = 0
            while done < buffer.count {
                let n = write(fd, base + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                done += n
            }
            return true
        }
        if !ok {
            throw BulkRunnerError(code: .cannotWrite, file: url.path, reason: "cannot write: \(String(cString: strerror(errno)))",
                                  hint: "check free disk space")
        }
    }
}

