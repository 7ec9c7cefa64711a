import BulkRunner
import Foundation

/// `bulkrunner templates` and `bulkrunner templates show NAME`: the built-in templates and what they need.
enum TemplatesCommand {
    static var entries: [CommandEntry] {
        [
            CommandEntry(
                spec: CommandSpec(
                    path: ["templates"],
                    summary: "List the built-in templates and the columns each needs.",
                    discussion: """
                        A template is a StartChangeSet body with {{Column}} placeholders. Give a built-in
                        name or your own JSON file to --template of run, grant and restrict.
                        """,
                    examples: ["bulkrunner templates", "bulkrunner templates show grant"]),
                group: "Inspecting"
            ) { _, context in
                context.stdout.write(Template.listing())
                return ExitStatus.success
            },
            CommandEntry(
                spec: CommandSpec(
                    path: ["templates", "show"],
                    summary: "Print a template (built-in or file) and what each of its columns must hold.",
                    positionals: [.init("NAME|FILE", help: "a built-in template name, or a template file")],
                    examples: [
                        "bulkrunner templates show grant",
                        "bulkrunner templates show my-offer-template.json",
                        "bulkrunner templates show restrict > restrict.json   # start your own from a built-in",
                    ]),
                group: "Inspecting"
            ) { parsed, context in
                // An unknown or broken template is reported as every command's errors are (ErrorReport).
                context.stdout.write(try Template.showing(parsed.positional(0) ?? "", relativeTo: context.currentDirectory))
                return ExitStatus.success
            },
        ]
    }
}
