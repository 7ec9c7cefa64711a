import Foundation
import Testing
import BulkRunner
@testable import BulkRunnerCLI

@Suite("Argument parsing")
struct ArgumentParsingTests {
    let spec = CommandSpec(
        path: ["run"], summary: "Run a job.",
        positionals: [.init("INPUT.csv", help: "the rows")],
        options: [
            .value("template", "NAME|FILE", short: "t", help: "the template"),
            .repeated("set", "K=V", help: "a constant"),
            .flag("dry-run", help: "send nothing"),
            .value("rows-per-change-set", "N", help: "rows per set"),
        ],
        examples: ["bulkrunner run partners.csv --template grant"]
    )

    @Test func acceptsEveryForm() throws {
        let parsed = try spec.parse(["in.csv", "-t", "grant", "--set", "A=1", "--set=B=2", "--dry-run", "--rows-per-change-set=-1"])
        #expect(parsed.positionals == ["in.csv"])
        #expect(parsed.value("template") == "grant")
        #expect(parsed.all("set") == ["A=1", "B=2"])
        #expect(parsed.flag("dry-run"))
        #expect(parsed.value("rows-per-change-set") == "-1")
    }

    @Test func dashIsStandardInputAndDoubleDashEndsOptions() throws {
        let parsed = try spec.parse(["--", "--weird-name.csv"])
        #expect(parsed.positionals == ["--weird-name.csv"])
        #expect(try spec.parse(["-"]).positionals == ["-"])
    }

    @Test func unknownOptionSuggestsTheClosest() {
        #expect {
            try spec.parse(["in.csv", "--templat", "x"])
        } throws: { error in
            "\(error)".contains("unknown option '--templat'") && "\(error)".contains("did you mean '--template'")
        }
    }

    @Test func missingValueNamesWhatIsExpected() {
        #expect {
            try spec.parse(["in.csv", "--template"])
        } throws: { error in
            "\(error)".contains("--template needs a value (NAME|FILE)")
        }
        #expect {
            try spec.parse(["in.csv", "--template", "--dry-run"])
        } throws: { error in
            "\(error)".contains("--template needs a value")
        }
    }

    @Test func missingAndExtraPositionals() {
        #expect {
            try spec.parse(["--dry-run"])
        } throws: { error in
            "\(error)".contains("missing INPUT.csv")
        }
        #expect {
            try spec.parse(["a.csv", "b.csv"])
        } throws: { error in
            "\(error)".contains("unexpected argument 'b.csv'")
        }
    }

    @Test func singleValueOptionTwiceIsAnError() {
        #expect {
            try spec.parse(["a.csv", "-t", "x", "--template", "y"])
        } throws: { error in
            "\(error)".contains("given twice")
        }
    }

    @Test func flagWithValueIsAnError() {
        #expect(throws: UsageError.self) { try spec.parse(["a.csv", "--dry-run=yes"]) }
    }

    @Test func helpListsEveryOptionExampleAndExitStatus() {
        let help = spec.help()
        for needle in ["USAGE: bulkrunner run INPUT.csv", "--template NAME|FILE", "--set K=V", "--dry-run",
                       "EXAMPLES:", "bulkrunner run partners.csv --template grant", "EXIT STATUS:", "65"] {
            #expect(help.contains(needle), "help lacks \(needle)")
        }
    }

    @Test func requiredOptionsAreBareInTheUsageAndEnforced() {
        let withRequired = CommandSpec(
            path: ["run"], summary: "Run a job.", positionals: [.init("INPUT.csv", help: "the rows")],
            options: [.flag("dry-run", help: "send nothing"), .value("template", "NAME|FILE", short: "t", required: true, help: "the template")])
        #expect(withRequired.usage == "bulkrunner run INPUT.csv --template NAME|FILE [--dry-run]")
        #expect {
            try withRequired.parse(["in.csv", "--dry-run"])
        } throws: { error in
            "\(error)".contains("missing --template NAME|FILE: the template")
        }
        #expect {
            try withRequired.parse(["--template", "grant"])
        } throws: { error in
            "\(error)".contains("missing INPUT.csv")  // a missing positional is named first
        }
        #expect((try? withRequired.parse(["in.csv", "-t", "grant"]))?.value("template") == "grant")
        #expect(spec.usage.hasPrefix("bulkrunner run INPUT.csv [--template NAME|FILE]"), "optional options stay in brackets")
        let forms = CommandSpec(path: ["schedule"], summary: "", usageForms: ["bulkrunner schedule --total N", "bulkrunner schedule --spec S"])
        #expect(forms.usage == "bulkrunner schedule --total N\n   or: bulkrunner schedule --spec S")
    }

    @Test func editDistanceSuggestions() {
        #expect(closest(to: "templte", in: ["template", "output"]) == "template")
        #expect(closest(to: "zzzzzz", in: ["template", "output"]) == nil)
    }

    @Test func swappedLettersCostOne() {
        #expect(Suggest.editDistance("grnat", "grant") == 1)
        #expect(Suggest.editDistance("qiuet", "quiet") == 1)
        #expect(Suggest.editDistance("ab", "ba") == 1)
        #expect(Suggest.editDistance("ca", "abc") == 3, "optimal string alignment: no edit of a transposed pair")
        #expect(Suggest.editDistance("kitten", "sitting") == 3)
        #expect(Suggest.editDistance("", "abc") == 3 && Suggest.editDistance("abc", "") == 3 && Suggest.editDistance("same", "same") == 0)
        #expect(closest(to: "grnat", in: BulkRunnerCLI.commands.map { $0.spec.path.joined(separator: " ") }) == "grant")
        #expect(closest(to: "qiuet", in: ["quiet", "output", "emulator"]) == "quiet")
        #expect(closest(to: "rtery", in: ["retry", "restrict", "run"]) == "retry")
    }
}

@Suite("Command dispatch")
struct CommandDispatchTests {
    func run(_ args: [String]) async -> (Int32, String, String) {
        let result = await runCLI(args)
        return (result.status, result.stdout, result.stderr)
    }

    @Test func versionAndHelp() async {
        let (status, out, _) = await run(["--version"])
        #expect(status == 0)
        #expect(out == "bulkrunner \(BulkRunnerCLI.version)\n")
        let (helpStatus, help, _) = await run(["help"])
        #expect(helpStatus == 0)
        #expect(help.contains("USAGE: bulkrunner COMMAND"))
    }

    @Test func unknownCommandIsAUsageErrorWithASuggestion() async {
        let (status, _, err) = await run(["versoin"])
        #expect(status == 2)
        #expect(err.contains("unknown command 'versoin'"))
        #expect(err.contains("did you mean 'bulkrunner version'"))
    }

    @Test func aGroupAskedForHelpListsItsSubcommands() async {
        for words in [["export", "--help"], ["help", "export"], ["api", "-h"]] {
            let (status, out, _) = await run(words)
            #expect(status == 0, "\(words)")
            #expect(out.contains("has these subcommands"), "\(words)")
        }
        let (status, _, err) = await run(["export"])
        #expect(status == 2)
        #expect(err.contains("needs a subcommand"))
    }

    @Test func unknownOptionIsExit2() async {
        let (status, _, err) = await run(["version", "--bogus"])
        #expect(status == 2)
        #expect(err.contains("unknown option '--bogus'"))
    }

    @Test func everyCommandHasHelpWithAnExample() async {
        for command in BulkRunnerCLI.commands {
            let (status, out, _) = await run(command.spec.path + ["--help"])
            #expect(status == 0)
            #expect(out.contains("USAGE: \(command.spec.commandLine)"))
            #expect(!command.spec.examples.isEmpty, "\(command.spec.commandLine) has no example")
        }
    }
}
