import CatalogClient
import Foundation
import Testing

/// The AWS SigV4 test suite (38 cases, `shared/testdata/sigv4`), each stage checked on
/// its own so that a failure names the step: canonical request, string to sign (from
/// the expected canonical request), signature (from the expected string to sign),
/// and the final signed request — for header signing and for query signing.
@Suite("SigV4 test suite")
struct SigV4SuiteTests {
    @Test("the suite has its 38 cases")
    func suiteIsComplete() {
        #expect(SigV4SuiteCase.names.count == 38)
    }

    // MARK: Header signing

    @Test("header: 1 canonical request", arguments: SigV4SuiteCase.names)
    func headerCanonicalRequest(_ name: String) throws {
        let suiteCase = try SigV4SuiteCase(named: name)
        let result = suiteCase.signer.headerSignature(for: suiteCase.signable, date: suiteCase.date)
        #expect(result.canonicalRequest == (try suiteCase.text("header-canonical-request.txt")))
    }

    @Test("header: 2 string to sign", arguments: SigV4SuiteCase.names)
    func headerStringToSign(_ name: String) throws {
        let suiteCase = try SigV4SuiteCase(named: name)
        let stringToSign = suiteCase.signer.stringToSign(
            canonicalRequest: try suiteCase.text("header-canonical-request.txt"), date: suiteCase.date)
        #expect(stringToSign == (try suiteCase.text("header-string-to-sign.txt")))
    }

    @Test("header: 3 signature", arguments: SigV4SuiteCase.names)
    func headerSignature(_ name: String) throws {
        let suiteCase = try SigV4SuiteCase(named: name)
        let signature = suiteCase.signer.signature(
            stringToSign: try suiteCase.text("header-string-to-sign.txt"), date: suiteCase.date)
        #expect(signature == (try suiteCase.text("header-signature.txt")))
    }

    @Test("header: 4 signed request (Authorization and added headers)", arguments: SigV4SuiteCase.names)
    func headerSignedRequest(_ name: String) throws {
        let suiteCase = try SigV4SuiteCase(named: name)
        let expected = try SigV4SuiteCase.Message(text: try suiteCase.text("header-signed-request.txt"))
        let result = suiteCase.signer.headerSignature(for: suiteCase.signable, date: suiteCase.date)
        #expect(result.authorization == expected.values("Authorization").first)
        #expect(result.request.header("Authorization") == expected.values("Authorization").first)
        // Same headers, same values; order is not significant (README).
        func multiset(_ headers: [(name: String, value: String)]) -> [String] {
            headers.map { "\($0.name.lowercased()):\($0.value)" }.sorted()
        }
        #expect(multiset(result.request.headers) == multiset(expected.headers))
        #expect(result.request.path == expected.path)
        #expect(result.request.query == expected.query)
    }

    // MARK: Query signing (presigned URL)

    @Test("query: 1 canonical request", arguments: SigV4SuiteCase.names)
    func queryCanonicalRequest(_ name: String) throws {
        let suiteCase = try SigV4SuiteCase(named: name)
        let result = suiteCase.signer.querySignature(for: suiteCase.signable, date: suiteCase.date, expires: suiteCase.expires)
        #expect(result.canonicalRequest == (try suiteCase.text("query-canonical-request.txt")))
    }

    @Test("query: 2 string to sign", arguments: SigV4SuiteCase.names)
    func queryStringToSign(_ name: String) throws {
        let suiteCase = try SigV4SuiteCase(named: name)
        let stringToSign = suiteCase.signer.stringToSign(
            canonicalRequest: try suiteCase.text("query-canonical-request.txt"), date: suiteCase.date)
        #expect(stringToSign == (try suiteCase.text("query-string-to-sign.txt")))
    }

    @Test("query: 3 signature", arguments: SigV4SuiteCase.names)
    func querySignature(_ name: String) throws {
        let suiteCase = try SigV4SuiteCase(named: name)
        let signature = suiteCase.signer.signature(
            stringToSign: try suiteCase.text("query-string-to-sign.txt"), date: suiteCase.date)
        #expect(signature == (try suiteCase.text("query-signature.txt")))
    }

    @Test("query: 4 signed request (URL parameters, headers unchanged)", arguments: SigV4SuiteCase.names)
    func querySignedRequest(_ name: String) throws {
        let suiteCase = try SigV4SuiteCase(named: name)
        let expected = try SigV4SuiteCase.Message(text: try suiteCase.text("query-signed-request.txt"))
        let result = suiteCase.signer.querySignature(for: suiteCase.signable, date: suiteCase.date, expires: suiteCase.expires)
        #expect(result.request.path == expected.path)
        // Parameter order is not significant (README), but X-Amz-Signature comes last.
        #expect((result.request.query ?? "").split(separator: "&").map(String.init).sorted() == expected.queryParameterSet)
        #expect(result.request.query?.split(separator: "&").last?.hasPrefix("X-Amz-Signature=") == true)
        #expect(result.request.headers.map { "\($0.name):\($0.value)" } == expected.headers.map { "\($0.name):\($0.value)" })
        #expect(result.authorization == nil)
    }

    // MARK: The same through HTTPRequest

    /// Cases whose request target a Foundation URL holds as written (no space, no raw
    /// UTF-8 in the path): the public `sign`/`presign` on `HTTPRequest` must give the
    /// suite's results too.
    static let urlRepresentableNames = SigV4SuiteCase.names.filter { name in
        guard let suiteCase = try? SigV4SuiteCase(named: name) else { return false }
        return suiteCase.request.path.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f }
    }

    @Test("HTTPRequest: sign gives the suite's Authorization", arguments: urlRepresentableNames)
    func httpRequestSign(_ name: String) throws {
        let suiteCase = try SigV4SuiteCase(named: name)
        let request = try suiteCase.httpRequest()
        let signed = suiteCase.signer.sign(request, date: suiteCase.date)
        let expected = try SigV4SuiteCase.Message(text: try suiteCase.text("header-signed-request.txt"))
        #expect(signed.header("Authorization") == expected.values("Authorization").first)
        #expect(signed.url == request.url)
        #expect(signed.body == request.body)
    }

    @Test("HTTPRequest: presign gives the suite's URL", arguments: urlRepresentableNames)
    func httpRequestPresign(_ name: String) throws {
        let suiteCase = try SigV4SuiteCase(named: name)
        let request = try suiteCase.httpRequest()
        let presigned = suiteCase.signer.presign(request, date: suiteCase.date, expires: suiteCase.expires)
        let expected = try SigV4SuiteCase.Message(text: try suiteCase.text("query-signed-request.txt"))
        // The URL holds the suite's raw `ሴ=bar` percent-encoded: compare decoded parameters.
        func decoded(_ parameters: [String]) -> [String] { parameters.map { $0.removingPercentEncoding ?? $0 }.sorted() }
        let query = presigned.url.query(percentEncoded: true) ?? ""
        #expect(decoded(query.split(separator: "&").map(String.init)) == decoded(expected.queryParameterSet))
        #expect(presigned.url.path(percentEncoded: true) == expected.path)
        #expect(presigned.header("Authorization") == nil)
    }

    // MARK: The verifier accepts every suite request it can see

    @Test("verifier accepts the suite's header-signed requests", arguments: SigV4SuiteCase.names)
    func verifierAcceptsSuite(_ name: String) throws {
        let suiteCase = try SigV4SuiteCase(named: name)
        let signed = try SigV4SuiteCase.Message(text: try suiteCase.text("header-signed-request.txt"))
        let received = SignableRequest(method: signed.method, path: signed.path, query: signed.query,
                                       headers: signed.headers, body: signed.body)
        let verifier = SigV4Verifier(service: suiteCase.service, region: suiteCase.region, options: suiteCase.options) { id in
            id == suiteCase.accessKeyId
                ? AWSCredentials(accessKeyId: id, secretAccessKey: suiteCase.secretAccessKey, sessionToken: suiteCase.sessionToken)
                : nil
        }
        #expect(verifier.verify(received, now: suiteCase.date.addingTimeInterval(42)) == .verified(accessKeyId: suiteCase.accessKeyId))
    }
}

extension SigV4SuiteCase {
    /// The request as an `HTTPRequest` on `https://<Host>`.
    func httpRequest() throws -> HTTPRequest {
        let host = request.values("Host").first ?? "example.amazonaws.com"
        let target = request.path + (request.query.map { "?\($0)" } ?? "")
        let url = try #require(URL(string: "https://\(host)\(target)"))
        try #require(url.path(percentEncoded: true) == request.path)
        return HTTPRequest(method: request.method, url: url, headers: request.headers, body: request.body)
    }
}
