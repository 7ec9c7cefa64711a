import Hashing
import CatalogClient
import Foundation
import Testing

/// Interoperability with botocore's `SigV4Auth`: requests generated and signed by
/// `scripts/sigv4-interop.py` must get byte-identical `Authorization` headers from
/// `SigV4Signer`, and `SigV4Verifier` must accept botocore's signed requests (as the
/// emulator must accept the AWS CLI's).
///
/// Reads the file named by `SIGV4_INTEROP_FILE` (the script's 1000 fresh cases), or
/// else the committed 200-case fixture `botocore-interop.json` beside this file;
/// skipped when neither exists.
@Suite("SigV4 interop with botocore")
struct SigV4InteropTests {
    /// One generated request and what botocore made of it.
    struct Case: Decodable {
        var index: Int
        var method: String
        var url: String
        var headers: [[String]]
        var body_base64: String
        var region: String
        var access_key_id: String
        var secret_access_key: String
        var session_token: String?
        var epoch: Int
        var authorization: String
        var amz_date: String
        var signed_headers: [[String]]?
        var canonical_request: String?
    }

    struct Document: Decodable {
        var service: String
        var seed: Int
        var count: Int
        var cases: [Case]
    }

    static let fixtureURL: URL = {
        let environment = ProcessInfo.processInfo.environment["SIGV4_INTEROP_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        if let environment { return URL(fileURLWithPath: environment) }
        return URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("botocore-interop.json")
    }()

    static let fixtureExists = FileManager.default.fileExists(atPath: fixtureURL.path)

    @Test("botocore SigV4Auth and SigV4Signer give identical Authorization headers",
          .enabled(if: fixtureExists, "no botocore-interop.json and no SIGV4_INTEROP_FILE"))
    func identicalAuthorization() throws {
        let document = try JSONDecoder().decode(Document.self, from: Data(contentsOf: Self.fixtureURL))
        #expect(document.cases.count == document.count)
        var identical = 0
        var reported = 0
        for item in document.cases {
            let request = try httpRequest(item, headers: item.headers)
            let credentials = AWSCredentials(accessKeyId: item.access_key_id, secretAccessKey: item.secret_access_key,
                                             sessionToken: item.session_token)
            let signer = SigV4Signer(credentials: credentials, region: item.region, service: document.service)
            let date = Date(timeIntervalSince1970: TimeInterval(item.epoch))
            let signed = signer.sign(request, date: date)
            let matches = signed.header("Authorization") == item.authorization && signed.header("X-Amz-Date") == item.amz_date
            if matches {
                identical += 1
            } else if reported < 5 {
                reported += 1
                var ours = signed
                ours.headers.removeAll { $0.name.caseInsensitiveCompare("Authorization") == .orderedSame }
                let ourCanonical = signer.canonicalRequest(SignableRequest(ours))
                Issue.record("""
                    mismatch in case \(item.index): \(item.method) \(item.url)
                    botocore: \(item.authorization)
                    ours:     \(signed.header("Authorization") ?? "none")
                    botocore canonical request:
                    \(item.canonical_request ?? "(not in file)")
                    our canonical request:
                    \(ourCanonical)
                    """)
            }
        }
        print("SigV4 interop: \(identical)/\(document.cases.count) identical (seed \(document.seed), \(Self.fixtureURL.lastPathComponent))")
        #expect(identical == document.cases.count)
    }

    @Test("SigV4Verifier accepts every botocore-signed request",
          .enabled(if: fixtureExists, "no botocore-interop.json and no SIGV4_INTEROP_FILE"))
    func verifierAcceptsBotocore() throws {
        let document = try JSONDecoder().decode(Document.self, from: Data(contentsOf: Self.fixtureURL))
        var accepted = 0, refused = 0
        for item in document.cases {
            // What goes on the wire: botocore's headers, plus the Host its HTTP client adds.
            var received = try httpRequest(item, headers: item.signed_headers ?? botocoreEdits(item))
            if received.header("Host") == nil, let host = SigV4Signer.hostHeaderValue(for: received.url) {
                received.headers.append((name: "Host", value: host))
            }
            let verifier = SigV4Verifier(service: document.service, region: item.region) { id in
                id == item.access_key_id
                    ? AWSCredentials(accessKeyId: id, secretAccessKey: item.secret_access_key,
                                     sessionToken: item.session_token.flatMap { $0.isEmpty ? nil : $0 })
                    : nil
            }
            let now = Date(timeIntervalSince1970: TimeInterval(item.epoch + 120))
            let outcome = verifier.verify(received, now: now)
            // Two kinds of generated request must be refused, as AWS refuses them: a stale
            // X-Amz-Security-Token sent with long-term keys, and a made-up x-amz-content-sha256.
            let hasToken = !(item.session_token ?? "").isEmpty
            let expected: SigV4Verification
            if let declared = received.header("X-Amz-Content-SHA256"), declared != "UNSIGNED-PAYLOAD",
               declared != SHA256.hexHash(received.body) {
                expected = .rejected(.payloadHashMismatch)
            } else if !hasToken, received.header("X-Amz-Security-Token") != nil {
                expected = .rejected(.invalidSessionToken)
            } else {
                expected = .verified(accessKeyId: item.access_key_id)
            }
            if outcome == expected {
                if case .verified = outcome { accepted += 1 } else { refused += 1 }
            } else {
                Issue.record("case \(item.index): expected \(expected), got \(outcome)")
            }
        }
        print("SigV4 interop: verifier \(accepted + refused)/\(document.cases.count) as expected "
              + "(\(accepted) accepted, \(refused) rightly refused)")
        #expect(accepted + refused == document.cases.count)
    }

    /// The headers botocore's `SigV4Auth.add_auth` leaves (for the committed fixture,
    /// which omits them): Authorization and X-Amz-Date replaced, X-Amz-Security-Token
    /// replaced when the credentials have a token, in that order at the end.
    private func botocoreEdits(_ item: Case) -> [[String]] {
        let token = (item.session_token ?? "").isEmpty ? nil : item.session_token
        var replaced = ["authorization", "x-amz-date"]
        if token != nil { replaced.append("x-amz-security-token") }
        var headers = item.headers.filter { !replaced.contains($0[0].lowercased()) }
        headers.append(["X-Amz-Date", item.amz_date])
        if let token { headers.append(["X-Amz-Security-Token", token]) }
        headers.append(["Authorization", item.authorization])
        return headers
    }

    private func httpRequest(_ item: Case, headers: [[String]]) throws -> HTTPRequest {
        let url = try #require(URL(string: item.url), "case \(item.index): \(item.url)")
        // Foundation must hold the URL exactly as generated, or the comparison means nothing.
        try #require(url.absoluteString == item.url, "case \(item.index): URL changed to \(url.absoluteString)")
        let body = try #require(Data(base64Encoded: item.body_base64))
        return HTTPRequest(method: item.method, url: url,
                           headers: headers.map { (name: $0[0], value: $0.count > 1 ? $0[1] : "") }, body: body)
    }
}
