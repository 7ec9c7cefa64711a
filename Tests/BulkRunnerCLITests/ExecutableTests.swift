import Foundation
import Testing
import TestSupport

/// The built `bulkrunner` executable, run as a user runs it.
@Suite("bulkrunner executable")
struct ExecutableTests {
    let binary = BuiltExecutable.url()

    @Test func versionHelpAndUsageErrors() throws {
        let binary = try #require(binary, "bulkrunner is not built beside the tests")
        let version = try runProcess(binary, ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("bulkrunner "))
        let help = try runProcess(binary, ["help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("EXIT STATUS:"))
        let wrong = try runProcess(binary, ["inspect"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("missing FILE"))
    }

    @Test func inspectReadsStandardInput() throws {
        let binary = try #require(binary, "bulkrunner is not built beside the tests")
        let result = try runProcess(binary, ["inspect", "-", "--count"], stdin: Data("a,b\n1,2\n3,4\n".utf8))
        #expect(result.status == 0)
        #expect(result.stdout == "2\n")
    }
}
