@testable import CatalogClient
import Hashing
import CatalogModels
import Foundation
import Testing

@Suite("AssumeRole through STS")
struct AssumeRoleTests {
    static let roleArn = "arn:aws:iam::123456789012:role/catalog-admin"

    /// STS that answers each AssumeRole with keys named after the role's last path component.
    static func sts() -> FakeTransport {
        FakeTransport { request in
            let role = formParameters(request)["RoleArn"] ?? "?"
            let name = role.split(separator: "/").last.map(String.init) ?? "?"
            return assumeRoleResponse(accessKeyId: "ASIA" + name.uppercased(), secret: "secret-of-\(name)", token: "token-of-\(name)")
        }
    }

    @Test func sourceProfileRoleIsSignedForSTSAndCarriesTheFormParameters() async throws {
        try await withHome(
            config: """
                [profile admin]
                role_arn = \(Self.roleArn)
                source_profile = base
                role_session_name = nightly-run
                external_id = ext-42
                duration_seconds = 1800
                region = eu-west-1
                """,
            credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"
        ) { home async throws in
            let sts = Self.sts()
            let resolved = try AWSConfiguration.resolve(.init(profile: "admin"), in: testEnvironment(home: home, transport: sts))
            let credentials = try await resolved.credentialsProvider.credentials()
            #expect(credentials.accessKeyId == "ASIACATALOG-ADMIN")
            #expect(credentials.secretAccessKey == "secret-of-catalog-admin")
            #expect(credentials.sessionToken == "token-of-catalog-admin")
            #expect(credentials.expiration == Date(timeIntervalSince1970: 1_714_568_400))

            let request = try #require(sts.requests.first)
            #expect(sts.requests.count == 1)
            #expect(request.method == "POST")
            #expect(request.url.absoluteString == "https://sts.eu-west-1.amazonaws.com/")
            #expect(request.header("Content-Type") == "application/x-www-form-urlencoded; charset=utf-8")
            #expect(formParameters(request) == [
                "Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": Self.roleArn,
                "RoleSessionName": "nightly-run", "ExternalId": "ext-42", "DurationSeconds": "1800",
            ])
            #expect(String(decoding: request.body, as: UTF8.self).contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fcatalog-admin"))
            let authorization = try #require(request.header("Authorization"))
            #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDBASE/20240501/eu-west-1/sts/aws4_request,"))
            #expect(request.header("X-Amz-Date") == "20240501T120000Z")
            #expect(request.header("X-Amz-Security-Token") == nil, "long-term source keys have no token")
            let verifier = SigV4Verifier(service: "sts", region: "eu-west-1") { id in
                id == "AKIDBASE" ? AWSCredentials(accessKeyId: "AKIDBASE", secretAccessKey: "base-secret") : nil
            }
            #expect(verifier.verify(request, now: TestClock.start) == .verified(accessKeyId: "AKIDBASE"))
        }
    }

    @Test func signingIsInjectedWithServiceSTS() async throws {
        struct Recorded: Sendable, Equatable { var region: String; var service: String; var key: String }
        final class Box: @unchecked Sendable { let lock = NSLock(); var items: [Recorded] = [] }
        let box = Box()
        let sts = Self.sts()
        try await withHome(config: "[default]\nrole_arn = \(Self.roleArn)\ncredential_source = Environment\n") { home async throws in
            let environment = testEnvironment(
                ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_REGION": "ap-southeast-2"],
                home: home, transport: sts)
            // Environment keys would win the chain outright; the role is reached via --profile.
            let resolved = try AWSConfiguration.resolve(.init(profile: "default"), in: environment) { request, credentials, region, service, _ in
                box.lock.withLock { box.items.append(Recorded(region: region, service: service, key: credentials.accessKeyId)) }
                return request
            }
            #expect(try await resolved.credentialsProvider.credentials().accessKeyId == "ASIACATALOG-ADMIN")
        }
        #expect(box.items == [Recorded(region: "ap-southeast-2", service: "sts", key: "AKIDENV")])
        #expect(sts.requests.first?.url.host == "sts.ap-southeast-2.amazonaws.com")
        #expect(formParameters(try #require(sts.requests.first))["RoleSessionName"] == "bulkrunner-1714564800")
    }

    @Test func chainedRolesAreAssumedInnermostFirstWithEachOthersCredentials() async throws {
        try await withHome(
            config: """
                [profile outer]
                role_arn = arn:aws:iam::111111111111:role/outer
                source_profile = middle
                [profile middle]
                role_arn = arn:aws:iam::222222222222:role/middle
                source_profile = root
                [profile root]
                aws_access_key_id = AKIDROOT
                aws_secret_access_key = root-secret
                """
        ) { home async throws in
            let sts = Self.sts()
            let credentials = try await AWSConfiguration.resolve(.init(profile: "outer"), in: testEnvironment(home: home, transport: sts))
                .credentialsProvider.credentials()
            #expect(credentials.accessKeyId == "ASIAOUTER")
            #expect(sts.requests.map { formParameters($0)["RoleArn"] } == [
                "arn:aws:iam::222222222222:role/middle", "arn:aws:iam::111111111111:role/outer",
            ])
            #expect(sts.requests[0].header("Authorization")?.contains("Credential=AKIDROOT/") == true)
            #expect(sts.requests[1].header("Authorization")?.contains("Credential=ASIAMIDDLE/") == true)
            #expect(sts.requests[1].header("X-Amz-Security-Token") == "token-of-middle")
        }
    }

    @Test func sourceProfileWithKeysAndItsOwnRoleUsesItsKeys() async throws {
        try await withHome(
            config: """
                [profile a]
                role_arn = arn:aws:iam::1:role/a
                source_profile = b
                [profile b]
                role_arn = arn:aws:iam::1:role/b
                source_profile = a
                aws_access_key_id = AKIDB
                aws_secret_access_key = b-secret
                [profile self]
                role_arn = arn:aws:iam::1:role/self
                source_profile = self
                aws_access_key_id = AKIDSELF
                aws_secret_access_key = self-secret
                """
        ) { home async throws in
            let sts = Self.sts()
            #expect(try await AWSConfiguration.resolve(.init(profile: "a"), in: testEnvironment(home: home, transport: sts))
                .credentialsProvider.credentials().accessKeyId == "ASIAA")
            #expect(sts.requests.count == 1, "b's keys are the base; b's own role is not assumed")
            #expect(try await AWSConfiguration.resolve(.init(profile: "self"), in: testEnvironment(home: home, transport: sts))
                .credentialsProvider.credentials().accessKeyId == "ASIASELF")
            #expect(sts.requests.last?.header("Authorization")?.contains("Credential=AKIDSELF/") == true)
        }
    }

    @Test func cyclesAreDetected() async throws {
        try await withHome(config: """
            [profile a]
            role_arn = arn:aws:iam::1:role/a
            source_profile = b
            [profile b]
            role_arn = arn:aws:iam::1:role/b
            source_profile = c
            [profile c]
            role_arn = arn:aws:iam::1:role/c
            source_profile = a
            """) { home async throws in
            let sts = Self.sts()
            await #expect {
                try await AWSConfiguration.resolve(.init(profile: "a"), in: testEnvironment(home: home, transport: sts))
                    .credentialsProvider.credentials()
            } throws: { ($0 as? CatalogClientError)?.code == .invalidProfile && "\($0)".contains("a → b → c → a") }
            #expect(sts.requests.isEmpty)
        }
    }

    @Test(arguments: [
        ("role_arn = R\nsource_profile = x\ncredential_source = Environment\n", CatalogClientError.Code.invalidProfile, "both source_profile and credential_source"),
        ("role_arn = R\n", .invalidProfile, "needs source_profile or credential_source"),
        ("role_arn = R\ncredential_source = Laptop\n", .invalidProfile, "Laptop is not one of"),
        ("role_arn = R\nsource_profile = ghost\n", .profileNotFound, "source_profile of profile \"p\""),
        ("role_arn = R\ncredential_source = Environment\nmfa_serial = arn:aws:iam::1:mfa/me\n", .invalidProfile, "non-interactively"),
        ("role_arn = R\ncredential_source = Environment\nduration_seconds = 60\n", .invalidProfile, "900 to 43200"),
        ("role_arn = R\ncredential_source = Environment\nrole_session_name = has space\n", .invalidProfile, "role_session_name"),
        ("role_arn = R\nweb_identity_token_file = /t\n", .invalidProfile, "not supported"),
        ("role_arn = R\nsource_profile = empty\n", .invalidProfile, "holds no credentials"),
    ])
    func invalidRoleProfiles(settings: String, code: CatalogClientError.Code, message: String) async throws {
        try await withHome(config: "[profile p]\n\(settings)[profile empty]\nregion = us-east-1\n") { home async throws in
            await #expect {
                try await AWSConfiguration.resolve(.init(profile: "p"), in: testEnvironment(home: home, transport: Self.sts()))
                    .credentialsProvider.credentials()
            } throws: { error in
                (error as? CatalogClientError)?.code == code && "\(error)".contains(message)
            }
        }
    }

    @Test func credentialSourceEnvironmentMustHaveKeys() async throws {
        try await withHome(config: "[profile p]\nrole_arn = R\ncredential_source = Environment\n") { home async throws in
            await #expect {
                try await AWSConfiguration.resolve(.init(profile: "p"), in: testEnvironment(home: home, transport: Self.sts()))
                    .credentialsProvider.credentials()
            } throws: { ($0 as? CatalogClientError)?.code == .invalidProfile && "\($0)".contains("credential_source = Environment, but not set") }
        }
    }

    @Test func credentialSourceContainerAndInstanceMetadata() async throws {
        let metadata = FakeTransport { request in
            if request.url.host == "169.254.170.2" {
                return jsonResponse(#"{"AccessKeyId":"AKIDECS","SecretAccessKey":"s","Token":"t","Expiration":"2024-05-01T18:00:00Z"}"#)
            }
            return try InstanceMetadataTests.imdsHandler(role: "r")(request)
        }
        try await withHome(config: """
            [profile ecs]
            role_arn = arn:aws:iam::1:role/fromecs
            credential_source = EcsContainer
            [profile ec2]
            role_arn = arn:aws:iam::1:role/fromec2
            credential_source = Ec2InstanceMetadata
            """) { home async throws in
            let sts = Self.sts()
            let environment = testEnvironment(
                ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"], home: home, transport: sts, metadata: metadata, imds: true)
            #expect(try await AWSConfiguration.resolve(.init(profile: "ecs"), in: environment).credentialsProvider.credentials()
                .accessKeyId == "ASIAFROMECS")
            #expect(sts.requests.last?.header("Authorization")?.contains("Credential=AKIDECS/") == true)
            #expect(try await AWSConfiguration.resolve(.init(profile: "ec2"), in: environment).credentialsProvider.credentials()
                .accessKeyId == "ASIAFROMEC2")
            #expect(sts.requests.last?.header("Authorization")?.contains("Credential=AKIDIMDS/") == true)

            let disabled = testEnvironment(["AWS_EC2_METADATA_DISABLED": "true"], home: home, transport: sts, metadata: metadata)
            await #expect {
                try await AWSConfiguration.resolve(.init(profile: "ec2"), in: disabled).credentialsProvider.credentials()
            } throws: { "\($0)".contains("AWS_EC2_METADATA_DISABLED") }
        }
    }

    @Test func stsErrorsCarryCodeAndMessageButNoSecrets() async throws {
        let sts = FakeTransport { _ in
            HTTPResponse(status: 403, body: Data("""
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error>
                    <Type>Sender</Type>
                    <Code>AccessDenied</Code>
                    <Message>User: arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:AssumeRole</Message>
                  </Error>
                  <RequestId>8c7e3a1d-0000-4000-8000-000000000000</RequestId>
                </ErrorResponse>
                """.utf8))
        }
        try await withHome(
            config: "[profile p]\nrole_arn = \(Self.roleArn)\nsource_profile = base\n",
            credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = very-secret-base-key\naws_session_token = very-secret-token\n"
        ) { home async throws in
            await #expect {
                try await AWSConfiguration.resolve(.init(profile: "p"), in: testEnvironment(home: home, transport: sts))
                    .credentialsProvider.credentials()
            } throws: { error in
                let text = "\(error)"
                return (error as? CatalogClientError)?.code == .assumeRoleFailed
                    && text.contains(Self.roleArn) && text.contains("HTTP 403 AccessDenied")
                    && text.contains("is not authorized to perform: sts:AssumeRole")
                    && text.contains("8c7e3a1d-0000-4000-8000-000000000000")
                    && !text.contains("very-secret-base-key") && !text.contains("very-secret-token")
            }
        }
    }

    @Test func networkFailureAndGarbage() async throws {
        let source = StaticCredentialsProvider(AWSCredentials(accessKeyId: "AKID", secretAccessKey: "s"))
        let role = AssumeRoleCredentialsProvider.Role(roleArn: Self.roleArn, sessionName: "s1")
        let down = AssumeRoleCredentialsProvider(source: source, role: role, region: "us-east-1", transport: FakeTransport())
        await #expect { try await down.credentials() } throws: {
            ($0 as? CatalogClientError)?.code == .assumeRoleFailed && "\($0)".contains("sts.us-east-1.amazonaws.com did not answer")
        }
        let garbage = AssumeRoleCredentialsProvider(
            source: source, role: role, region: "us-east-1", transport: FakeTransport { _ in HTTPResponse(status: 200, body: Data("<ok/>".utf8)) })
        await #expect { try await garbage.credentials() } throws: { "\($0)".contains("no Credentials element") }
    }

    @Test func stsEndpointSettings() async throws {
        try await withHome(
            config: """
                [profile legacy]
                role_arn = R
                credential_source = Environment
                sts_regional_endpoints = legacy
                [profile local]
                role_arn = R
                credential_source = Environment
                services = dev
                [services dev]
                sts =
                  endpoint_url = http://localhost:4566
                """
        ) { home async throws in
            let sts = Self.sts()
            let variables = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-north-1"]
            _ = try await AWSConfiguration.resolve(.init(profile: "legacy"), in: testEnvironment(variables, home: home, transport: sts))
                .credentialsProvider.credentials()
            #expect(sts.requests.last?.url.absoluteString == "https://sts.amazonaws.com/")
            #expect(sts.requests.last?.header("Authorization")?.contains("/eu-north-1/sts/aws4_request") == true)
            _ = try await AWSConfiguration.resolve(.init(profile: "local"), in: testEnvironment(variables, home: home, transport: sts))
                .credentialsProvider.credentials()
            #expect(sts.requests.last?.url.absoluteString == "http://localhost:4566/")
            var withVariable = variables
            withVariable["AWS_ENDPOINT_URL_STS"] = "https://sts.example.internal"
            _ = try await AWSConfiguration.resolve(.init(profile: "local"), in: testEnvironment(withVariable, home: home, transport: sts))
                .credentialsProvider.credentials()
            #expect(sts.requests.last?.url.absoluteString == "https://sts.example.internal/")
        }
    }

    @Test func responseParserIgnoresNamespacesAndFindsErrors() throws {
        let leaves = try #require(STSResponseParser.leaves(assumeRoleResponse(accessKeyId: "ASIAX", expiration: "2024-05-01T13:00:00.123Z").body))
        let credentials = try #require(STSResponseParser.credentials(leaves))
        #expect(credentials.accessKeyId == "ASIAX")
        #expect(credentials.expiration.map { abs($0.timeIntervalSince1970 - 1_714_568_400.123) < 0.001 } == true)
        #expect(STSResponseParser.leaves(Data("not xml <".utf8)) == nil)
        let error = STSResponseParser.error(try #require(STSResponseParser.leaves(Data(
            "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>gone</Message></Error><RequestId>r1</RequestId></ErrorResponse>".utf8))))
        #expect(error.code == "ExpiredToken" && error.message == "gone" && error.requestId == "r1")
    }
}
