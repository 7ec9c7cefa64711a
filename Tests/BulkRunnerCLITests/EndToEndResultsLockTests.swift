import Foundation
import Testing
import TestSupport

/// The same job started twice: the second must not share the first's journal.
@Suite("end to end: one run per results file")
struct EndToEndResultsLockTests {
    @Test func aSecondRunOfTheSameResultsFileIsRefusedWhileTheFirstRuns() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let env = E2E.emulatorEnvironment(home: work.url)
        let arguments = ["grant", "samples/new-partners.csv", "--emulator", "--rows-per-change-set", "1"]
        // One StartChangeSet every 5 s: the first run lasts about a minute.
        let running = try RunningCommand(work, arguments + ["--rate", "StartChangeSet=0.2"], environment: env)
        #expect(await running.waitForStderr(containing: "using the embedded Catalog emulator"), "\(running.stderr)")

        let second = try await work.run(arguments, environment: env)
        try #require(running.process.isRunning, "the first run ended before the second started: \(running.stderr)")
        #expect(second.status == 75, "\(second.transcript)")
        #expect(second.stderr.contains("another bulkrunner (process \(running.process.processIdentifier))"), "\(second.stderr)")
        #expect(second.stderr.contains("--output"), "says how to run both: \(second.stderr)")
        // Another results file is another job: it runs.
        let other = try await work.run(arguments + ["--output", "other.results.csv", "--dry-run"], environment: env)
        #expect(other.status == 0, "\(other.transcript)")

        running.kill()
        _ = try await running.wait()
        // A killed holder blocks nobody: the kernel dropped its lock; the rerun removes the file.
        let rerun = try await work.run(arguments, environment: env)
        #expect(rerun.status == 0, "\(rerun.transcript)")
        #expect(!work.exists("samples/new-partners.results.csv.lock"))
    }
}
