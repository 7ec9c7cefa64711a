@testable import CatalogClient
import CatalogModels
import Foundation
import Testing

@Suite("Region and endpoint resolution")
struct RegionAndEndpointTests {
    func resolve(_ options: AWSConfigurationOptions = .init(), _ variables: [String: String] = [:], home: FakeHome? = nil) throws -> ResolvedConfiguration {
        try AWSConfiguration.resolve(options, in: testEnvironment(variables, home: home))
    }

    @Test func regionPrecedence() async throws {
        try await withHome(config: "[default]\nregion = eu-west-1\n[profile other]\nregion = ap-northeast-1\n") { home async throws in
            let all = ["AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "us-east-2"]
            #expect(try resolve(.init(region: "ca-central-1"), all, home: home).region == "ca-central-1")
            #expect(try resolve(.init(), all, home: home).region == "us-west-2")
            #expect(try resolve(.init(), ["AWS_DEFAULT_REGION": "us-east-2"], home: home).region == "us-east-2")
            #expect(try resolve(.init(), ["AWS_REGION": ""], home: home).region == "eu-west-1", "empty variables count as unset")
            #expect(try resolve(.init(profile: "other"), [:], home: home).region == "ap-northeast-1")
            let fromProfile = try resolve(.init(), [:], home: home)
            #expect(fromProfile.sources.region == "profile \"default\" (\(home.file(".aws/config")):2)")
        }
        let fallback = try resolve()
        #expect(fallback.region == "us-east-1")
        #expect(fallback.sources.region == "default")
    }

    @Test(arguments: ["us-east-1\"", "US-EAST-1", "evil.com/", "-us", "a b", ""])
    func badRegionsAreRejected(region: String) throws {
        if region.isEmpty {
            #expect(try resolve(.init(region: region)).region == "us-east-1", "an empty option is not given")
            return
        }
        #expect { try resolve(.init(region: region)) } throws: { ($0 as? CatalogClientError)?.code == .invalidRegion }
    }

    @Test func defaultEndpointFollowsTheRegion() throws {
        #expect(try resolve().endpoint.absoluteString == "https://catalog.marketplace.us-east-1.amazonaws.com")
        let resolved = try resolve(.init(region: "eu-central-1"))
        #expect(resolved.endpoint.absoluteString == "https://catalog.marketplace.eu-central-1.amazonaws.com")
        #expect(resolved.sources.endpoint == "the default for region eu-central-1")
    }

    static let endpointConfig = """
        [default]
        endpoint_url = https://profile-global.example.com
        services = shared
        [profile plain]
        endpoint_url = https://plain-profile.example.com
        [profile ignoring]
        endpoint_url = https://ignored.example.com
        ignore_configured_endpoint_urls = true
        [profile dangling]
        services = nowhere
        [services shared]
        s3 =
          endpoint_url = https://s3.example.com
        marketplace_catalog =
          endpoint_url = http://localhost:4566/catalog/
        """

    @Test func endpointPrecedence() async throws {
        try await withHome(config: Self.endpointConfig) { home async throws in
            let variables = [
                "AWS_ENDPOINT_URL_MARKETPLACE_CATALOG": "https://service-variable.example.com",
                "AWS_ENDPOINT_URL": "https://global-variable.example.com",
            ]
            func endpoint(_ options: AWSConfigurationOptions = .init(), _ variables: [String: String]) throws -> String {
                try resolve(options, variables, home: home).endpoint.absoluteString
            }
            #expect(try endpoint(.init(endpointURL: "https://option.example.com/"), variables) == "https://option.example.com")
            #expect(try endpoint(.init(), variables) == "https://service-variable.example.com")
            // botocore's ConfiguredEndpointProvider: environment_service, environment_global,
            // config_service, config_global — every variable beats every file setting.
            #expect(try endpoint(.init(), ["AWS_ENDPOINT_URL": "https://global-variable.example.com"]) == "https://global-variable.example.com",
                    "the global variable beats the services section, as in botocore")
            #expect(try endpoint(.init(), [:]) == "http://localhost:4566/catalog", "the services section beats the profile's endpoint_url")
            #expect(try endpoint(.init(profile: "plain"), ["AWS_ENDPOINT_URL": "https://global-variable.example.com"])
                    == "https://global-variable.example.com", "the global variable beats the profile's endpoint_url")
            #expect(try endpoint(.init(profile: "plain"), [:]) == "https://plain-profile.example.com")
            let servicesSource = try resolve(.init(), [:], home: home).sources.endpoint
            #expect(servicesSource.hasPrefix("[services shared] marketplace_catalog.endpoint_url (\(home.file(".aws/config")):14)"))
        }
    }

    @Test func ignoringConfiguredEndpoints() async throws {
        try await withHome(config: Self.endpointConfig) { home async throws in
            let variables = ["AWS_ENDPOINT_URL": "https://global-variable.example.com", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]
            #expect(try resolve(.init(), variables, home: home).endpoint.absoluteString == "https://catalog.marketplace.us-east-1.amazonaws.com")
            #expect(try resolve(.init(endpointURL: "http://127.0.0.1:9000"), variables, home: home).endpoint.absoluteString
                    == "http://127.0.0.1:9000", "--endpoint-url is never ignored")
            #expect(try resolve(.init(profile: "ignoring"), [:], home: home).endpoint.absoluteString
                    == "https://catalog.marketplace.us-east-1.amazonaws.com", "the profile setting works too")
            #expect(try resolve(.init(profile: "ignoring"), ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"], home: home)
                .endpoint.absoluteString == "https://ignored.example.com", "the variable beats the profile setting")
        }
    }

    @Test func servicesSectionMustExist() async throws {
        try await withHome(config: Self.endpointConfig) { home async throws in
            #expect { try resolve(.init(profile: "dangling"), [:], home: home) } throws: {
                ($0 as? CatalogClientError)?.code == .invalidProfile && "\($0)".contains("[services nowhere]")
            }
        }
    }

    @Test(arguments: [
        ("https://catalog.example.com", "https://catalog.example.com"),
        ("HTTPS://catalog.example.com:8443/prefix/", "https://catalog.example.com:8443/prefix"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://LOCALHOST:8080", "http://LOCALHOST:8080"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://127.255.0.9", "http://127.255.0.9"),
        (" https://padded.example.com ", "https://padded.example.com"),
    ])
    func acceptedEndpoints(input: String, expected: String) throws {
        #expect(try EndpointValidation.validate(input, setting: "test").absoluteString == expected)
    }

    /// URLSession on Linux refuses any URL whose host is an IPv6 address in brackets ("bad URL"
    /// before a byte is sent, whatever listens there), so such an endpoint is refused up front,
    /// saying what to use instead; elsewhere it is an ordinary endpoint.
    @Test(arguments: [
        ("http://[::1]:4566", "http://127.0.0.1:4566"),
        ("http://[0:0:0:0:0:0:0:1]", "http://127.0.0.1 "),
        ("http://[::ffff:127.0.0.1]:8080/prefix", "http://127.0.0.1:8080"),
        ("https://[2001:db8::1]:443", "use a host name"),
    ])
    func ipv6LiteralEndpoints(input: String, advice: String) throws {
        #if canImport(FoundationNetworking)
        #expect {
            try EndpointValidation.validate(input, setting: "--endpoint-url")
        } throws: { error in
            let text = "\(error)"
            return (error as? CatalogClientError)?.code == .invalidEndpoint && text.contains("--endpoint-url")
                && text.contains("IPv6") && text.contains(advice)
        }
        #else
        #expect(try EndpointValidation.validate(input, setting: "test").host != nil)
        #endif
    }

    #if canImport(FoundationNetworking)
    /// What the refusal above prevents: the request fails as a bad URL even with a server on ::1.
    @Test func urlSessionOnLinuxCannotReachABracketedIPv6Address() async throws {
        let transport = URLSessionTransport(requestTimeout: 5, resourceTimeout: 10)
        // Nothing needs to listen: the URL is refused before any connection is tried.
        await #expect {
            _ = try await transport.send(HTTPRequest(method: "GET", url: URL(string: "http://[::1]:1/ListEntities")!))
        } throws: { error in
            (error as? CatalogError)?.code == .connectionFailed && "\(error)".contains("-1000")
        }
    }
    #endif

    @Test(arguments: [
        ("http://catalog.example.com", CatalogClientError.Code.insecureEndpoint),
        ("http://128.0.0.1", .insecureEndpoint),
        ("http://10.0.0.1:8080", .insecureEndpoint),
        ("http://127.1", .insecureEndpoint),
        ("http://localhost.example.com", .insecureEndpoint),
        // `localhost.` (fully qualified) skips /etc/hosts on glibc and is asked of DNS: not certainly this machine.
        ("http://LOCALHOST.:8080", .insecureEndpoint),
        ("http://0.0.0.0:8080", .insecureEndpoint),
        ("http://[::2]", .insecureEndpoint),
        ("ftp://localhost", .invalidEndpoint),
        ("catalog.example.com", .invalidEndpoint),
        ("https://", .invalidEndpoint),
        ("https://host/path?query=1", .invalidEndpoint),
        ("https://host/#fragment", .invalidEndpoint),
        ("https://user:hunter2@host", .invalidEndpoint),
        ("not a url at all", .invalidEndpoint),
    ])
    func rejectedEndpoints(input: String, code: CatalogClientError.Code) throws {
        #expect {
            try EndpointValidation.validate(input, setting: "--endpoint-url")
        } throws: { error in
            (error as? CatalogClientError)?.code == code && "\(error)".contains("--endpoint-url") && !"\(error)".contains("hunter2")
        }
    }

    @Test func insecureEndpointFromEveryPlaceIsRejected() async throws {
        try await withHome(config: "[default]\nendpoint_url = http://catalog.internal\n") { home async throws in
            #expect { try resolve(.init(), [:], home: home) } throws: {
                ($0 as? CatalogClientError)?.code == .insecureEndpoint && "\($0)".contains("endpoint_url of profile \"default\"")
            }
            #expect { try resolve(.init(), ["AWS_ENDPOINT_URL": "http://10.1.2.3"], home: nil) } throws: {
                ($0 as? CatalogClientError)?.code == .insecureEndpoint && "\($0)".contains("AWS_ENDPOINT_URL")
            }
        }
    }

    @Test(arguments: [
        ("localhost", true), ("127.0.0.1", true), ("127.9.9.9", true), ("[::1]", true), ("::1", true),
        ("::ffff:127.0.0.1", true), ("localhost.", false), ("127.0.0.1\u{0}.evil.example", false),
        ("128.0.0.1", false), ("0.0.0.0", false), ("example.com", false), ("::", false), ("10.0.0.1", false), ("localhostx", false),
    ])
    func loopbackHosts(host: String, loopback: Bool) {
        #expect(EndpointValidation.isLoopback(host: host) == loopback)
    }

    @Test func describeSourcesReportsEverythingWithoutSecrets() async throws {
        try await withHome(
            config: "[profile prod]\nregion = eu-west-2\n",
            credentials: "[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = prod-secret-value\naws_session_token = prod-token-value\n"
        ) { home async throws in
            let resolved = try resolve(
                .init(profile: "prod", endpointURL: "http://localhost:4566"),
                ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret-value"], home: home)
            let text = resolved.describeSources()
            let expected = """
                profile:     prod (--profile)
                region:      eu-west-2 (profile "prod" (\(home.file(".aws/config")):2))
                endpoint:    http://localhost:4566 (--endpoint-url)
                files:       \(home.file(".aws/config")), \(home.file(".aws/credentials"))
                credentials, first that has them:
                  1. credentials given as options: none given
                  2. environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY: skipped because --profile was given
                  3. profile "prod" in \(home.file(".aws/config")) and \(home.file(".aws/credentials")): access key AKIDPROD of profile "prod" (\(home.file(".aws/credentials")):2)
                  4. ECS container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set
                  5. EC2 instance metadata (IMDSv2 at http://169.254.169.254): disabled by AWS_EC2_METADATA_DISABLED=true
                """
            #expect(text == expected)
            for secret in ["prod-secret-value", "prod-token-value", "env-secret-value"] { #expect(!text.contains(secret)) }
        }
    }
}
