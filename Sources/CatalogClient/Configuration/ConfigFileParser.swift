import Foundation

/// Where a setting was read: a file and a 1-based line.
struct ConfigLocation: Sendable, Equatable, CustomStringConvertible {
    var path: String
    var line: Int
    var description: String { "\(path):\(line)" }
}

/// One `key = value` of a config or credentials file.
///
/// A key with an empty value followed by indented `name = value` lines (`s3 =`,
/// `marketplace_catalog =`) holds those lines as `subProperties`.
struct ConfigProperty: Sendable, Equatable {
    var value: String
    var subProperties: [String: String] = [:]
    var location: ConfigLocation
}

/// The kind of section a `[header]` opens.
enum ConfigSectionName: Hashable, Sendable {
    /// A profile: `[name]` in the credentials file; `[profile name]` or `[default]` in the config file.
    case profile(String)
    /// `[services name]` in the config file: endpoint settings shared by profiles.
    case services(String)
    /// Anything else (`[sso-session x]`, a config-file section without `profile `): kept, unused.
    case other(String)
}

/// One `[section]` with its properties; sections of the same name are merged by the caller.
struct ConfigSection: Sendable, Equatable {
    var name: ConfigSectionName
    /// Whether a config-file `[default]` was written `[profile default]` (that spelling wins).
    var explicitProfileKeyword = false
    var properties: [String: ConfigProperty] = [:]
}

/// Parses the INI dialect of the AWS shared `config` and `credentials` files.
///
/// Follows the AWS SDKs and Tools reference guide, "Shared config and credentials
/// files" (format section): `#` and `;` start comment lines and, after whitespace,
/// comments at the end of a value; property names are case-insensitive (stored lower
/// case); an indented line continues the value above it, or, under a key with an
/// empty value (`s3 =`), is a `name = value` sub-property. Anything else that is not
/// a section header, a property or a continuation is an error with its line number,
/// as in the SDKs. The parser does no file access and keeps no secrets beyond the
/// returned values.
enum ConfigFileParser {
    /// Which file is being read: the header syntax differs.
    enum FileKind: Sendable { case config, credentials }

    /// Parses `text`, read from `path` (used only in error messages and locations).
    static func parse(_ text: String, path: String, kind: FileKind) throws -> [ConfigSection] {
        var sections: [ConfigSection] = []
        var lastKey: String?
        // "\r\n" is a single Character in Swift: split on it as well as on "\n" and "\r".
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (index, rawLine) in lines.enumerated() {
            let lineNumber = index + 1
            var line = Substring(rawLine)
            if index == 0, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }

            if let first = line.first, first == " " || first == "\t" {
                // Continuation of the property above, or a sub-property under an empty one.
                guard !sections.isEmpty, let key = lastKey, var property = sections[sections.count - 1].properties[key] else {
                    throw CatalogClientError.malformedConfigFile(
                        path, line: lineNumber, "an indented line must follow a property (`key = value`)")
                }
                if property.value.isEmpty {
                    let content = stripInlineComment(trimmed)
                    guard let equals = content.firstIndex(of: "=") else {
                        throw CatalogClientError.malformedConfigFile(
                            path, line: lineNumber, "expected `name = value` under `\(key) =`")
                    }
                    let subKey = content[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
                    guard !subKey.isEmpty else {
                        throw CatalogClientError.malformedConfigFile(path, line: lineNumber, "a sub-property has no name before `=`")
                    }
                    property.subProperties[subKey] = content[content.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                } else {
                    property.value += "\n" + stripInlineComment(trimmed)
                }
                sections[sections.count - 1].properties[key] = property
                continue
            }

            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else {
                    throw CatalogClientError.malformedConfigFile(path, line: lineNumber, "a section header is missing its closing `]`")
                }
                let rest = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
                guard rest.isEmpty || rest.hasPrefix("#") || rest.hasPrefix(";") else {
                    throw CatalogClientError.malformedConfigFile(path, line: lineNumber, "unexpected text after the section header")
                }
                let inner = line[line.index(after: line.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                var section = ConfigSection(name: sectionName(inner, kind: kind))
                if kind == .config, case .profile("default") = section.name, inner != "default" { section.explicitProfileKeyword = true }
                sections.append(section)
                lastKey = nil
                continue
            }

            guard !sections.isEmpty else {
                throw CatalogClientError.malformedConfigFile(
                    path, line: lineNumber, "a property appears before any [section] header")
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw CatalogClientError.malformedConfigFile(path, line: lineNumber, "expected `key = value` or a [section] header")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            guard !key.isEmpty else {
                throw CatalogClientError.malformedConfigFile(path, line: lineNumber, "a property has no name before `=`")
            }
            let value = stripInlineComment(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            sections[sections.count - 1].properties[key] = ConfigProperty(
                value: value, location: ConfigLocation(path: path, line: lineNumber))
            lastKey = key
        }
        return sections
    }

    /// Classifies a header's inner text.
    static func sectionName(_ inner: String, kind: FileKind) -> ConfigSectionName {
        switch kind {
        case .credentials:
            return .profile(inner)
        case .config:
            if inner == "default" { return .profile("default") }
            for (prefix, make) in [("profile", ConfigSectionName.profile), ("services", ConfigSectionName.services)] {
                if inner.hasPrefix(prefix), let next = inner.dropFirst(prefix.count).first, next == " " || next == "\t" {
                    let name = inner.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
                    return name.isEmpty ? .other(inner) : make(name)
                }
            }
            return .other(inner)
        }
    }

    /// Removes a trailing comment: `#` or `;` preceded by whitespace, and what follows.
    static func stripInlineComment(_ value: String) -> String {
        var previous: Character = "x"
        for index in value.indices {
            let character = value[index]
            if (character == "#" || character == ";") && (previous == " " || previous == "\t") {
                return value[..<index].trimmingCharacters(in: .whitespaces)
            }
            previous = character
        }
        return value
    }
}
