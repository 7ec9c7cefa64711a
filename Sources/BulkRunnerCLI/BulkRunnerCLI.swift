import Foundation

/// A command the tool offers: what it accepts, and what it does.
public struct CommandEntry: Sendable {
    /// What the command accepts and its help.
    public var spec: CommandSpec
    /// The group it is listed under in `bulkrunner help`.
    public var group: String
    /// Runs the command; returns the exit status.
    public var run: @Sendable (ParsedArguments, CLIContext) async throws -> Int32

    /// Creates an entry.
    public init(
        spec: CommandSpec, group: String,
        run: @escaping @Sendable (ParsedArguments, CLIContext) async throws -> Int32
    ) {
        self.spec = spec
        self.group = group
        self.run = run
    }
}

/// An error that knows the exit status it stands for and how to present itself.
public protocol ExitStatusError: Error {
    /// The process exit status.
    var exitStatus: Int32 { get }
}

/// The `bulkrunner` command line: finds the command, parses its arguments, runs it, maps errors to exit statuses.
public enum BulkRunnerCLI {
    /// The tool's version.
    public static let version = "0.1.0"

    /// The groups in the order `bulkrunner help` lists them.
    static let groups = ["Daily jobs", "Spreadsheets", "Inspecting", "Emulator", "Raw API"]

    /// Every command, in help order.
    public static var commands: [CommandEntry] {
        CommandRegistry.all
    }

    /// Runs one command line (without the program name) and returns the exit status.
    public static func main(_ arguments: [String], context: CLIContext) async -> Int32 {
        defer {
            context.stdout.flush()
            context.stderr.flush()
        }
        if arguments.isEmpty || arguments == ["help"] || arguments == ["--help"] || arguments == ["-h"] {
            context.stdout.write(overview())
            return ExitStatus.success
        }
        if arguments == ["--version"] || arguments == ["version"] {
            context.stdout.line("bulkrunner \(version)")
            return ExitStatus.success
        }
        var words = arguments
        var helpRequested = false
        if words.first == "help" {
            words.removeFirst()
            helpRequested = true
        }
        // Longest command path that matches the leading words.
        let match = commands
            .filter { $0.spec.path.count <= words.count && Array(words.prefix($0.spec.path.count)) == $0.spec.path }
            .max { $0.spec.path.count < $1.spec.path.count }
        guard let command = match else {
            return unknownCommand(words, context: context, asked: helpRequested)
        }
        let rest = Array(words.dropFirst(command.spec.path.count))
        if helpRequested || rest.contains("--help") || rest.contains("-h") {
            context.stdout.write(command.spec.help())
            return ExitStatus.success
        }
        do {
            let parsed = try command.spec.parse(rest)
            return try await command.run(parsed, context)
        } catch {
            // Every command's errors, reported one way (see ErrorReport).
            let status = ErrorReport.report(error, context: context)
            if error is UsageError {
                context.stderr.line("Run '\(command.spec.commandLine) --help' for details and examples.")
            }
            return status
        }
    }

    private static func unknownCommand(_ words: [String], context: CLIContext, asked: Bool = false) -> Int32 {
        let first = words.first ?? ""
        // A command group given alone (`bulkrunner api`): list its subcommands.
        let sub = commands.filter { $0.spec.path.first == first && $0.spec.path.count > 1 }
        // A group asked for help (`bulkrunner export --help`, `bulkrunner help export`): list it.
        if !sub.isEmpty && (words.dropFirst().allSatisfy { $0 == "--help" || $0 == "-h" }) && (words.count > 1 || asked) {
            context.stdout.line("'bulkrunner \(first)' has these subcommands:")
            for entry in sub {
                context.stdout.line("  \(entry.spec.commandLine.padded(44))\(entry.spec.summary)")
            }
            context.stdout.line("Run 'bulkrunner \(first) SUBCOMMAND --help' for its options and examples.")
            return ExitStatus.success
        }
        if !sub.isEmpty && words.count == 1 {
            ErrorReport.write("'\(first)' needs a subcommand:", context: context)
            for entry in sub {
                context.stderr.line("  \(entry.spec.commandLine.padded(44))\(entry.spec.summary)")
            }
            return ExitStatus.usage
        }
        var message = "unknown command '\(sub.isEmpty ? first : words.prefix(2).joined(separator: " "))'"
        let names = Set(commands.map { $0.spec.path.joined(separator: " ") })
        let candidate = sub.isEmpty ? first : words.prefix(2).joined(separator: " ")
        if let guess = closest(to: candidate, in: Array(names)) {
            message += "; did you mean 'bulkrunner \(guess)'?"
        }
        ErrorReport.write(message, context: context)
        context.stderr.line("Run 'bulkrunner help' to list the commands.")
        return ExitStatus.usage
    }

    /// The text of `bulkrunner help`.
    public static func overview() -> String {
        var lines = [
            "bulkrunner \(version): bulk jobs against the AWS Marketplace Catalog API from a spreadsheet.",
            "",
            "USAGE: bulkrunner COMMAND [ARGUMENTS] [OPTIONS]",
        ]
        for group in groups {
            let entries = commands.filter { $0.group == group }
            guard !entries.isEmpty else { continue }
            lines.append("")
            lines.append("\(group.uppercased()):")
            for entry in entries {
                let name = entry.spec.path.joined(separator: " ")
                lines.append("  " + name.padded(32) + entry.spec.summary)
            }
        }
        lines.append("")
        lines.append("Run 'bulkrunner help COMMAND' or 'bulkrunner COMMAND --help' for its options and examples.")
        lines.append("")
        lines.append("EXIT STATUS:")
        for (code, meaning) in ExitStatus.documented {
            lines.append("  " + String(code).padded(4) + meaning)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
