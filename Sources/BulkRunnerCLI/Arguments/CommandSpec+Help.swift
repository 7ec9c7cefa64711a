extension CommandSpec {
    /// The full help text: usage, summary, discussion, arguments, options, examples, exit statuses.
    public func help(exitStatuses: [(Int32, String)] = ExitStatus.documented) -> String {
        var lines: [String] = []
        lines.append("USAGE: \(usage)")
        lines.append("")
        lines.append(summary)
        if !discussion.isEmpty {
            lines.append("")
            lines.append(contentsOf: discussion.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        }
        if !positionals.isEmpty {
            lines.append("")
            lines.append("ARGUMENTS:")
            let width = positionals.map(\.name.count).max() ?? 0
            for p in positionals {
                lines.append("  " + p.name.padded(width + 2) + p.help)
            }
        }
        lines.append("")
        lines.append("OPTIONS:")
        let entries = options.map { option -> (String, String) in
            var left = option.short.map { "-\($0), " } ?? ""
            left += option.usageFragment
            if option.kind == .repeated { left += " …" }
            return (left, option.help)
        } + [("-h, --help", "Show this help.")]
        let width = min(entries.map(\.0.count).max() ?? 0, 30)
        for (left, text) in entries {
            if left.count > width {
                lines.append("  \(left)")
                lines.append("  " + String(repeating: " ", count: width + 2) + text)
            } else {
                lines.append("  " + left.padded(width + 2) + text)
            }
        }
        if !examples.isEmpty {
            lines.append("")
            lines.append("EXAMPLES:")
            for example in examples { lines.append("  \(example)") }
        }
        if !exitStatuses.isEmpty {
            lines.append("")
            lines.append("EXIT STATUS:")
            for (code, meaning) in exitStatuses {
                lines.append("  " + String(code).padded(4) + meaning)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The string padded with spaces on the right to at least `width` characters.
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
