import Foundation

/// Works out the profile, region, endpoint and credential chain in one call, the way
/// the AWS SDKs and the AWS CLI do.
///
/// ```swift
/// let resolved = try AWSConfiguration.resolve(
///     AWSConfigurationOptions(profile: profile, region: region, endpointURL: endpointURL))
/// let credentials = try await resolved.credentialsProvider.credentials()
/// ```
///
/// Precedence (AWS SDKs and Tools reference guide: "Standardized credential
/// providers", "Shared config and credentials files", "AWS Region", "Service-specific
/// endpoints"):
/// - profile: `--profile`, `AWS_PROFILE`, `default`;
/// - region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, `us-east-1`;
/// - endpoint: `--endpoint-url`; unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the
///   profile's `ignore_configured_endpoint_urls`) is true: `AWS_ENDPOINT_URL_MARKETPLACE_CATALOG`,
///   `AWS_ENDPOINT_URL`, the profile's `services` section (`marketplace_catalog = ` /
///   `endpoint_url = …`), the profile's `endpoint_url` (environment before file, as in
///   botocore); then
///   `https://catalog.marketplace.<region>.amazonaws.com`;
/// - credentials, first that has them: explicit options; `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`
///   (skipped when `--profile` is given, as in the AWS CLI); the profile (keys,
///   `credential_process`, `role_arn` via STS AssumeRole); ECS container credentials;
///   EC2 instance metadata (IMDSv2, unless `AWS_EC2_METADATA_DISABLED=true`).
///
/// `resolve` reads the two shared files once and fails early on what is certainly
/// wrong (a malformed file, a named profile that does not exist, a bad region or
/// endpoint). Credentials are fetched only when first asked for, then cached and
/// refreshed five minutes before they expire.
public enum AWSConfiguration {
    /// The Marketplace Catalog service's identifier in endpoint settings.
    static let catalogService = ServiceIdentifier(environmentSuffix: "MARKETPLACE_CATALOG", configKey: "marketplace_catalog")
    /// STS's identifier in endpoint settings.
    static let stsService = ServiceIdentifier(environmentSuffix: "STS", configKey: "sts")

    /// Resolves everything from `options` and `environment` (the real world by default).
    public static func resolve(
        _ options: AWSConfigurationOptions = AWSConfigurationOptions(),
        in environment: AWSRuntimeEnvironment = .system()
    ) throws -> ResolvedConfiguration {
        try resolve(options, in: environment, sign: STSSigning.sigV4)
    }

    static func resolve(
        _ options: AWSConfigurationOptions, in environment: AWSRuntimeEnvironment, sign: @escaping RequestSigning
    ) throws -> ResolvedConfiguration {
        let variables = environment.variables
        let paths = SharedConfiguration.paths(environment: variables, homeDirectory: environment.homeDirectory)
        let shared = try SharedConfiguration.load(
            configPath: paths.config, credentialsPath: paths.credentials, reader: environment.fileReader)

        // Profile.
        let profileName: String
        let profileSource: String
        if let name = options.profile.nonBlank {
            (profileName, profileSource) = (name, "--profile")
        } else if let name = variables.nonEmpty("AWS_PROFILE") {
            (profileName, profileSource) = (name, "AWS_PROFILE")
        } else {
            (profileName, profileSource) = ("default", "default")
        }
        let profile = shared.profiles[profileName]
        if profile == nil, profileSource != "default" {
            throw CatalogClientError.profileNotFound(profileName, context: "selected by \(profileSource)", files: shared.searchedFiles)
        }
        func profileSetting(_ key: String) -> (value: String, source: String)? {
            guard let profile, let value = profile.value(key) else { return nil }
            return (value, "profile \"\(profileName)\" (\(profile.location(key)?.description ?? "?"))")
        }

        // Region.
        let regionChoice: (value: String, source: String) =
            options.region.nonBlank.map { ($0, "--region") }
            ?? variables.nonEmpty("AWS_REGION").map { ($0, "AWS_REGION") }
            ?? variables.nonEmpty("AWS_DEFAULT_REGION").map { ($0, "AWS_DEFAULT_REGION") }
            ?? profileSetting("region")
            ?? ("us-east-1", "default")
        try validateRegion(regionChoice.value, setting: regionChoice.source)
        let region = regionChoice.value

        // Endpoints.
        let endpointInputs = EndpointInputs(
            explicit: options.endpointURL.nonBlank, variables: variables, profile: profile, profileName: profileName, shared: shared)
        let endpoint = try endpointInputs.resolve(for: catalogService) ?? (
            url: defaultCatalogEndpoint(region: region), source: "the default for region \(region)")
        let stsConfigured = try EndpointInputs(
            explicit: nil, variables: variables, profile: profile, profileName: profileName, shared: shared
        ).resolve(for: stsService)
        let legacySTS = (variables.nonEmpty("AWS_STS_REGIONAL_ENDPOINTS") ?? profile?.value("sts_regional_endpoints"))?
            .lowercased() == "legacy"
        let stsEndpoint = stsConfigured?.url
            ?? (legacySTS ? AssumeRoleCredentialsProvider.globalEndpoint : AssumeRoleCredentialsProvider.regionalEndpoint(region: region))

        // Instance metadata endpoint.
        let imdsEndpoint: URL
        if let configured = variables.nonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? profile?.value("ec2_metadata_service_endpoint") {
            guard let url = URL(string: configured.trimmingSuffix("/")), url.scheme != nil, url.host != nil else {
                throw CatalogClientError.invalidEndpoint(
                    configured, setting: "AWS_EC2_METADATA_SERVICE_ENDPOINT / ec2_metadata_service_endpoint", "it is not a URL")
            }
            imdsEndpoint = url
        } else if (variables.nonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
                   ?? profile?.value("ec2_metadata_service_endpoint_mode"))?.lowercased() == "ipv6" {
            imdsEndpoint = InstanceMetadataCredentialsProvider.defaultIPv6Endpoint
        } else {
            imdsEndpoint = InstanceMetadataCredentialsProvider.defaultEndpoint
        }

        let context = CredentialsContext(
            environment: variables, fileReader: environment.fileReader, processRunner: environment.processRunner,
            transport: environment.transport, metadataTransport: environment.metadataTransport, now: environment.now,
            stsRegion: region, stsEndpoint: stsEndpoint, instanceMetadataEndpoint: imdsEndpoint,
            instanceMetadataDisabled: variables.isTrue("AWS_EC2_METADATA_DISABLED"), sign: sign)

        // Credentials chain.
        var links: [CredentialsProviderChain.Link] = []
        var notes: [String] = []
        let explicitName = "credentials given as options"
        switch (options.accessKeyId.nonBlank, options.secretAccessKey.nonBlank) {
        case (let id?, let secret?):
            links.append(.init(name: explicitName, provider: StaticCredentialsProvider(
                AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: options.sessionToken.nonBlank))))
            notes.append("access key \(id)")
        case (nil, nil):
            links.append(.init(name: explicitName, provider: AbsentCredentialsProvider(source: explicitName, reason: "none given")))
            notes.append("none given")
        case (_, nil):
            throw CatalogClientError.partialCredentials("the options", missing: "the secret access key")
        case (nil, _):
            throw CatalogClientError.partialCredentials("the options", missing: "the access key id")
        }

        let environmentName = "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        if profileSource == "--profile" {
            links.append(.init(name: environmentName, provider: AbsentCredentialsProvider(
                source: environmentName, reason: "skipped because --profile was given")))
            notes.append("skipped because --profile was given")
        } else {
            links.append(.init(name: environmentName, provider: EnvironmentCredentialsProvider(environment: variables)))
            notes.append(variables.nonEmpty("AWS_ACCESS_KEY_ID").map { "access key \($0)" } ?? "not set")
        }

        let profileProvider = ProfileCredentialsProvider(profileName: profileName, configuration: shared, context: context)
        links.append(.init(name: profileProvider.sourceName, provider: profileProvider))
        if profile == nil {
            notes.append(shared.existingFiles.isEmpty ? "neither file exists" : "no such profile")
        } else {
            do {
                notes.append(try ProfileCredentialsPlan.make(profile: profileName, configuration: shared, now: environment.now())?.summary
                    ?? "the profile holds no credential settings")
            } catch {
                notes.append("unusable: \(error)")
            }
        }

        let container = ContainerCredentialsProvider(
            environment: variables, fileReader: environment.fileReader, transport: environment.metadataTransport)
        let containerName = "ECS container credentials"
        links.append(.init(name: containerName, provider: container))
        notes.append(container.isConfigured
            ? "configured" : "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")

        let imdsName = "EC2 instance metadata (IMDSv2 at \(imdsEndpoint.absoluteString))"
        if variables.isTrue("AWS_EC2_METADATA_DISABLED") {
            links.append(.init(name: imdsName, provider: AbsentCredentialsProvider(
                source: imdsName, reason: "disabled by AWS_EC2_METADATA_DISABLED=true")))
            notes.append("disabled by AWS_EC2_METADATA_DISABLED=true")
        } else {
            links.append(.init(name: imdsName, provider: InstanceMetadataCredentialsProvider(
                endpoint: imdsEndpoint, transport: environment.metadataTransport, absentWhenUnavailable: true)))
            notes.append("tried last, with a short timeout")
        }

        let chain = CredentialsProviderChain(links)
        return ResolvedConfiguration(
            profileName: profileName, region: region, endpoint: endpoint.url,
            credentialsProvider: CachingCredentialsProvider(wrapping: chain, now: environment.now),
            sources: .init(
                profile: profileSource == "default" ? "the default" : profileSource,
                region: regionChoice.source, endpoint: endpoint.source,
                credentials: zip(links, notes).map { "\($0.name): \($1)" },
                files: shared.searchedFiles.map { shared.existingFiles.contains($0) ? $0 : "\($0) (missing)" }),
            credentialsChain: chain)
    }

    /// `https://catalog.marketplace.<region>.amazonaws.com`.
    public static func defaultCatalogEndpoint(region: String) -> URL {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return URL(string: "https://catalog.marketplace.\(region).\(suffix)")
            ?? URL(string: "https://catalog.marketplace.us-east-1.amazonaws.com")!  // a literal that always parses
    }

    /// Rejects anything but lower-case letters, digits and inner hyphens: the region becomes part of a host name.
    static func validateRegion(_ region: String, setting: String) throws {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789-")
        guard (1...63).contains(region.count), region.unicodeScalars.allSatisfy(allowed.contains),
              !region.hasPrefix("-"), !region.hasSuffix("-") else {
            throw CatalogClientError.invalidRegion(region, setting: setting)
        }
    }
}

/// A service's names in endpoint settings ("Identifiers for service-specific endpoints").
struct ServiceIdentifier: Sendable {
    /// The `<SERVICE>` of `AWS_ENDPOINT_URL_<SERVICE>`.
    var environmentSuffix: String
    /// The key under a `[services name]` section.
    var configKey: String
}

/// The inputs of endpoint resolution for one profile.
struct EndpointInputs {
    var explicit: String?
    var variables: [String: String]
    var profile: Profile?
    var profileName: String
    var shared: SharedConfiguration

    /// The configured endpoint for `service` and where it came from, or `nil` for the default.
    func resolve(for service: ServiceIdentifier) throws -> (url: URL, source: String)? {
        if let explicit { return (try EndpointValidation.validate(explicit, setting: "--endpoint-url"), "--endpoint-url") }
        let ignore: Bool
        if let value = variables.nonEmpty("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") {
            ignore = value.lowercased() == "true"
        } else {
            ignore = profile?.value("ignore_configured_endpoint_urls")?.lowercased() == "true"
        }
        if ignore { return nil }

        // Environment variables before the config file, as botocore's ConfiguredEndpointProvider
        // (environment_service, environment_global, config_service, config_global): an
        // AWS_ENDPOINT_URL pointing at a local emulator must win over a services section.
        let serviceVariable = "AWS_ENDPOINT_URL_" + service.environmentSuffix
        if let value = variables.nonEmpty(serviceVariable) {
            return (try EndpointValidation.validate(value, setting: serviceVariable), serviceVariable)
        }
        if let value = variables.nonEmpty("AWS_ENDPOINT_URL") {
            return (try EndpointValidation.validate(value, setting: "AWS_ENDPOINT_URL"), "AWS_ENDPOINT_URL")
        }
        if let profile, let sectionName = profile.value("services") {
            guard let section = shared.services[sectionName] else {
                throw CatalogClientError.invalidProfile(
                    profileName, "it sets services = \(sectionName), but the config file has no [services \(sectionName)] section")
            }
            if let property = section[service.configKey], let value = property.subProperties["endpoint_url"], !value.isEmpty {
                let setting = "[services \(sectionName)] \(service.configKey).endpoint_url (\(property.location))"
                return (try EndpointValidation.validate(value, setting: setting), setting)
            }
        }
        if let profile, let value = profile.value("endpoint_url") {
            let setting = "endpoint_url of profile \"\(profileName)\" (\(profile.location("endpoint_url")?.description ?? "?"))"
            return (try EndpointValidation.validate(value, setting: setting), setting)
        }
        return nil
    }
}

extension Optional where Wrapped == String {
    /// The trimmed value, `nil` when absent or blank.
    var nonBlank: String? {
        guard let value = self?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
