import Foundation

/// A profile as the two shared files describe it together.
///
/// Keys are lower case. A key set in both files takes the credentials file's value
/// (AWS SDKs and Tools reference guide, "Shared config and credentials files").
struct Profile: Sendable, Equatable {
    /// The profile's name, without any `profile ` prefix.
    var name: String
    /// Every key of the profile, merged over both files.
    var properties: [String: ConfigProperty] = [:]

    /// A non-empty value, or `nil`.
    func value(_ key: String) -> String? {
        guard let value = properties[key]?.value, !value.isEmpty else { return nil }
        return value
    }

    /// Where `key` was set, for messages.
    func location(_ key: String) -> ConfigLocation? { properties[key]?.location }
}

/// The shared `config` and `credentials` files, parsed and merged into profiles.
///
/// Loading reads at most two files through the injected `FileReader`; a missing file
/// is no error, a malformed one is (`CatalogClientError.malformedConfigFile`).
struct SharedConfiguration: Sendable {
    /// The config file's path (`AWS_CONFIG_FILE` or `~/.aws/config`), if known.
    var configPath: String?
    /// The credentials file's path (`AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`), if known.
    var credentialsPath: String?
    /// Which of the two exist, in the order config, credentials.
    var existingFiles: [String] = []
    /// Every profile by name.
    var profiles: [String: Profile] = [:]
    /// Every `[services name]` section of the config file by name.
    var services: [String: [String: ConfigProperty]] = [:]

    /// The files' paths, whether or not they exist, for messages.
    var searchedFiles: [String] { [configPath, credentialsPath].compactMap { $0 } }

    /// Works out the two paths from the environment and the home directory.
    static func paths(environment: [String: String], homeDirectory: String?) -> (config: String?, credentials: String?) {
        func resolve(_ variable: String, _ fallback: String) -> String? {
            if let value = environment[variable], !value.isEmpty { return expandTilde(value, homeDirectory: homeDirectory) }
            guard let homeDirectory else { return nil }
            return (homeDirectory as NSString).appendingPathComponent(fallback)
        }
        return (resolve("AWS_CONFIG_FILE", ".aws/config"), resolve("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials"))
    }

    /// Replaces a leading `~` or `~/` with the home directory.
    static func expandTilde(_ path: String, homeDirectory: String?) -> String {
        guard let homeDirectory else { return path }
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") { return (homeDirectory as NSString).appendingPathComponent(String(path.dropFirst(2))) }
        return path
    }

    /// Reads and merges both files.
    static func load(configPath: String?, credentialsPath: String?, reader: any FileReader) throws -> SharedConfiguration {
        var result = SharedConfiguration(configPath: configPath, credentialsPath: credentialsPath)
        func read(_ path: String?, kind: ConfigFileParser.FileKind) throws -> [ConfigSection] {
            guard let path else { return [] }
            let data: Data?
            do {
                data = try reader.readFile(atPath: path)
            } catch {
                throw CatalogClientError.malformedConfigFile(path, line: 0, "the file exists but cannot be read")
            }
            guard let data else { return [] }
            result.existingFiles.append(path)
            guard let text = String(data: data, encoding: .utf8) else {
                throw CatalogClientError.malformedConfigFile(path, line: 0, "the file is not UTF-8 text")
            }
            return try ConfigFileParser.parse(text, path: path, kind: kind)
        }
        let configSections = try read(configPath, kind: .config)
        let credentialsSections = try read(credentialsPath, kind: .credentials)

        // In the config file, [profile default] wins over [default] when both exist.
        let hasExplicitDefault = configSections.contains { $0.explicitProfileKeyword }
        for section in configSections {
            switch section.name {
            case .profile(let name):
                if name == "default", hasExplicitDefault, !section.explicitProfileKeyword { continue }
                result.profiles[name, default: Profile(name: name)].properties.merge(section.properties) { $1 }
            case .services(let name):
                result.services[name, default: [:]].merge(section.properties) { $1 }
            case .other:
                continue
            }
        }
        for section in credentialsSections {
            guard case .profile(let name) = section.name else { continue }
            result.profiles[name, default: Profile(name: name)].properties.merge(section.properties) { $1 }
        }
        return result
    }
}
