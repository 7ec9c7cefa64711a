import Foundation
@testable import BulkRunnerCLI

/// Runs one command line in memory and returns its exit status and outputs.
func runCLI(_ arguments: [String], in directory: URL = URL(fileURLWithPath: "/tmp"),
            environment: [String: String] = [:]) async -> (status: Int32, stdout: String, stderr: String) {
    let out = OutputSink(capturingAsTerminal: false)
    let err = OutputSink(capturingAsTerminal: false)
    let context = CLIContext(environment: environment, currentDirectory: directory, stdout: out, stderr: err)
    let status = await BulkRunnerCLI.main(arguments, context: context)
    return (status, out.text, err.text)
}
