import Hashing
import Foundation

/// Signs HTTP requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`), in the
/// `Authorization` header or as a presigned URL.
///
/// Follows the AWS General Reference "Signature Version 4 signing process"
/// (create a canonical request → create a string to sign → derive the signing key
/// and compute the signature → add it to the request), with botocore's choices where
/// the documentation is silent, so that a request signed here carries the same
/// `Authorization` header as one signed by botocore's `SigV4Auth`:
///
/// - the canonical URI is the request path as sent, dot segments and repeated
///   slashes removed (unless `Options.normalizePath` is off), then URI-encoded once
///   more — the "double encoding" every service but S3 expects (`/a%20b` →
///   `/a%2520b`);
/// - query parameters are decoded and re-encoded with the RFC 3986 unreserved set,
///   then sorted by name and value;
/// - header names are lower-cased and sorted, values trimmed with inner whitespace
///   runs collapsed to one space, repeated headers joined with `,` in request order;
///   hop-by-hop headers, `User-Agent` and `X-Amzn-Trace-Id` are not signed;
/// - the payload hash is SHA-256 of the body (or an `x-amz-content-sha256` header's
///   value); that header is only added when `Options.addContentSHA256Header` asks.
///
/// The signer is a value: it holds one set of credentials and signs with them. It
/// never throws and never fails: any string can be canonicalized. Every stage is a
/// function of its own (`canonicalRequest`, `stringToSign`, `signingKey`,
/// `signature`) so each can be checked against published vectors.
///
/// For the AWS Marketplace Catalog API the service name is `aws-marketplace`.
public struct SigV4Signer: Sendable {
    /// Signing choices that differ between services and test suites.
    public struct Options: Sendable, Equatable {
        /// Remove `.`/`..` segments and repeated slashes from the path before encoding
        /// (every service but S3; the suite's `normalize`). Default `true`.
        public var normalizePath: Bool
        /// Add `X-Amz-Security-Token` after signing instead of before, so it is not
        /// signed (old STS/IoT behaviour; the suite's `omit_session_token`). Default `false`.
        public var omitSessionToken: Bool
        /// Add and sign an `x-amz-content-sha256` header carrying the payload hash (S3
        /// style; the suite's `sign_body`). Default `false`: the Catalog API, like
        /// botocore for it, does not use the header.
        public var addContentSHA256Header: Bool

        /// Creates options; the defaults suit every non-S3 service, the Catalog API included.
        public init(normalizePath: Bool = true, omitSessionToken: Bool = false, addContentSHA256Header: Bool = false) {
            self.normalizePath = normalizePath
            self.omitSessionToken = omitSessionToken
            self.addContentSHA256Header = addContentSHA256Header
        }
    }

    /// The signing algorithm name written in the string to sign and the `Authorization` header.
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The credential scope terminator.
    public static let scopeTerminator = "aws4_request"
    /// Header names (lower case) that are never signed: hop-by-hop headers a proxy may
    /// change, plus `user-agent` and `x-amzn-trace-id` (botocore's `SIGNED_HEADERS_BLACKLIST`).
    public static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// The credentials requests are signed with.
    public let credentials: AWSCredentials
    /// The region of the credential scope, e.g. `us-east-1`.
    public let region: String
    /// The signing name of the service, e.g. `aws-marketplace` for the Catalog API.
    public let service: String
    /// Signing choices.
    public var options: Options

    /// Creates a signer for one service in one region.
    public init(credentials: AWSCredentials, region: String, service: String, options: Options = Options()) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
    }

    /// Signs `request` in its headers: adds `X-Amz-Date`, `X-Amz-Security-Token` (when
    /// the credentials have a session token) and `Authorization`, replacing earlier
    /// ones; keeps every other header; adds `Host` from the URL when missing.
    public func sign(_ request: HTTPRequest, date: Date) -> HTTPRequest {
        var request = request
        if request.header("Host") == nil, let host = Self.hostHeaderValue(for: request.url) {
            request.headers.append((name: "Host", value: host))
        }
        request.headers = headerSignature(for: SignableRequest(request), date: date).request.headers
        return request
    }

    /// Presigns `request`: appends `X-Amz-Algorithm`, `-Credential`, `-Date`,
    /// `-SignedHeaders`, `-Expires` (seconds, `expires`), `-Security-Token` and
    /// `-Signature` to the URL's query; headers are signed but not changed, except
    /// that `Host` is added from the URL when missing.
    ///
    /// The new URL is the old one with a longer query of unreserved characters and
    /// `%XY` escapes, which always parses; were it ever not to, the request is
    /// returned with only the `Host` header added, unsigned, and the service rejects it.
    public func presign(_ request: HTTPRequest, date: Date, expires: Int) -> HTTPRequest {
        var request = request
        if request.header("Host") == nil, let host = Self.hostHeaderValue(for: request.url) {
            request.headers.append((name: "Host", value: host))
        }
        let signed = querySignature(for: SignableRequest(request), date: date, expires: expires)
        if let url = Self.url(request.url, replacingQueryWith: signed.request.query ?? "") {
            request.url = url
        }
        return request
    }

    /// Header signing with every intermediate result: the returned `request` has the
    /// headers `sign(_:date:)` adds; `canonicalRequest`, `stringToSign` and `signature`
    /// are the values of each stage.
    public func headerSignature(for request: SignableRequest, date: Date) -> SigV4Signature {
        let amzDate = AmzDate(date)
        var request = request
        request.removeHeader("Authorization")
        request.setHeader("X-Amz-Date", amzDate.timestamp)
        let token = credentials.sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        if let token, !options.omitSessionToken {
            request.setHeader("X-Amz-Security-Token", token)
        }
        if options.addContentSHA256Header {
            request.setHeader(SignableRequest.contentSHA256Header, request.payloadHash)
        }
        let signedHeaders = headersToSign(request)
        let canonical = canonicalRequest(request, signedHeaders: signedHeaders)
        let stringToSign = stringToSign(canonicalRequest: canonical, date: date)
        let signature = signature(stringToSign: stringToSign, date: date)
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyId)/\(credentialScope(date: date)), "
            + "SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
        request.headers.append((name: "Authorization", value: authorization))
        if let token, options.omitSessionToken {
            request.setHeader("X-Amz-Security-Token", token)
        }
        return SigV4Signature(request: request, canonicalRequest: canonical, stringToSign: stringToSign,
                              signature: signature, signedHeaders: signedHeaders, authorization: authorization)
    }

    /// Query signing (presigned URL) with every intermediate result: the returned
    /// `request` has the `X-Amz-*` parameters appended to its query, `X-Amz-Signature` last.
    public func querySignature(for request: SignableRequest, date: Date, expires: Int) -> SigV4Signature {
        let amzDate = AmzDate(date)
        var request = request
        let signedHeaders = headersToSign(request)
        let token = credentials.sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        var parameters: [(String, String)] = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyId)/\(credentialScope(date: date))"),
            ("X-Amz-Date", amzDate.timestamp),
            ("X-Amz-SignedHeaders", signedHeaders.joined(separator: ";")),
            ("X-Amz-Expires", String(expires)),
        ]
        if let token, !options.omitSessionToken {
            parameters.append(("X-Amz-Security-Token", token))
        }
        request.query = Self.appending(parameters, to: request.query)
        let canonical = canonicalRequest(request, signedHeaders: signedHeaders)
        let stringToSign = stringToSign(canonicalRequest: canonical, date: date)
        let signature = signature(stringToSign: stringToSign, date: date)
        var trailing: [(String, String)] = []
        if let token, options.omitSessionToken {
            trailing.append(("X-Amz-Security-Token", token))
        }
        trailing.append(("X-Amz-Signature", signature))
        request.query = Self.appending(trailing, to: request.query)
        return SigV4Signature(request: request, canonicalRequest: canonical, stringToSign: stringToSign,
                              signature: signature, signedHeaders: signedHeaders, authorization: nil)
    }

    /// The value of a `Host` header for `url` as botocore derives it: the host in lower
    /// case (IPv6 in brackets), with `:port` unless it is the scheme's default.
    public static func hostHeaderValue(for url: URL) -> String? {
        guard var host = url.host(percentEncoded: true), !host.isEmpty else { return nil }
        host = host.lowercased()
        if host.contains(":"), !host.hasPrefix("[") { host = "[\(host)]" }
        if let port = url.port {
            let scheme = url.scheme?.lowercased()
            let isDefault = (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
            if !isDefault { host += ":\(port)" }
        }
        return host
    }

    /// `query` with `parameters` appended, each name and value URI-encoded.
    private static func appending(_ parameters: [(String, String)], to query: String?) -> String {
        let encoded = parameters.map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }
            .joined(separator: "&")
        guard let query, !query.isEmpty else { return encoded }
        return query + "&" + encoded
    }

    /// `url` with its query replaced by `query` (already percent-encoded), its
    /// fragment kept.
    static func url(_ url: URL, replacingQueryWith query: String) -> URL? {
        var text = url.absoluteString
        var fragment = ""
        if let hash = text.firstIndex(of: "#") {
            fragment = String(text[hash...])
            text = String(text[..<hash])
        }
        if let question = text.firstIndex(of: "?") {
            text = String(text[..<question])
        }
        return URL(string: text + "?" + query + fragment)
    }
}
