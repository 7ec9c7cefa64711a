/// The list of commands; each command file adds its entry here.
enum CommandRegistry {
    static var all: [CommandEntry] {
        RunCommands.entries + ResultsCommands.entries + ExportCommand.entries + [ApplyCommand.entry, ScheduleCommand.entry, InspectCommand.entry] + TemplatesCommand.entries
            + [EmulatorCommand.entry, VersionCommand.entry] + APICommands.entries
    }
}

/// `bulkrunner version`: prints the version (same as `--version`).
enum VersionCommand {
    static let entry = CommandEntry(
        spec: CommandSpec(path: ["version"], summary: "Print the version.", examples: ["bulkrunner version"]),
        group: "Inspecting"
    ) { _, context in
        context.stdout.line("bulkrunner \(BulkRunnerCLI.version)")
        return ExitStatus.success
    }
}
