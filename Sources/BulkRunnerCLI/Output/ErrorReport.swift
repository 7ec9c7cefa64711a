import BulkRunner
import CSVKit

/// How every command reports an error: on standard error, `error: ` once, then the message
/// (a hint may follow on the next lines) — whatever raised it and whichever command it was.
enum ErrorReport {
    /// `message` as reported: with the `error: ` prefix, added unless it is already there.
    static func text(_ message: String) -> String {
        let safe = terminalLines(message)
        return safe.hasPrefix("error: ") ? safe : "error: " + safe
    }

    /// Writes `message` to standard error, after whatever standard output holds so far.
    static func write(_ message: String, context: CLIContext) {
        context.stdout.flush()
        context.stderr.line(text(message))
    }

    /// The message and exit status of an error a command throws: a usage error 2, this
    /// tool's own errors their status, a malformed CSV 65 (66 when it cannot be read), an
    /// API error 69.
    static func describe(_ error: any Error) -> (message: String, status: Int32) {
        switch error {
        case let error as UsageError: (error.description, ExitStatus.usage)
        case let error as BulkRunnerError: (error.description, error.exitStatus)
        case let error as CSVError: (error.description, error.code == .io ? ExitStatus.noInput : ExitStatus.dataError)
        case let error as any ExitStatusError: ("\(error)", error.exitStatus)
        default: ("\(error)", ExitStatus.serviceError)
        }
    }

    /// Reports `error` and returns its exit status.
    static func report(_ error: any Error, context: CLIContext) -> Int32 {
        let (message, status) = describe(error)
        write(message, context: context)
        return status
    }
}
