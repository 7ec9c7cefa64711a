@testable import CatalogClient
import Foundation
import Testing

@Suite("credential_process")
struct ProcessCredentialsTests {
    @Test func realShellCommandPrintsCredentials() async throws {
        let command = #"printf '{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"proc-secret","SessionToken":"proc-token","Expiration":"2024-05-01T13:00:00Z"}'"#
        let provider = ProcessCredentialsProvider(command: command, profileName: "p", environment: [:], runner: ShellProcessRunner())
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyId == "AKIDPROC")
        #expect(credentials.secretAccessKey == "proc-secret")
        #expect(credentials.sessionToken == "proc-token")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_714_568_400))
    }

    @Test func longTermKeysNeedNoTokenOrExpiration() async throws {
        let command = #"printf '{"Version": 1, "AccessKeyId": "AKIDLONG", "SecretAccessKey": "s"}\n'"#
        let credentials = try await ProcessCredentialsProvider(command: command, profileName: "p", environment: [:]).credentials()
        #expect(credentials == AWSCredentials(accessKeyId: "AKIDLONG", secretAccessKey: "s"))
    }

    @Test func commandSeesTheInjectedEnvironment() async throws {
        let command = #"printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"s"}' "$KEY_FOR_TEST""#
        let credentials = try await ProcessCredentialsProvider(
            command: command, profileName: "p", environment: ["KEY_FOR_TEST": "AKIDFROMENV"]).credentials()
        #expect(credentials.accessKeyId == "AKIDFROMENV")
    }

    @Test func failingCommandReportsStatusAndStandardErrorButNotOutput() async throws {
        let command = #"printf '{"SecretAccessKey":"leaked-secret"}'; echo 'token expired: run aws sso login' >&2; exit 3"#
        let provider = ProcessCredentialsProvider(command: command, profileName: "corp", environment: [:])
        await #expect {
            try await provider.credentials()
        } throws: { error in
            let text = "\(error)"
            return (error as? CatalogClientError)?.code == .credentialProcessFailed
                && text.contains("\"corp\"") && text.contains("status 3")
                && text.contains("token expired: run aws sso login") && !text.contains("leaked-secret")
        }
    }

    @Test(arguments: [
        (#"printf 'not json: secret-value-1'"#, "not a JSON object"),
        (#"printf '{"Version":2,"AccessKeyId":"A","SecretAccessKey":"secret-value-1"}'"#, "\"Version\": 1"),
        (#"printf '{"Version":1,"AccessKeyId":"A"}'"#, "SecretAccessKey"),
        (#"printf '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"secret-value-1","Expiration":"tomorrow"}'"#, "Expiration"),
    ])
    func unusableOutputIsExplainedWithoutValues(command: String, expected: String) async throws {
        await #expect {
            try await ProcessCredentialsProvider(command: command, profileName: "p", environment: [:]).credentials()
        } throws: { error in
            let text = "\(error)"
            return text.contains(expected) && !text.contains("secret-value-1")
        }
    }

    @Test func commandCannotWaitForInput() async throws {
        // `read` gets end-of-file at once because standard input is /dev/null.
        let command = #"read answer; echo "got [$answer]" >&2; exit 1"#
        await #expect {
            try await ProcessCredentialsProvider(command: command, profileName: "p", environment: [:]).credentials()
        } throws: { "\($0)".contains("got []") }
    }

    @Test func profileCredentialProcessAndItsPlaceInTheOrder() async throws {
        let process = #"printf '{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"s"}'"#
        try await withHome(
            config: """
                [profile onlyprocess]
                credential_process = \(process)
                [profile configkeys]
                credential_process = \(process)
                aws_access_key_id = AKIDCONFIGKEYS
                aws_secret_access_key = s
                [profile credskeys]
                credential_process = \(process)
                """,
            credentials: "[credskeys]\naws_access_key_id = AKIDCREDSKEYS\naws_secret_access_key = s\n"
        ) { home async throws in
            func key(_ profile: String) async throws -> String {
                try await AWSConfiguration.resolve(.init(profile: profile), in: testEnvironment(home: home))
                    .credentialsProvider.credentials().accessKeyId
            }
            #expect(try await key("onlyprocess") == "AKIDPROC")
            #expect(try await key("configkeys") == "AKIDPROC", "credential_process beats keys in the config file")
            #expect(try await key("credskeys") == "AKIDCREDSKEYS", "keys in the credentials file beat credential_process")
        }
    }

    @Test func runnerIsInjectable() async throws {
        struct CannedRunner: ProcessRunner {
            func run(_ command: String, environment: [String: String]) async throws -> ProcessResult {
                ProcessResult(exitStatus: 0, standardOutput: Data(#"{"Version":1,"AccessKeyId":"AKIDCANNED","SecretAccessKey":"s"}"#.utf8))
            }
        }
        try await withHome(config: "[default]\ncredential_process = /opt/never/run\n") { home async throws in
            let credentials = try await AWSConfiguration.resolve(.init(), in: testEnvironment(home: home, runner: CannedRunner()))
                .credentialsProvider.credentials()
            #expect(credentials.accessKeyId == "AKIDCANNED")
        }
    }
}
