@testable import CatalogClient
import CatalogModels
import Foundation
import Testing

@Suite("Credential chain: sources and precedence")
struct CredentialChainTests {
    static let credentialsFile = """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [prod]
        aws_access_key_id = AKIDPROD
        aws_secret_access_key = prod-secret
        aws_session_token = prod-token
        """

    func credentials(_ options: AWSConfigurationOptions = .init(), _ environment: AWSRuntimeEnvironment) async throws -> AWSCredentials {
        try await AWSConfiguration.resolve(options, in: environment).credentialsProvider.credentials()
    }

    @Test func explicitOptionsBeatEverything() async throws {
        try await withHome(credentials: Self.credentialsFile) { home async throws in
            let environment = testEnvironment(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"], home: home)
            let options = AWSConfigurationOptions(accessKeyId: "AKIDOPTION", secretAccessKey: "option-secret", sessionToken: "t")
            let resolved = try await credentials(options, environment)
            #expect(resolved == AWSCredentials(accessKeyId: "AKIDOPTION", secretAccessKey: "option-secret", sessionToken: "t"))
        }
    }

    @Test func halfAnExplicitKeyPairIsAnError() throws {
        #expect(throws: CatalogClientError.self) {
            try AWSConfiguration.resolve(.init(accessKeyId: "AKID"), in: testEnvironment(home: nil))
        }
    }

    @Test func environmentBeatsProfilesEvenWithAWSProfile() async throws {
        try await withHome(credentials: Self.credentialsFile) { home async throws in
            let environment = testEnvironment(
                ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
                 "AWS_PROFILE": "prod"], home: home)
            let resolved = try await credentials(.init(), environment)
            #expect(resolved == AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
        }
    }

    @Test func explicitProfileOptionSkipsEnvironmentKeys() async throws {
        try await withHome(credentials: Self.credentialsFile) { home async throws in
            let environment = testEnvironment(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"], home: home)
            let resolved = try await credentials(.init(profile: "prod"), environment)
            #expect(resolved.accessKeyId == "AKIDPROD")
            #expect(resolved.sessionToken == "prod-token")
        }
    }

    @Test func profileSelection() async throws {
        try await withHome(credentials: Self.credentialsFile) { home async throws in
            #expect(try await credentials(.init(), testEnvironment(home: home)).accessKeyId == "AKIDDEFAULT")
            #expect(try await credentials(.init(), testEnvironment(["AWS_PROFILE": "prod"], home: home)).accessKeyId == "AKIDPROD")
            let resolved = try AWSConfiguration.resolve(.init(profile: "default"), in: testEnvironment(["AWS_PROFILE": "prod"], home: home))
            #expect(resolved.profileName == "default", "--profile beats AWS_PROFILE")
            #expect(try await resolved.credentialsProvider.credentials().accessKeyId == "AKIDDEFAULT")
        }
    }

    @Test func halfAnEnvironmentKeyPairIsAnError() async throws {
        await #expect {
            try await credentials(.init(), testEnvironment(["AWS_ACCESS_KEY_ID": "AKIDENV"], home: nil))
        } throws: { error in
            (error as? CatalogClientError)?.code == .partialCredentials
                && "\(error)".contains("AWS_SECRET_ACCESS_KEY")
        }
    }

    @Test func configFileProfilesUseTheProfileKeyword() async throws {
        try await withHome(config: """
            [profile dev]
            aws_access_key_id = AKIDDEV
            aws_secret_access_key = dev-secret
            [ops]
            aws_access_key_id = AKIDOPS
            aws_secret_access_key = ops-secret
            """) { home async throws in
            #expect(try await credentials(.init(profile: "dev"), testEnvironment(home: home)).accessKeyId == "AKIDDEV")
            #expect {
                try AWSConfiguration.resolve(.init(profile: "ops"), in: testEnvironment(home: home))
            } throws: { ($0 as? CatalogClientError)?.code == .profileNotFound }
        }
    }

    @Test func credentialsFileWinsOverConfigForTheSameProfile() async throws {
        try await withHome(
            config: "[profile prod]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret\nregion = eu-west-3\n",
            credentials: "[prod]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = creds-secret\n"
        ) { home async throws in
            let resolved = try AWSConfiguration.resolve(.init(profile: "prod"), in: testEnvironment(home: home))
            #expect(try await resolved.credentialsProvider.credentials().accessKeyId == "AKIDCREDS")
            #expect(resolved.region == "eu-west-3", "keys only in the config file still apply")
        }
    }

    @Test func fileLocationsFromEnvironment() async throws {
        try await withHome { home in
            try home.write("elsewhere-credentials", "[default]\naws_access_key_id = AKIDELSEWHERE\naws_secret_access_key = s\n")
            try home.write("elsewhere-config", "[default]\nregion = sa-east-1\n")
            let environment = testEnvironment(
                ["AWS_SHARED_CREDENTIALS_FILE": home.file("elsewhere-credentials"), "AWS_CONFIG_FILE": home.file("elsewhere-config")],
                home: home)
            let resolved = try AWSConfiguration.resolve(.init(), in: environment)
            #expect(resolved.region == "sa-east-1")
            #expect(try await resolved.credentialsProvider.credentials().accessKeyId == "AKIDELSEWHERE")
        }
    }

    @Test func namedProfileThatDoesNotExistFailsEarly() async throws {
        try await withHome(credentials: Self.credentialsFile) { home async throws in
            for (options, variables, context) in [
                (AWSConfigurationOptions(profile: "nope"), [String: String](), "--profile"),
                (AWSConfigurationOptions(), ["AWS_PROFILE": "nope"], "AWS_PROFILE"),
            ] {
                #expect {
                    try AWSConfiguration.resolve(options, in: testEnvironment(variables, home: home))
                } throws: { error in
                    let text = "\(error)"
                    return (error as? CatalogClientError)?.code == .profileNotFound && text.contains("\"nope\"")
                        && text.contains(context) && text.contains(home.file(".aws/credentials"))
                }
            }
        }
    }

    @Test func malformedFileFailsEarlyWithFileAndLine() async throws {
        try await withHome(config: "[default]\nregion = us-east-1\nthis line is wrong\n") { home async throws in
            #expect {
                try AWSConfiguration.resolve(.init(), in: testEnvironment(home: home))
            } throws: { error in
                (error as? CatalogClientError)?.code == .malformedConfigFile && "\(error)".contains(home.file(".aws/config") + ":3:")
            }
        }
    }

    @Test func partialProfileKeysAreAnError() async throws {
        try await withHome(credentials: "[default]\naws_access_key_id = AKIDHALF\n") { home async throws in
            await #expect {
                try await credentials(.init(), testEnvironment(home: home))
            } throws: { ($0 as? CatalogClientError)?.code == .partialCredentials && "\($0)".contains("aws_secret_access_key") }
        }
    }

    @Test func ssoProfilesExplainTheWorkaround() async throws {
        try await withHome(config: "[profile corp]\nsso_session = corp\nsso_account_id = 123456789012\n") { home async throws in
            await #expect {
                try await credentials(.init(profile: "corp"), testEnvironment(home: home))
            } throws: { ($0 as? CatalogClientError)?.code == .invalidProfile && "\($0)".contains("export-credentials") }
        }
    }

    @Test func profileBeatsContainerAndContainerBeatsInstanceMetadata() async throws {
        let metadata = FakeTransport { request in
            if request.url.host == "169.254.170.2" {
                return jsonResponse("""
                    {"AccessKeyId":"AKIDECS","SecretAccessKey":"ecs-secret","Token":"ecs-token","Expiration":"2024-05-01T18:00:00Z"}
                    """)
            }
            Issue.record("instance metadata must not be asked when the container endpoint answers")
            throw CatalogError(.connectionFailed, message: "unexpected")
        }
        let variables = ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"]
        try await withHome(credentials: Self.credentialsFile) { home async throws in
            let fromProfile = try await credentials(.init(), testEnvironment(variables, home: home, metadata: metadata, imds: true))
            #expect(fromProfile.accessKeyId == "AKIDDEFAULT")
            #expect(metadata.requests.isEmpty)
        }
        let fromContainer = try await credentials(.init(), testEnvironment(variables, home: nil, metadata: metadata, imds: true))
        #expect(fromContainer.accessKeyId == "AKIDECS")
        #expect(metadata.requests.map(\.url.absoluteString) == ["http://169.254.170.2/v2/credentials/abc"])
    }

    @Test func instanceMetadataIsTheLastResort() async throws {
        let metadata = FakeTransport(InstanceMetadataTests.imdsHandler(role: "ec2-role"))
        let resolved = try await credentials(.init(), testEnvironment(home: nil, metadata: metadata, imds: true))
        #expect(resolved.accessKeyId == "AKIDIMDS")
    }

    @Test func noCredentialsMessageListsEveryPlaceInOrder() async throws {
        try await withHome(config: "[default]\nregion = eu-west-1\n") { home async throws in
            let metadata = FakeTransport { request in
                throw CatalogError(.timeout, message: "the request to \(request.url.host ?? "") timed out")
            }
            let environment = testEnvironment(home: home, metadata: metadata, imds: true)
            let resolved = try AWSConfiguration.resolve(.init(), in: environment)
            await #expect {
                try await resolved.credentialsProvider.credentials()
            } throws: { error in
                let text = "\(error)"
                let expectedOrder = [
                    "No AWS credentials found. Looked, in order, at:",
                    "1. credentials given as options: none given",
                    "2. environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY: not set",
                    "3. profile \"default\" in \(home.file(".aws/config")) and \(home.file(".aws/credentials")): the profile holds no",
                    "4. ECS container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
                    "5. EC2 instance metadata (IMDSv2 at http://169.254.169.254): not reachable (token request: NetworkTimeout",
                    "Fix: set AWS_ACCESS_KEY_ID",
                ]
                var position = text.startIndex
                for fragment in expectedOrder {
                    guard let range = text.range(of: fragment, range: position..<text.endIndex) else {
                        Issue.record("missing or out of order: \(fragment)\nin:\n\(text)")
                        return false
                    }
                    position = range.upperBound
                }
                return (error as? CatalogClientError)?.code == .noCredentials
            }
            #expect(metadata.requests.count == 1, "one token attempt, no retries")
        }
    }

    @Test func noCredentialsMessageShowsSkippedAndDisabledSources() async throws {
        try await withHome(credentials: "[prod]\nregion = x\n") { home async throws in
            let environment = testEnvironment(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"], home: home)
            await #expect {
                try await credentials(.init(profile: "prod"), environment)
            } throws: { error in
                let text = "\(error)"
                return text.contains("skipped because --profile was given") && text.contains("disabled by AWS_EC2_METADATA_DISABLED=true")
                    && !text.contains("env-secret")
            }
        }
    }

    @Test func noHomeAndNothingElse() async throws {
        await #expect {
            try await credentials(.init(), testEnvironment(home: nil))
        } throws: { "\($0)".contains("profile \"default\": neither file exists") }
    }

    @Test func chainRemembersTheSourceThatAnswered() async throws {
        try await withHome(credentials: Self.credentialsFile) { home async throws in
            let resolved = try AWSConfiguration.resolve(.init(profile: "prod"), in: testEnvironment(home: home))
            _ = try await resolved.credentialsProvider.credentials()
            let active = await resolved.credentialsChain.activeSource
            #expect(active?.hasPrefix("profile \"prod\"") == true)
        }
    }
}
