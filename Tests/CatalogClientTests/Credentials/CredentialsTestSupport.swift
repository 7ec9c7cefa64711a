@testable import CatalogClient
import CatalogModels
import Foundation
import TestSupport

/// A transport that answers from a handler and records every request.
final class FakeTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    private let handler: @Sendable (HTTPRequest) throws -> HTTPResponse

    init(_ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse = { request in
        throw CatalogError(.connectionFailed, message: "no route to \(request.url.host ?? "?") in this test")
    }) {
        self.handler = handler
    }

    var requests: [HTTPRequest] { lock.withLock { recorded } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { recorded.append(request) }
        return try handler(request)
    }
}

/// A settable clock.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date = TestClock.start) { current = start }
    static let start = Date(timeIntervalSince1970: 1_714_564_800)  // 2024-05-01T12:00:00Z
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    var function: @Sendable () -> Date { { [self] in self.now } }
}

/// A home directory with optional `.aws/config` and `.aws/credentials`, removed by `remove()`.
struct FakeHome {
    let directory: TemporaryDirectory
    var path: String { directory.url.path }

    init(config: String? = nil, credentials: String? = nil) throws {
        directory = try TemporaryDirectory(prefix: "bulkrunner-creds")
        try FileManager.default.createDirectory(at: directory.path(".aws"), withIntermediateDirectories: true)
        if let config { try write(".aws/config", config) }
        if let credentials { try write(".aws/credentials", credentials) }
    }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: directory.path(relative))
    }

    func file(_ relative: String) -> String { directory.path(relative).path }

    func remove() { directory.remove() }
}

/// An environment where only what a test gives exists; IMDS is disabled unless asked for.
func testEnvironment(
    _ variables: [String: String] = [:], home: FakeHome?, transport: FakeTransport = FakeTransport(),
    metadata: FakeTransport? = nil, runner: any ProcessRunner = ShellProcessRunner(), clock: TestClock = TestClock(),
    imds: Bool = false
) -> AWSRuntimeEnvironment {
    var variables = variables
    if !imds, variables["AWS_EC2_METADATA_DISABLED"] == nil { variables["AWS_EC2_METADATA_DISABLED"] = "true" }
    return AWSRuntimeEnvironment(
        variables: variables, homeDirectory: home?.path, fileReader: LocalFileReader(), processRunner: runner,
        transport: transport, metadataTransport: metadata ?? transport, now: clock.function)
}

/// Runs `body` against a fake home holding the given files, then removes it.
@discardableResult
func withHome<T>(config: String? = nil, credentials: String? = nil, _ body: (FakeHome) async throws -> T) async throws -> T {
    let home = try FakeHome(config: config, credentials: credentials)
    defer { home.remove() }
    return try await body(home)
}

/// Form parameters of a request body, decoded.
func formParameters(_ request: HTTPRequest) -> [String: String] {
    let body = String(decoding: request.body, as: UTF8.self)
    var result: [String: String] = [:]
    for pair in body.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
        result[parts[0]] = parts.count > 1 ? parts[1] : ""
    }
    return result
}

/// A successful STS AssumeRole answer.
func assumeRoleResponse(accessKeyId: String, secret: String = "role-secret", token: String = "role-token",
                        expiration: String = "2024-05-01T13:00:00Z") -> HTTPResponse {
    HTTPResponse(status: 200, headers: [("Content-Type", "text/xml")], body: Data("""
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleResult>
            <SourceIdentity>Alice</SourceIdentity>
            <AssumedRoleUser>
              <Arn>arn:aws:sts::123456789012:assumed-role/demo/bulkrunner</Arn>
              <AssumedRoleId>ARO123EXAMPLE123:bulkrunner</AssumedRoleId>
            </AssumedRoleUser>
            <Credentials>
              <AccessKeyId>\(accessKeyId)</AccessKeyId>
              <SecretAccessKey>\(secret)</SecretAccessKey>
              <SessionToken>\(token)</SessionToken>
              <Expiration>\(expiration)</Expiration>
            </Credentials>
            <PackedPolicySize>6</PackedPolicySize>
          </AssumeRoleResult>
          <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
        </AssumeRoleResponse>
        """.utf8))
}

/// A JSON body.
func jsonResponse(_ json: String, status: Int = 200) -> HTTPResponse {
    HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: Data(json.utf8))
}
