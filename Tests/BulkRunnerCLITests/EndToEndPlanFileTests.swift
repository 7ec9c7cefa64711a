import Foundation
import Testing
import TestSupport

/// A dry run's plan file is not a results file: nothing built on it may send its rows again.
@Suite("end to end: a dry run's plan is not results")
struct EndToEndPlanFileTests {
    @Test func retryAndStatusRefuseADryRunsPlan() async throws {
        let work = try Workspace()
        defer { work.remove() }
        let dry = try await work.run(["grant", "samples/new-partners.csv", "--dry-run", "--quiet"])
        #expect(dry.status == 0, "\(dry.transcript)")
        #expect(work.exists("samples/new-partners.plan.csv"))
        for command in ["retry", "status"] {
            let result = try await work.run([command, "samples/new-partners.plan.csv", "--template", "grant", "--emulator"])
            #expect(result.status == 2, "\(result.transcript)")
            #expect(result.stderr.contains("is a dry run's plan"), "\(result.stderr)")
            #expect(!result.stderr.contains("using the embedded Catalog emulator"), "stopped before connecting")
        }
        let plan = try work.table("samples/new-partners.plan.csv")
        #expect(plan.column("Outcome").allSatisfy { $0 == "PLANNED" }, "the plan file is left as it was")
    }
}
