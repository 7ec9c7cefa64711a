import BulkRunnerCLI
import Foundation

// The thin executable: everything lives in BulkRunnerCLI, which the tests import.
let status = await BulkRunnerCLI.main(Array(CommandLine.arguments.dropFirst()), context: .process())
exit(status)
