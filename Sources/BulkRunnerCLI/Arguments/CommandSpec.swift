/// What a command accepts: its positional arguments, options and help text.
///
/// The parser (`CommandSpec.parse`) and the help renderer (`CommandSpec.help`) both
/// read this one description, so the help can never disagree with what is accepted.
public struct CommandSpec: Sendable {
    /// One option, such as `--output FILE` or `--dry-run`.
    public struct Option: Sendable {
        /// How an option takes values.
        public enum Kind: Sendable, Equatable {
            /// A switch without a value (`--dry-run`).
            case flag
            /// One value (`--output FILE`); giving it twice is a usage error.
            case value
            /// A value that may be given many times (`--set K=V --set K2=V2`).
            case repeated
        }
        /// The long name without dashes (`output`).
        public var name: String
        /// An optional one-letter alias without the dash (`o`).
        public var short: Character?
        /// How it takes values.
        public var kind: Kind
        /// The value's placeholder in help (`FILE`).
        public var valueName: String
        /// One line of help.
        public var help: String
        /// Whether the command cannot run without it: shown without brackets in the usage
        /// line, and its absence is a usage error.
        public var isRequired: Bool

        /// Creates an option.
        public init(_ name: String, short: Character? = nil, kind: Kind = .value, valueName: String = "VALUE",
                    isRequired: Bool = false, help: String) {
            self.name = name
            self.short = short
            self.kind = kind
            self.valueName = valueName
            self.isRequired = isRequired
            self.help = help
        }

        /// A switch.
        public static func flag(_ name: String, short: Character? = nil, help: String) -> Option {
            Option(name, short: short, kind: .flag, help: help)
        }

        /// An option taking one value; `required` when the command cannot run without it.
        public static func value(_ name: String, _ valueName: String, short: Character? = nil, required: Bool = false,
                                 help: String) -> Option {
            Option(name, short: short, kind: .value, valueName: valueName, isRequired: required, help: help)
        }

        /// An option that may be repeated.
        public static func repeated(_ name: String, _ valueName: String, help: String) -> Option {
            Option(name, kind: .repeated, valueName: valueName, help: help)
        }

        var usageFragment: String {
            kind == .flag ? "--\(name)" : "--\(name) \(valueName)"
        }
    }

    /// One positional argument.
    public struct Positional: Sendable {
        /// The placeholder shown in usage (`INPUT.csv`).
        public var name: String
        /// One line of help.
        public var help: String
        /// Whether it may be left out.
        public var optional: Bool

        /// Creates a positional argument.
        public init(_ name: String, help: String, optional: Bool = false) {
            self.name = name
            self.help = help
            self.optional = optional
        }
    }

    /// The words after `bulkrunner` that select the command (`["api", "describe-entity"]`).
    public var path: [String]
    /// One line saying what the command does.
    public var summary: String
    /// Positional arguments in order.
    public var positionals: [Positional]
    /// Options accepted (besides `--help`).
    public var options: [Option]
    /// Longer explanation shown under the summary in help.
    public var discussion: String
    /// Worked examples, one command line each, optionally followed by `  # comment`.
    public var examples: [String]
    /// The usage lines, one per way of calling the command, when the options alone cannot say
    /// which are needed together (`--total … (--end DATE | --count N)` or `--spec SPEC`); empty:
    /// one line made from the positionals and options.
    public var usageForms: [String]

    /// Creates a command description.
    public init(
        path: [String], summary: String, positionals: [Positional] = [], options: [Option] = [],
        discussion: String = "", examples: [String] = [], usageForms: [String] = []
    ) {
        self.path = path
        self.summary = summary
        self.positionals = positionals
        self.options = options
        self.discussion = discussion
        self.examples = examples
        self.usageForms = usageForms
    }

    /// `bulkrunner inspect`: the command as the user types it.
    public var commandLine: String { (["bulkrunner"] + path).joined(separator: " ") }

    /// The usage: `bulkrunner run INPUT.csv --template NAME|FILE [--output FILE] …` — required
    /// positionals and options bare, the others in brackets — or ``usageForms``, one per line
    /// (`   or: ` before each further one).
    public var usage: String {
        if !usageForms.isEmpty { return usageForms.joined(separator: "\n   or: ") }
        var parts = [commandLine]
        for p in positionals { parts.append(p.optional ? "[\(p.name)]" : p.name) }
        for o in options where o.isRequired { parts.append(o.usageFragment) }
        for o in options where !o.isRequired {
            parts.append(o.kind == .repeated ? "[\(o.usageFragment)]…" : "[\(o.usageFragment)]")
        }
        return parts.joined(separator: " ")
    }
}
