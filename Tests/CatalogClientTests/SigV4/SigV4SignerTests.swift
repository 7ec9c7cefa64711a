@testable import CatalogClient
import Hashing
import Foundation
import Testing

/// Behaviour of `SigV4Signer` beyond the published suite: what `sign` does to an
/// `HTTPRequest`, canonicalization details, and the SigV4 timestamp.
@Suite("SigV4Signer")
struct SigV4SignerTests {
    static let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "aws-marketplace")
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    func request(_ url: String, method: String = "GET", headers: [(name: String, value: String)] = [],
                 body: String = "") throws -> HTTPRequest {
        HTTPRequest(method: method, url: try #require(URL(string: url)), headers: headers, body: Data(body.utf8))
    }

    @Test("sign adds Host, X-Amz-Date and Authorization and keeps the rest in order")
    func signAddsHeaders() throws {
        let original = try request("https://catalog.marketplace.us-east-1.amazonaws.com/ListEntities", method: "POST",
                                   headers: [("Content-Type", "application/json"), ("User-Agent", "bulkrunner/1.0")],
                                   body: #"{"Catalog":"AWSMarketplace"}"#)
        let signed = Self.signer.sign(original, date: Self.date)
        #expect(signed.headers.map(\.name) == ["Content-Type", "User-Agent", "Host", "X-Amz-Date", "Authorization"])
        #expect(signed.header("Host") == "catalog.marketplace.us-east-1.amazonaws.com")
        #expect(signed.header("X-Amz-Date") == "20150830T123600Z")
        let authorization = try #require(signed.header("Authorization"))
        #expect(authorization.hasPrefix(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/aws-marketplace/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, Signature="))
        #expect(signed.header("x-amz-content-sha256") == nil, "the Catalog API does not use the header")
        #expect(signed.url == original.url && signed.body == original.body && signed.method == original.method)
    }

    @Test("signing twice gives the same request (stale signing headers are replaced)")
    func resigningIsIdempotent() throws {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret",
                                                             sessionToken: "token-1"),
                                 region: "us-east-1", service: "aws-marketplace")
        let once = signer.sign(try request("https://h.example/x"), date: Self.date)
        let twice = signer.sign(once, date: Self.date)
        #expect(once == twice)
        #expect(once.headers.filter { $0.name == "X-Amz-Security-Token" }.map(\.value) == ["token-1"])
        let later = signer.sign(once, date: Self.date.addingTimeInterval(60))
        #expect(later.headers.filter { $0.name == "X-Amz-Date" }.map(\.value) == ["20150830T123700Z"])
        #expect(later.headers.filter { $0.name == "Authorization" }.count == 1)
    }

    @Test("an empty session token counts as none (like botocore)")
    func emptyTokenIsNone() throws {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyId: "AKID", secretAccessKey: "s", sessionToken: ""),
                                 region: "us-east-1", service: "aws-marketplace")
        #expect(signer.sign(try request("https://h.example/"), date: Self.date).header("X-Amz-Security-Token") == nil)
    }

    @Test("Host from the URL: lower case, default port dropped, other ports and IPv6 brackets kept",
          arguments: [
              ("https://Catalog.Example.COM/x", "catalog.example.com"),
              ("https://h.example:443/x", "h.example"),
              ("http://h.example:80/x", "h.example"),
              ("https://h.example:8443/x", "h.example:8443"),
              ("http://127.0.0.1:4566/x", "127.0.0.1:4566"),
              ("http://[::1]:8080/x", "[::1]:8080"),
              ("http://localhost/x", "localhost"),
          ])
    func hostHeader(_ url: String, _ expected: String) throws {
        #expect(SigV4Signer.hostHeaderValue(for: try #require(URL(string: url))) == expected)
    }

    @Test("an explicit Host header is kept and signed as it is")
    func explicitHost() throws {
        let signed = Self.signer.sign(try request("https://h.example/x", headers: [("host", "other.example:99")]), date: Self.date)
        #expect(signed.headers.filter { $0.name.lowercased() == "host" }.map(\.value) == ["other.example:99"])
    }

    @Test("unsigned headers: hop-by-hop, User-Agent and X-Amzn-Trace-Id are left out of SignedHeaders")
    func unsignedHeaders() throws {
        let headers: [(name: String, value: String)] = SigV4Signer.unsignedHeaders.sorted().map { ($0, "v") } + [("X-Kept", "v")]
        let result = Self.signer.headerSignature(for: SignableRequest(try request("https://h.example/", headers: headers + [("Host", "h.example")])),
                                                 date: Self.date)
        #expect(result.signedHeaders == ["host", "x-amz-date", "x-kept"])
    }

    @Test("a path is URI-encoded again: botocore's double encoding for every service but S3")
    func doubleEncoding() throws {
        let signable = SignableRequest(Self.signer.sign(try request("https://h.example/a%20b/%E1%88%B4/c~d!e"), date: Self.date))
        let canonical = Self.signer.canonicalRequest(signable)
        #expect(canonical.split(separator: "\n", omittingEmptySubsequences: false)[1] == "/a%2520b/%25E1%2588%25B4/c~d%21e")
    }

    @Test("x-amz-content-sha256, when the caller sets it, is the payload hash")
    func declaredPayloadHash() throws {
        let signable = SignableRequest(try request("https://h.example/", headers: [("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")], body: "x"))
        #expect(signable.payloadHash == "UNSIGNED-PAYLOAD")
        #expect(SignableRequest(try request("https://h.example/", body: "abc")).payloadHash == SHA256.hexHash("abc"))
    }

    @Test("path normalization (botocore remove_dot_segments)", arguments: [
        ("", "/"), ("/", "/"), ("//", "/"), ("/a/b/..", "/a"), ("/a/b/../", "/a/"), ("/a/./b", "/a/b"),
        ("/../a", "/a"), ("//example//", "/example/"), ("/a/%2E%2E/b", "/a/%252E%252E/b"), ("/a%2Fb", "/a%252Fb"),
    ])
    func pathNormalization(_ path: String, _ canonical: String) {
        #expect(SigV4Signer.canonicalURI(path, normalize: true) == canonical)
    }

    @Test("without normalization the path is only encoded")
    func pathWithoutNormalization() {
        #expect(SigV4Signer.canonicalURI("//a/./b/../", normalize: false) == "//a/./b/../")
        #expect(SigV4Signer.canonicalURI("", normalize: false) == "/")
    }

    @Test("query canonicalization", arguments: [
        ("", ""),
        ("b=2&a=1", "a=1&b=2"),
        ("a=2&a=10&a=1", "a=1&a=10&a=2"),
        ("flag", "flag="),
        ("k=", "k="),
        ("x=%7e&y=%7E", "x=~&y=~"),
        ("s=a+b", "s=a%2Bb"),
        ("sp=a%20b", "sp=a%20b"),
        ("e=a=b", "e=a%3Db"),
        ("bad=%zz", "bad=%25zz"),
        ("Param-3=1&Param=2&%E1%88%B4=3", "%E1%88%B4=3&Param=2&Param-3=1"),
        ("a=1&&b=2", "=&a=1&b=2"),
        ("B=1&a=1", "B=1&a=1"),
    ])
    func query(_ query: String, _ canonical: String) {
        #expect(SigV4Signer.canonicalQuery(query) == canonical)
    }

    @Test("header values: trimmed, inner whitespace runs collapsed, repeated names joined in request order")
    func headerCanonicalization() {
        let headers: [(name: String, value: String)] = [
            ("My-Header", "  b   c "), ("X-Tab", "\ta\t\tb\t"), ("my-header", "a"), ("Folded", "v1\n   v2\r\n\tv3"),
            ("Empty", "   "),
        ]
        let block = SigV4Signer.canonicalHeaders(headers, signing: ["empty", "folded", "my-header", "x-tab"])
        #expect(block == "empty:\nfolded:v1 v2 v3\nmy-header:b c,a\nx-tab:a b\n")
        #expect(SigV4Signer.trimmingAll(#"  "a   b"  "#) == #""a b""#)
    }

    @Test("presign keeps the existing query and fragment and puts the signature last")
    func presignURL() throws {
        let signed = Self.signer.presign(try request("https://h.example/p?b=2&a=1#frag"), date: Self.date, expires: 900)
        let query = try #require(signed.url.query(percentEncoded: true))
        #expect(query.hasPrefix("b=2&a=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Faws-marketplace%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=900&X-Amz-Signature="))
        #expect(signed.url.fragment == "frag")
        #expect(signed.header("Host") == "h.example")
    }

    @Test("the stages chain: signature(stringToSign(canonicalRequest)) is the Authorization's signature")
    func stagesChain() throws {
        let signable = SignableRequest(try request("https://h.example/DescribeEntity?catalog=AWSMarketplace&entityId=e-1",
                                                   headers: [("Host", "h.example")]))
        let result = Self.signer.headerSignature(for: signable, date: Self.date)
        #expect(Self.signer.canonicalRequest(result.request.headers.dropLast().reduce(into: signable) { partial, header in
            partial.setHeader(header.name, header.value)
        }) == result.canonicalRequest)
        #expect(Self.signer.stringToSign(canonicalRequest: result.canonicalRequest, date: Self.date) == result.stringToSign)
        #expect(Self.signer.signature(stringToSign: result.stringToSign, date: Self.date) == result.signature)
        #expect(result.authorization?.hasSuffix("Signature=\(result.signature)") == true)
    }

    @Test("signing key of the AWS documentation example")
    func signingKey() {
        // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4" (iam, 20120215).
        let key = SigV4Signer.signingKey(secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", dateStamp: "20120215",
                                         region: "us-east-1", service: "iam")
        #expect(Hex.encode(key) == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test("X-Amz-Date formatting", arguments: [
        (0.0, "19700101T000000Z"), (1_440_938_160.999, "20150830T123600Z"), (951_782_400, "20000229T000000Z"),
        (-1, "19691231T235959Z"), (4_102_444_799, "20991231T235959Z"), (1_709_208_000, "20240229T120000Z"),
    ])
    func amzDate(_ seconds: Double, _ text: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(AmzDate(date).timestamp == text)
        #expect(AmzDate.parse(text) == Date(timeIntervalSince1970: seconds.rounded(.down)))
    }

    @Test("X-Amz-Date parsing rejects what is not a real timestamp", arguments: [
        "", "20150830T123600", "20150830 123600Z", "2015-08-30T12:36:00Z", "20150230T000000Z", "20151301T000000Z",
        "20150830T240000Z", "20150830T126000Z", "2015083OT123600Z",
    ])
    func amzDateRejects(_ text: String) {
        #expect(AmzDate.parse(text) == nil)
    }

    @Test("every generated date round-trips through format and parse")
    func amzDateRoundTrip() {
        var seconds: Int64 = -2_208_988_800  // 1900
        while seconds < 4_102_444_800 {     // 2100
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(AmzDate.parse(AmzDate(date).timestamp) == date)
            seconds += 86_400 * 7 + 3_607
        }
    }
}
