@testable import CatalogClient
import CatalogModels
import Foundation
import Testing

@Suite("No secrets in messages")
struct RedactionTests {
    static let secrets = ["wJalrXUtnFEMI-secret", "FwoGZXIvYXdzE-token", "container-bearer-token"]

    @Test func everyFailurePathKeepsSecretsOut() async throws {
        var messages: [String] = []
        func capture(_ body: () async throws -> Void) async {
            do { try await body() } catch { messages.append("\(error)"); messages.append(error.localizedDescription) }
        }
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.secrets[0], "AWS_SESSION_TOKEN": Self.secrets[1],
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/x", "AWS_CONTAINER_AUTHORIZATION_TOKEN": Self.secrets[2],
        ]
        // credential_process that prints secrets and then fails, or prints them in a bad document.
        await capture {
            _ = try await ProcessCredentialsProvider(
                command: "printf '{\"SecretAccessKey\":\"\(Self.secrets[0])\",\"SessionToken\":\"\(Self.secrets[1])\"}'; exit 1",
                profileName: "p", environment: [:]).credentials()
        }
        await capture {
            _ = try await ProcessCredentialsProvider(
                command: "printf '{\"Version\":1,\"SecretAccessKey\":\"\(Self.secrets[0])\",\"SessionToken\":\"\(Self.secrets[1])\"}'",
                profileName: "p", environment: [:]).credentials()
        }
        // STS refuses a role assumed with secret source credentials.
        await capture {
            let source = StaticCredentialsProvider(AWSCredentials(accessKeyId: "AKID", secretAccessKey: Self.secrets[0], sessionToken: Self.secrets[1]))
            let sts = FakeTransport { _ in HTTPResponse(status: 400, body: Data("<ErrorResponse><Error><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error></ErrorResponse>".utf8)) }
            _ = try await AssumeRoleCredentialsProvider(
                source: source, role: .init(roleArn: "arn:aws:iam::1:role/r", sessionName: "s1"), region: "us-east-1", transport: sts
            ).credentials()
        }
        // The container endpoint refuses the bearer token, or is down.
        await capture {
            _ = try await ContainerCredentialsProvider(environment: environment, transport: FakeTransport { _ in jsonResponse("{}", status: 401) }).credentials()
        }
        await capture { _ = try await ContainerCredentialsProvider(environment: environment, transport: FakeTransport()).credentials() }
        // A profile with a token but half a key pair; an endpoint with a password.
        try await withHome(credentials: "[default]\naws_secret_access_key = \(Self.secrets[0])\naws_session_token = \(Self.secrets[1])\n") { home async throws in
            await capture {
                _ = try await AWSConfiguration.resolve(.init(), in: testEnvironment(home: home)).credentialsProvider.credentials()
            }
        }
        await capture { _ = try AWSConfiguration.resolve(.init(endpointURL: "https://me:\(Self.secrets[0])@host"), in: testEnvironment(home: nil)) }
        await capture { _ = try AWSConfiguration.resolve(.init(endpointURL: "http://me:\(Self.secrets[0])@host"), in: testEnvironment(home: nil)) }

        #expect(messages.count == 16)
        for message in messages {
            for secret in Self.secrets { #expect(!message.contains(secret), "\(message)") }
        }
        let credentials = AWSCredentials(accessKeyId: "AKID", secretAccessKey: Self.secrets[0], sessionToken: Self.secrets[1])
        for text in ["\(credentials)", String(reflecting: credentials)] {
            for secret in Self.secrets { #expect(!text.contains(secret)) }
        }
    }

    @Test func errorDescriptionsSayWhatToFix() {
        let samples: [(CatalogClientError, String)] = [
            (.noCredentials(attempts: ["a: b"]), "Fix:"),
            (.profileNotFound("x", context: "selected by --profile", files: ["/h/.aws/config"]), "[profile x]"),
            (.malformedConfigFile("/h/.aws/config", line: 7, "why"), "/h/.aws/config:7:"),
            (.insecureEndpoint("http://h", setting: "AWS_ENDPOINT_URL"), "Use https"),
            (.invalidRegion("bad!", setting: "--region"), "us-east-1"),
        ]
        for (error, fragment) in samples {
            #expect(error.description.contains(fragment))
            #expect(error.localizedDescription == error.description)
        }
        #expect(CatalogClientError.sourceAbsent("s", "r").code == .noCredentials)
    }
}
