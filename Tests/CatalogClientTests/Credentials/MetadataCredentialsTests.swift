@testable import CatalogClient
import Hashing
import CatalogModels
import Foundation
import Testing

@Suite("ECS container credentials")
struct ContainerCredentialsTests {
    static let document = #"{"RoleArn":"arn:aws:iam::1:role/task","AccessKeyId":"AKIDECS","SecretAccessKey":"ecs-secret","Token":"ecs-token","Expiration":"2024-05-01T18:00:00Z"}"#

    @Test func relativeURIGoesToTheECSHost() async throws {
        let transport = FakeTransport { _ in jsonResponse(Self.document) }
        let provider = ContainerCredentialsProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/1234"], transport: transport)
        let credentials = try await provider.credentials()
        #expect(credentials == AWSCredentials(
            accessKeyId: "AKIDECS", secretAccessKey: "ecs-secret", sessionToken: "ecs-token",
            expiration: Date(timeIntervalSince1970: 1_714_586_400)))
        let request = try #require(transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.url.absoluteString == "http://169.254.170.2/v2/credentials/1234")
        #expect(request.header("Authorization") == nil)
    }

    @Test func fullURIWithTokenAndTokenFile() async throws {
        let transport = FakeTransport { _ in jsonResponse(Self.document) }
        var environment = [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "token-from-variable",
        ]
        _ = try await ContainerCredentialsProvider(environment: environment, transport: transport).credentials()
        #expect(transport.requests.last?.header("Authorization") == "token-from-variable")
        #expect(transport.requests.last?.url.absoluteString == "http://169.254.170.23/v1/credentials")

        try await withHome { home in
            try home.write("token", "token-from-file\n")
            environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = home.file("token")
            _ = try await ContainerCredentialsProvider(environment: environment, transport: transport).credentials()
            #expect(transport.requests.last?.header("Authorization") == "token-from-file", "the file wins over the variable")

            environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = home.file("missing-token")
            await #expect {
                try await ContainerCredentialsProvider(environment: environment, transport: transport).credentials()
            } throws: { "\($0)".contains("cannot be read") && !"\($0)".contains("token-from-variable") }
        }
    }

    @Test(arguments: [
        ("https://creds.example.com/role", true),
        ("http://127.0.0.1:51679/role", true),
        ("http://localhost/role", true),
        ("http://[fd00:ec2::23]/v1/credentials", true),
        ("http://169.254.170.2/v2/creds", true),
        ("http://creds.example.com/role", false),
        ("ftp://127.0.0.1/role", false),
    ])
    func fullURIHostRules(uri: String, allowed: Bool) async throws {
        let transport = FakeTransport { _ in jsonResponse(Self.document) }
        let provider = ContainerCredentialsProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri], transport: transport)
        if allowed {
            #expect(try await provider.credentials().accessKeyId == "AKIDECS")
        } else {
            await #expect { try await provider.credentials() } throws: { ($0 as? CatalogClientError)?.code == .metadataFailed }
            #expect(transport.requests.isEmpty)
        }
    }

    @Test func failuresNameTheHostButNotThePathOrToken() async throws {
        let environment = [
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/secret-guid",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "very-secret-container-token",
        ]
        let refusing = FakeTransport { _ in jsonResponse(#"{"code":"AccessDenied","message":"Task role not available"}"#, status: 403) }
        await #expect {
            try await ContainerCredentialsProvider(environment: environment, transport: refusing).credentials()
        } throws: { error in
            let text = "\(error)"
            return text.contains("169.254.170.2") && text.contains("HTTP 403") && text.contains("Task role not available")
                && !text.contains("secret-guid") && !text.contains("very-secret-container-token")
        }
        await #expect {
            try await ContainerCredentialsProvider(environment: environment, transport: FakeTransport()).credentials()
        } throws: { "\($0)".contains("did not answer") && !"\($0)".contains("secret-guid") }
        let garbage = FakeTransport { _ in jsonResponse(#"{"AccessKeyId":"A"}"#) }
        await #expect {
            try await ContainerCredentialsProvider(environment: environment, transport: garbage).credentials()
        } throws: { "\($0)".contains("SecretAccessKey") }
    }

    @Test func notConfiguredIsAbsentNotAFailure() async throws {
        await #expect {
            try await ContainerCredentialsProvider(environment: [:], transport: FakeTransport()).credentials()
        } throws: { ($0 as? CatalogClientError)?.isSourceAbsent == true }
    }
}

@Suite("EC2 instance metadata (IMDSv2)")
struct InstanceMetadataTests {
    /// An IMDSv2 service with one role, checking the token on every metadata read.
    static func imdsHandler(role: String, token: String = "imds-session-token") -> @Sendable (HTTPRequest) throws -> HTTPResponse {
        { request in
            switch (request.method, request.url.path) {
            case ("PUT", "/latest/api/token"):
                guard request.header("X-aws-ec2-metadata-token-ttl-seconds") != nil else { return HTTPResponse(status: 400) }
                return HTTPResponse(status: 200, body: Data(token.utf8))
            case ("GET", _) where request.header("X-aws-ec2-metadata-token") != token:
                return HTTPResponse(status: 401)
            case ("GET", "/latest/meta-data/iam/security-credentials/"), ("GET", "/latest/meta-data/iam/security-credentials"):
                return HTTPResponse(status: 200, body: Data("\(role)\n".utf8))
            case ("GET", "/latest/meta-data/iam/security-credentials/\(role)"):
                return jsonResponse("""
                    {"Code":"Success","LastUpdated":"2024-05-01T11:00:00Z","Type":"AWS-HMAC","AccessKeyId":"AKIDIMDS",\
                    "SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"2024-05-01T17:00:00Z"}
                    """)
            default:
                return HTTPResponse(status: 404)
            }
        }
    }

    @Test func tokenThenRoleThenCredentials() async throws {
        let transport = FakeTransport(Self.imdsHandler(role: "web-role"))
        let credentials = try await InstanceMetadataCredentialsProvider(transport: transport).credentials()
        #expect(credentials.accessKeyId == "AKIDIMDS")
        #expect(credentials.sessionToken == "imds-token")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_714_582_800))
        let requests = transport.requests
        #expect(requests.map { "\($0.method) \($0.url.absoluteString)" } == [
            "PUT http://169.254.169.254/latest/api/token",
            "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/web-role",
        ])
        #expect(requests[0].header("X-aws-ec2-metadata-token-ttl-seconds") == "21600")
        #expect(requests[1].header("X-aws-ec2-metadata-token") == "imds-session-token")
        #expect(requests[2].header("X-aws-ec2-metadata-token") == "imds-session-token")
    }

    @Test func disabledByVariableMakesNoRequest() async throws {
        let transport = FakeTransport(Self.imdsHandler(role: "r"))
        await #expect {
            try await AWSConfiguration.resolve(.init(), in: testEnvironment(["AWS_EC2_METADATA_DISABLED": "TRUE"], home: nil, metadata: transport))
                .credentialsProvider.credentials()
        } throws: { "\($0)".contains("disabled by AWS_EC2_METADATA_DISABLED=true") }
        #expect(transport.requests.isEmpty)
    }

    @Test func endpointSettings() async throws {
        let transport = FakeTransport(Self.imdsHandler(role: "r"))
        _ = try await AWSConfiguration.resolve(
            .init(), in: testEnvironment(["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1338/"], home: nil, metadata: transport, imds: true)
        ).credentialsProvider.credentials()
        #expect(transport.requests.first?.url.absoluteString == "http://127.0.0.1:1338/latest/api/token")
        _ = try await AWSConfiguration.resolve(
            .init(), in: testEnvironment(["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"], home: nil, metadata: transport, imds: true)
        ).credentialsProvider.credentials()
        #expect(transport.requests.last?.url.host?.contains("fd00:ec2::254") == true)
    }

    @Test func inTheChainUnavailableMeansAbsent() async throws {
        for (handler, reason) in [
            ({ @Sendable (_: HTTPRequest) throws -> HTTPResponse in throw CatalogError(.timeout, message: "timed out") }, "not reachable"),
            ({ @Sendable (_: HTTPRequest) throws -> HTTPResponse in HTTPResponse(status: 403) }, "HTTP 403"),
            ({ @Sendable (request: HTTPRequest) throws -> HTTPResponse in
                request.method == "PUT" ? HTTPResponse(status: 200, body: Data("t".utf8)) : HTTPResponse(status: 404)
            }, "no IAM role is attached"),
        ] {
            let provider = InstanceMetadataCredentialsProvider(transport: FakeTransport(handler), absentWhenUnavailable: true)
            await #expect { try await provider.credentials() } throws: { error in
                (error as? CatalogClientError)?.isSourceAbsent == true && "\(error)".contains(reason)
            }
            let strict = InstanceMetadataCredentialsProvider(transport: FakeTransport(handler), absentWhenUnavailable: false)
            await #expect { try await strict.credentials() } throws: { ($0 as? CatalogClientError)?.code == .metadataFailed }
        }
    }

    @Test func unsuccessfulDocumentIsAnError() async throws {
        let transport = FakeTransport { request in
            switch request.method {
            case "PUT": return HTTPResponse(status: 200, body: Data("t".utf8))
            default:
                return request.url.path.hasSuffix("/r")
                    ? jsonResponse(#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"x"}"#)
                    : HTTPResponse(status: 200, body: Data("r".utf8))
            }
        }
        await #expect {
            try await InstanceMetadataCredentialsProvider(transport: transport, absentWhenUnavailable: true).credentials()
        } throws: { ($0 as? CatalogClientError)?.code == .metadataFailed && "\($0)".contains("AssumeRoleUnauthorizedAccess") }
    }
}
