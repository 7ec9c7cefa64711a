import Foundation

/// Credentials printed by an external command: a profile's `credential_process`.
///
/// AWS SDKs and Tools reference guide, "Process credential provider": the command
/// runs through `/bin/sh -c` and must print
/// `{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …, "SessionToken": …, "Expiration": …}`
/// (token and expiration optional) and exit 0. A failure reports the exit status and
/// the command's standard error, never its standard output (which would hold the
/// secret). The command is not run again until the caching provider above asks.
public struct ProcessCredentialsProvider: CredentialsProvider {
    /// The command line, as written in the profile.
    public let command: String
    /// The profile it came from, for messages.
    public let profileName: String
    /// The environment the command runs with.
    public let environment: [String: String]
    /// What runs it.
    public let runner: any ProcessRunner

    /// Creates a provider that runs `command` with `runner`.
    public init(command: String, profileName: String, environment: [String: String], runner: any ProcessRunner = ShellProcessRunner()) {
        self.command = command
        self.profileName = profileName
        self.environment = environment
        self.runner = runner
    }

    /// Runs the command and parses its output.
    public func credentials() async throws -> AWSCredentials {
        let result: ProcessResult
        do {
            result = try await runner.run(command, environment: environment)
        } catch {
            throw CatalogClientError.credentialProcessFailed(profileName, "it could not be started (\(error.localizedDescription))")
        }
        let standardError = Self.excerpt(result.standardError)
        guard result.exitStatus == 0 else {
            throw CatalogClientError.credentialProcessFailed(
                profileName, "it exited with status \(result.exitStatus)", standardError: standardError)
        }
        let object: [String: Any]
        switch CredentialsDocument.object(result.standardOutput) {
        case .success(let value): object = value
        case .failure(let problem):
            throw CatalogClientError.credentialProcessFailed(
                profileName, problem.message + " (it must print a JSON object with Version 1)", standardError: standardError)
        }
        guard let version = object["Version"] as? Int, version == 1 else {
            throw CatalogClientError.credentialProcessFailed(profileName, "its output must have \"Version\": 1", standardError: standardError)
        }
        switch CredentialsDocument.credentials(from: object, fields: .process) {
        case .success(let credentials): return credentials
        case .failure(let problem):
            throw CatalogClientError.credentialProcessFailed(profileName, "its output is unusable: \(problem.message)", standardError: standardError)
        }
    }

    /// The start of `data` as text, at most 2,000 characters, trimmed.
    static func excerpt(_ data: Data) -> String? {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        return text.count > 2000 ? String(text.prefix(2000)) + " …" : text
    }
}
