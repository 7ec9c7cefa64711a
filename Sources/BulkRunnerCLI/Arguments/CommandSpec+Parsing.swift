import BulkRunner

/// The arguments of one command line, parsed against its `CommandSpec`.
public struct ParsedArguments: Sendable {
    /// Positional arguments in order.
    public var positionals: [String] = []
    /// Values of options by long name, in the order given.
    public var values: [String: [String]] = [:]
    /// Long names of the switches that were given.
    public var flags: Set<String> = []

    /// Creates an empty result.
    public init() {}

    /// The value of a single-value option, or `nil` when not given.
    public func value(_ name: String) -> String? { values[name]?.last }

    /// Every value of a repeated option, in order.
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Whether a switch was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The positional at `index`, or `nil`.
    public func positional(_ index: Int) -> String? {
        index < positionals.count ? positionals[index] : nil
    }
}

/// A command line that does not fit the command: exit status 2, and the message says what was expected.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and what was expected.
    public var message: String
    /// The usage line of the command concerned, if known.
    public var usage: String?

    /// Creates a usage error.
    public init(_ message: String, usage: String? = nil) {
        self.message = message
        self.usage = usage
    }

    /// The message, then the usage line and where to get help.
    public var description: String {
        var text = "error: \(message)"
        if let usage { text += "\nusage: \(usage)" }
        return text
    }
}

extension CommandSpec {
    /// Parses `arguments` (the words after the command path).
    ///
    /// Accepts `--name value`, `--name=value`, `-x value`, `--` (everything after is
    /// positional) and `-` (a positional meaning standard input). Unknown options,
    /// missing values, repeated single-value options and missing or extra positional
    /// arguments are `UsageError`s that name what was expected.
    public func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if onlyPositionals || word == "-" || !word.hasPrefix("-") {
                result.positionals.append(word)
                continue
            }
            if word == "--" {
                onlyPositionals = true
                continue
            }
            var name: String
            var inlineValue: String?
            if word.hasPrefix("--") {
                name = String(word.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
            } else {
                let letter = word.dropFirst()
                guard letter.count == 1, let option = options.first(where: { $0.short == letter.first }) else {
                    throw unknownOption(word)
                }
                name = option.name
            }
            guard let option = options.first(where: { $0.name == name }) else {
                throw unknownOption(word)
            }
            switch option.kind {
            case .flag:
                if inlineValue != nil {
                    throw UsageError("option --\(name) takes no value", usage: usage)
                }
                result.flags.insert(name)
            case .value, .repeated:
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else if index < arguments.count, !isOptionLike(arguments[index]) {
                    value = arguments[index]
                    index += 1
                } else {
                    throw UsageError("option --\(name) needs a value (\(option.valueName)): \(option.help)", usage: usage)
                }
                if option.kind == .value, let previous = result.values[name]?.first, previous != value {
                    throw UsageError(
                        "option --\(name) was given twice ('\(previous)' and '\(value)'); give it once", usage: usage)
                }
                result.values[name, default: []].append(value)
            }
        }
        let required = positionals.filter { !$0.optional }
        if result.positionals.count < required.count {
            let missing = required[result.positionals.count]
            throw UsageError("missing \(missing.name): \(missing.help)", usage: usage)
        }
        if result.positionals.count > positionals.count {
            let extra = result.positionals[positionals.count]
            let expected = positionals.isEmpty
                ? "\(commandLine) takes no arguments"
                : "\(commandLine) takes \(positionals.map(\.name).joined(separator: " "))"
            throw UsageError("unexpected argument '\(extra)': \(expected)", usage: usage)
        }
        if let missing = options.first(where: { $0.isRequired && result.values[$0.name] == nil && !result.flags.contains($0.name) }) {
            throw UsageError("missing \(missing.usageFragment): \(missing.help)", usage: usage)
        }
        return result
    }

    private func isOptionLike(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word != "-" else { return false }
        // A negative number is a value, not an option.
        return Double(word) == nil
    }

    private func unknownOption(_ word: String) -> UsageError {
        let bare = word.drop { $0 == "-" }.split(separator: "=").first.map(String.init) ?? ""
        let names = options.map(\.name)
        var message = "unknown option '\(word)' for '\(commandLine)'"
        if let guess = closest(to: bare, in: names) {
            message += "; did you mean '--\(guess)'?"
        } else if !names.isEmpty {
            message += "; it accepts " + options.map { "--\($0.name)" }.joined(separator: ", ")
        }
        return UsageError(message, usage: usage)
    }
}

/// The candidate nearest to `word` by edit distance (`Suggest.editDistance`), when it is
/// close enough to be a typo: commands (`grnat` → `grant`) and options (`--dyr-run` → `--dry-run`).
func closest(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, Suggest.editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    let limit = max(1, min(3, best.0.count / 3))
    if best.1 <= limit || (word.count >= 3 && best.0.hasPrefix(word)) { return best.0 }
    return nil
}
