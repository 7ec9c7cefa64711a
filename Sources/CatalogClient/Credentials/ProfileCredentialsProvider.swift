import Foundation

/// What the profile-based providers need from the outside world.
struct CredentialsContext: Sendable {
    var environment: [String: String]
    var fileReader: any FileReader
    var processRunner: any ProcessRunner
    /// For STS.
    var transport: any HTTPTransport
    /// For ECS and IMDS: short timeouts.
    var metadataTransport: any HTTPTransport
    var now: @Sendable () -> Date
    /// The STS region and endpoint.
    var stsRegion: String
    var stsEndpoint: URL
    /// The instance metadata service's base URL.
    var instanceMetadataEndpoint: URL
    /// `AWS_EC2_METADATA_DISABLED=true`: instance metadata is never asked, not even for `credential_source`.
    var instanceMetadataDisabled: Bool
    var sign: RequestSigning
}

/// How a profile's credentials are obtained, worked out from its settings before anything runs.
indirect enum ProfileCredentialsPlan: Sendable, Equatable {
    /// `aws_access_key_id`/`aws_secret_access_key` (and `aws_session_token`) of `profile`.
    case staticKeys(AWSCredentials, profile: String, location: String)
    /// The `credential_process` of `profile`.
    case process(command: String, profile: String)
    /// `credential_source` of `profile`: Environment, Ec2InstanceMetadata or EcsContainer.
    case namedSource(CredentialSource, profile: String)
    /// `role_arn` of `profile`, assumed with the credentials of `base`.
    case assumeRole(AssumeRoleCredentialsProvider.Role, profile: String, base: ProfileCredentialsPlan)

    /// The values `credential_source` may take.
    enum CredentialSource: String, Sendable, Equatable {
        case environment = "Environment"
        case ec2InstanceMetadata = "Ec2InstanceMetadata"
        case ecsContainer = "EcsContainer"
    }

    /// A one-line account without secrets, for `describeSources()`.
    var summary: String {
        switch self {
        case .staticKeys(let credentials, let profile, let location):
            return "access key \(credentials.accessKeyId) of profile \"\(profile)\" (\(location))"
        case .process(_, let profile):
            return "credential_process of profile \"\(profile)\""
        case .namedSource(let source, let profile):
            return "credential_source = \(source.rawValue) of profile \"\(profile)\""
        case .assumeRole(let role, _, let base):
            return "role \(role.roleArn), assumed with \(base.summary)"
        }
    }

    /// Works out the plan for `name`; `nil` when the profile holds no credential settings.
    ///
    /// Follows `source_profile` links (AWS SDKs and Tools reference guide, "Assume role
    /// credential provider"): a source profile that has static keys uses them even if
    /// it also has a `role_arn`, and a profile may name itself as its source when it
    /// holds keys; any other repeated profile is a cycle.
    static func make(profile name: String, configuration: SharedConfiguration, now: Date) throws -> ProfileCredentialsPlan? {
        var visited: [String] = []
        var roles: [(AssumeRoleCredentialsProvider.Role, String)] = []
        var current = name
        var base: ProfileCredentialsPlan
        walk: while true {
            guard let profile = configuration.profiles[current] else {
                if visited.isEmpty { return nil }
                throw CatalogClientError.profileNotFound(
                    current, context: "the source_profile of profile \"\(visited[visited.count - 1])\"",
                    files: configuration.searchedFiles)
            }
            if visited.contains(current) {
                throw CatalogClientError.invalidProfile(
                    name, "its source_profile chain loops (\((visited + [current]).joined(separator: " → ")))")
            }
            visited.append(current)

            guard let roleArn = profile.value("role_arn") else {
                if let plan = try leafPlan(profile, configuration: configuration) {
                    base = plan
                    break walk
                }
                if visited.count == 1 { return nil }
                throw CatalogClientError.invalidProfile(
                    current, "it is the source_profile of \"\(visited[visited.count - 2])\" but holds no credentials "
                        + "(aws_access_key_id and aws_secret_access_key, or credential_process)")
            }
            if visited.count > 1, let keys = try staticKeys(profile, configuration: configuration) {
                base = keys
                break walk
            }
            roles.append((try role(roleArn, profile: profile, now: now), current))
            switch (profile.value("source_profile"), profile.value("credential_source")) {
            case (.some, .some):
                throw CatalogClientError.invalidProfile(current, "it sets both source_profile and credential_source; keep one")
            case (nil, let source?):
                guard let known = CredentialSource(rawValue: source) else {
                    throw CatalogClientError.invalidProfile(
                        current, "credential_source = \(source) is not one of Environment, Ec2InstanceMetadata, EcsContainer")
                }
                base = .namedSource(known, profile: current)
                break walk
            case (let source?, nil):
                if source == current {
                    guard let keys = try staticKeys(profile, configuration: configuration) else {
                        throw CatalogClientError.invalidProfile(
                            current, "its source_profile is itself, but it holds no aws_access_key_id and aws_secret_access_key")
                    }
                    base = keys
                    break walk
                }
                current = source
            case (nil, nil):
                if profile.value("web_identity_token_file") != nil {
                    throw CatalogClientError.invalidProfile(
                        current, "web_identity_token_file (AssumeRoleWithWebIdentity) is not supported; "
                            + "use source_profile or credential_source with role_arn")
                }
                throw CatalogClientError.invalidProfile(current, "role_arn needs source_profile or credential_source")
            }
        }
        var plan = base
        for (role, profile) in roles.reversed() { plan = .assumeRole(role, profile: profile, base: plan) }
        return plan
    }

    /// The credentials of a profile without `role_arn`: keys from the credentials file,
    /// then `credential_process`, then keys from the config file (the AWS CLI's order).
    private static func leafPlan(_ profile: Profile, configuration: SharedConfiguration) throws -> ProfileCredentialsPlan? {
        let keys = try staticKeys(profile, configuration: configuration)
        let keysFromCredentialsFile = profile.location("aws_access_key_id")?.path == configuration.credentialsPath
        if let keys, keysFromCredentialsFile { return keys }
        if let command = profile.value("credential_process") { return .process(command: command, profile: profile.name) }
        if let keys { return keys }
        if profile.value("sso_session") != nil || profile.value("sso_start_url") != nil {
            throw CatalogClientError.invalidProfile(
                profile.name, "it signs in with IAM Identity Center (sso_session/sso_start_url), which BulkRunner cannot do; "
                    + "add `credential_process = aws configure export-credentials --profile \(profile.name) --format process` "
                    + "to another profile and use that one, or export the credentials into the environment")
        }
        return nil
    }

    private static func staticKeys(_ profile: Profile, configuration: SharedConfiguration) throws -> ProfileCredentialsPlan? {
        let accessKeyId = profile.value("aws_access_key_id")
        let secret = profile.value("aws_secret_access_key")
        let place = profile.location("aws_access_key_id") ?? profile.location("aws_secret_access_key")
        switch (accessKeyId, secret) {
        case (nil, nil):
            return nil
        case (_, nil):
            throw CatalogClientError.partialCredentials("profile \"\(profile.name)\" (\(place?.description ?? "?"))", missing: "aws_secret_access_key")
        case (nil, _):
            throw CatalogClientError.partialCredentials("profile \"\(profile.name)\" (\(place?.description ?? "?"))", missing: "aws_access_key_id")
        case (let accessKeyId?, let secret?):
            let credentials = AWSCredentials(
                accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: profile.value("aws_session_token"))
            return .staticKeys(credentials, profile: profile.name, location: place?.description ?? "?")
        }
    }

    private static func role(_ roleArn: String, profile: Profile, now: Date) throws -> AssumeRoleCredentialsProvider.Role {
        if profile.value("mfa_serial") != nil {
            throw CatalogClientError.invalidProfile(
                profile.name, "role \(roleArn) requires an MFA code (mfa_serial), which BulkRunner cannot ask for "
                    + "non-interactively; assume the role beforehand (for example with the AWS CLI) and pass the temporary "
                    + "credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or use credential_process")
        }
        let sessionName = profile.value("role_session_name") ?? "bulkrunner-\(Int(now.timeIntervalSince1970))"
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=,.@_-")
        guard (2...64).contains(sessionName.count), sessionName.unicodeScalars.allSatisfy(allowed.contains) else {
            throw CatalogClientError.invalidProfile(
                profile.name, "role_session_name must be 2 to 64 characters of letters, digits and +=,.@_-")
        }
        var duration: Int?
        if let text = profile.value("duration_seconds") {
            guard let value = Int(text), (900...43200).contains(value) else {
                throw CatalogClientError.invalidProfile(profile.name, "duration_seconds must be a whole number from 900 to 43200")
            }
            duration = value
        }
        return .init(roleArn: roleArn, sessionName: sessionName, externalId: profile.value("external_id"), durationSeconds: duration)
    }
}

/// Credentials of a named profile: keys, `credential_process`, or an assumed role.
///
/// AWS SDKs and Tools reference guide, "Shared config and credentials files" and
/// "Assume role credential provider". The plan is worked out on each call from the
/// parsed files (cheap), so a problem in an unused profile never blocks other sources.
struct ProfileCredentialsProvider: CredentialsProvider {
    var profileName: String
    var configuration: SharedConfiguration
    var context: CredentialsContext

    /// The chain's label for this source.
    var sourceName: String {
        "profile \"\(profileName)\"" + (configuration.searchedFiles.isEmpty ? "" : " in " + configuration.searchedFiles.joined(separator: " and "))
    }

    func credentials() async throws -> AWSCredentials {
        guard configuration.profiles[profileName] != nil else {
            throw CatalogClientError.sourceAbsent(
                sourceName, configuration.existingFiles.isEmpty ? "neither file exists" : "no such profile")
        }
        guard let plan = try ProfileCredentialsPlan.make(profile: profileName, configuration: configuration, now: context.now()) else {
            throw CatalogClientError.sourceAbsent(
                sourceName, "the profile holds no aws_access_key_id/aws_secret_access_key, credential_process or role_arn")
        }
        return try await Self.provider(for: plan, context: context).credentials()
    }

    /// The provider that carries out `plan`.
    static func provider(for plan: ProfileCredentialsPlan, context: CredentialsContext) -> any CredentialsProvider {
        switch plan {
        case .staticKeys(let credentials, _, _):
            return StaticCredentialsProvider(credentials)
        case .process(let command, let profile):
            return ProcessCredentialsProvider(
                command: command, profileName: profile, environment: context.environment, runner: context.processRunner)
        case .namedSource(let source, let profile):
            let provider: any CredentialsProvider
            switch source {
            case .environment:
                provider = EnvironmentCredentialsProvider(environment: context.environment)
            case .ecsContainer:
                provider = ContainerCredentialsProvider(
                    environment: context.environment, fileReader: context.fileReader, transport: context.metadataTransport)
            case .ec2InstanceMetadata where context.instanceMetadataDisabled:
                provider = AbsentCredentialsProvider(
                    source: InstanceMetadataCredentialsProvider.source, reason: "instance metadata is disabled by AWS_EC2_METADATA_DISABLED=true")
            case .ec2InstanceMetadata:
                provider = InstanceMetadataCredentialsProvider(
                    endpoint: context.instanceMetadataEndpoint, transport: context.metadataTransport, absentWhenUnavailable: false)
            }
            return RequiredCredentialsProvider(base: provider, profile: profile, setting: "credential_source = \(source.rawValue)")
        case .assumeRole(let role, _, let base):
            return AssumeRoleCredentialsProvider(
                source: provider(for: base, context: context), role: role, region: context.stsRegion,
                endpoint: context.stsEndpoint, transport: context.transport, now: context.now, sign: context.sign)
        }
    }
}

/// Turns "nothing here" into an error: a profile asked for this source explicitly.
struct RequiredCredentialsProvider: CredentialsProvider {
    var base: any CredentialsProvider
    var profile: String
    var setting: String

    func credentials() async throws -> AWSCredentials {
        do {
            return try await base.credentials()
        } catch let error as CatalogClientError where error.isSourceAbsent {
            throw CatalogClientError.invalidProfile(profile, "it sets \(setting), but \(error.absenceReason ?? "that source has nothing")")
        }
    }
}
