import CatalogClient
import CatalogModels
import Foundation

/// A transport that records every request and answers from a script (then `200 {}`).
actor ScriptedTransport: HTTPTransport {
    enum Reply: Sendable {
        case response(HTTPResponse)
        case failure(any Error)
    }

    private(set) var requests: [HTTPRequest] = []
    private var replies: [Reply]

    init(_ replies: [Reply] = []) {
        self.replies = replies
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        requests.append(request)
        guard !replies.isEmpty else { return HTTPResponse(status: 200, body: Data("{}".utf8)) }
        switch replies.removeFirst() {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }

    /// A JSON response.
    static func json(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> Reply {
        .response(HTTPResponse(status: status, headers: [(name: "Content-Type", value: "application/json")] + headers,
                               body: Data(body.utf8)))
    }
}

/// A credentials provider that fails.
struct FailingCredentials: CredentialsProvider {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "no credentials anywhere" }
    }

    func credentials() async throws -> AWSCredentials { throw Failure() }
}

/// Shared fixtures of the rest-json tests.
enum RestJSONFixture {
    static let credentials = AWSCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE",
                                            secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    /// 2024-05-06T07:08:09Z.
    static let now = Date(timeIntervalSince1970: 1_714_979_289)
    static let endpoint = URL(string: "https://catalog.marketplace.us-east-1.amazonaws.com")

    static func client(_ transport: ScriptedTransport, credentials: AWSCredentials = credentials,
                       endpoint: URL? = endpoint) throws -> CatalogHTTPClient {
        guard let endpoint else { throw URLError(.badURL) }
        return try CatalogHTTPClient(endpoint: endpoint, region: "us-east-1",
                                     credentials: StaticCredentialsProvider(credentials), transport: transport,
                                     version: "1.2.3", clock: { now })
    }

    static let verifier = SigV4Verifier(service: "aws-marketplace", region: "us-east-1") { id in
        id == credentials.accessKeyId ? credentials : nil
    }
}
