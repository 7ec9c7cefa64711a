import Hashing
import Foundation

/// Checks the SigV4 signature of a received request, the way an AWS service front
/// end does: for a server (the emulator) that must accept exactly what AWS accepts.
///
/// It reads the `Authorization` header (or, for a presigned URL, the `X-Amz-*` query
/// parameters), looks the access key up, rebuilds the canonical request from the
/// headers the client says it signed, and compares signatures in constant time.
/// Rejections say precisely why (`SigV4Rejection`) and which AWS error a service
/// would answer with.
///
/// The request must be given as received: path and query exactly as in the request
/// line (percent-encoding untouched), every header, the whole body.
public struct SigV4Verifier: Sendable {
    /// Looks up the credentials of an access key id; `nil` for an unknown key. When the
    /// returned credentials have a session token, requests must carry that token.
    public typealias CredentialsLookup = @Sendable (_ accessKeyId: String) -> AWSCredentials?

    /// The signing name the scope must carry, e.g. `aws-marketplace`.
    public var service: String
    /// The region the scope must carry; `nil` accepts any region.
    public var region: String?
    /// How far `X-Amz-Date` may be from the verifier's clock: AWS allows 5 minutes.
    public var allowedClockSkew: TimeInterval
    /// Canonicalization choices; they must match the clients' (`normalizePath`).
    public var options: SigV4Signer.Options
    private let lookup: CredentialsLookup

    /// Creates a verifier for one service.
    public init(service: String, region: String? = nil, allowedClockSkew: TimeInterval = 300,
                options: SigV4Signer.Options = SigV4Signer.Options(), credentials: @escaping @Sendable (_ accessKeyId: String) -> AWSCredentials?) {
        self.service = service
        self.region = region
        self.allowedClockSkew = allowedClockSkew
        self.options = options
        self.lookup = credentials
    }

    /// Verifies a received request against the clock reading `now`.
    ///
    /// Also rejects a request whose `x-amz-content-sha256` header (when present and
    /// not `UNSIGNED-PAYLOAD`) does not match its body.
    public func verify(_ request: HTTPRequest, now: Date) -> SigV4Verification {
        if let declared = request.header(SignableRequest.contentSHA256Header), declared != "UNSIGNED-PAYLOAD",
           declared.lowercased() != SHA256.hexHash(request.body) {
            return .rejected(.payloadHashMismatch)
        }
        return verify(SignableRequest(request), now: now)
    }

    /// Verifies the signable parts of a received request against the clock reading `now`.
    public func verify(_ request: SignableRequest, now: Date) -> SigV4Verification {
        let claim: Claim
        switch parseClaim(request) {
        case .claim(let parsed): claim = parsed
        case .rejected(let rejection): return .rejected(rejection)
        }
        guard let requestTime = AmzDate.parse(claim.timestamp) else {
            return .rejected(.malformedDate(claim.timestamp))
        }
        if let expires = claim.expires {
            if now.timeIntervalSince(requestTime) > TimeInterval(expires) {
                return .rejected(.expired(expiry: requestTime.addingTimeInterval(TimeInterval(expires)), now: now))
            }
            if requestTime.timeIntervalSince(now) > allowedClockSkew {
                return .rejected(.requestTimeSkewed(requestTime: requestTime, now: now))
            }
        } else if abs(requestTime.timeIntervalSince(now)) > allowedClockSkew {
            return .rejected(.requestTimeSkewed(requestTime: requestTime, now: now))
        }
        let scope = claim.credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, !scope[0].isEmpty else {
            return .rejected(.malformedAuthorization(
                "Credential must be <access key id>/<date>/<region>/<service>/aws4_request, got \"\(claim.credential)\""))
        }
        let (accessKeyId, scopeDate, scopeRegion, scopeService, terminator) = (scope[0], scope[1], scope[2], scope[3], scope[4])
        guard terminator == SigV4Signer.scopeTerminator else {
            return .rejected(.credentialScopeMismatch("the scope must end in aws4_request, not \"\(terminator)\""))
        }
        guard scopeDate == String(claim.timestamp.prefix(8)) else {
            return .rejected(.credentialScopeMismatch("the scope date \(scopeDate) is not the date of X-Amz-Date \(claim.timestamp)"))
        }
        if let region, scopeRegion != region {
            return .rejected(.credentialScopeMismatch("the scope region \(scopeRegion) should be \(region)"))
        }
        guard scopeService == service else {
            return .rejected(.credentialScopeMismatch("the scope service \(scopeService) should be \(service)"))
        }
        guard let credentials = lookup(accessKeyId) else {
            return .rejected(.unknownAccessKey(accessKeyId))
        }
        let sentToken = claim.securityToken ?? request.header("X-Amz-Security-Token")
        if (credentials.sessionToken ?? "") != (sentToken ?? "") {
            return .rejected(.invalidSessionToken)
        }
        guard claim.signedHeaders.contains("host") else {
            return .rejected(.requiredHeaderNotSigned("host"))
        }
        let present = Set(request.headers.map { $0.name.lowercased() })
        for name in claim.signedHeaders where !present.contains(name) {
            return .rejected(.missingSignedHeader(name))
        }
        let signer = SigV4Signer(credentials: credentials, region: scopeRegion, service: scopeService, options: options)
        var signable = request
        signable.query = claim.queryWithoutSignature
        let canonical = signer.canonicalRequest(signable, signedHeaders: claim.signedHeaders)
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, date: requestTime)
        let expected = signer.signature(stringToSign: stringToSign, date: requestTime)
        guard HMAC.constantTimeEquals(Array(expected.utf8), Array(claim.signature.lowercased().utf8)) else {
            return .rejected(.signatureMismatch(canonicalRequest: canonical, stringToSign: stringToSign))
        }
        return .verified(accessKeyId: accessKeyId)
    }

    /// What the request claims: from the `Authorization` header or the presigned query.
    private struct Claim {
        var credential: String
        var signedHeaders: [String]
        var signature: String
        var timestamp: String
        var expires: Int?
        var securityToken: String?
        var queryWithoutSignature: String?
    }

    private enum ClaimParse {
        case claim(Claim)
        case rejected(SigV4Rejection)
    }

    private func parseClaim(_ request: SignableRequest) -> ClaimParse {
        if let authorization = request.header("Authorization") {
            return parseHeaderClaim(authorization, request)
        }
        let parameters = Self.queryParameters(request.query)
        if parameters.contains(where: { $0.name == "X-Amz-Algorithm" }) {
            return parseQueryClaim(parameters, request)
        }
        return .rejected(.missingAuthentication)
    }

    private func parseHeaderClaim(_ authorization: String, _ request: SignableRequest) -> ClaimParse {
        let trimmed = authorization.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " ") else {
            return .rejected(.malformedAuthorization("expected \"\(SigV4Signer.algorithm) Credential=…, SignedHeaders=…, Signature=…\""))
        }
        let algorithm = String(trimmed[..<space])
        guard algorithm == SigV4Signer.algorithm else {
            return .rejected(.malformedAuthorization("unsupported algorithm \"\(algorithm)\"; expected \(SigV4Signer.algorithm)"))
        }
        var fields: [String: String] = [:]
        for part in trimmed[trimmed.index(after: space)...].split(separator: ",") {
            let part = part.trimmingCharacters(in: .whitespaces)
            guard let equals = part.firstIndex(of: "=") else {
                return .rejected(.malformedAuthorization("\"\(part)\" is not a key=value pair"))
            }
            fields[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        for required in ["Credential", "SignedHeaders", "Signature"] where (fields[required] ?? "").isEmpty {
            return .rejected(.malformedAuthorization("the \(required) parameter is missing"))
        }
        guard let timestamp = request.header("X-Amz-Date") else {
            return .rejected(.missingDate)
        }
        return .claim(Claim(
            credential: fields["Credential"] ?? "", signedHeaders: Self.signedHeaderList(fields["SignedHeaders"] ?? ""),
            signature: fields["Signature"] ?? "", timestamp: timestamp.trimmingCharacters(in: .whitespaces),
            expires: nil, securityToken: nil, queryWithoutSignature: request.query))
    }

    private func parseQueryClaim(_ parameters: [(name: String, value: String, raw: Substring)],
                                 _ request: SignableRequest) -> ClaimParse {
        func value(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
        guard value("X-Amz-Algorithm") == SigV4Signer.algorithm else {
            return .rejected(.malformedAuthorization("unsupported X-Amz-Algorithm \"\(value("X-Amz-Algorithm") ?? "")\""))
        }
        for required in ["X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Expires"]
        where (value(required) ?? "").isEmpty {
            return .rejected(.malformedAuthorization("the \(required) query parameter is missing"))
        }
        guard let timestamp = value("X-Amz-Date") else { return .rejected(.missingDate) }
        guard let expires = Int(value("X-Amz-Expires") ?? ""), (1...604_800).contains(expires) else {
            return .rejected(.malformedAuthorization("X-Amz-Expires must be a number of seconds from 1 to 604800"))
        }
        let kept = parameters.filter { $0.name != "X-Amz-Signature" }.map { String($0.raw) }
        return .claim(Claim(
            credential: value("X-Amz-Credential") ?? "", signedHeaders: Self.signedHeaderList(value("X-Amz-SignedHeaders") ?? ""),
            signature: value("X-Amz-Signature") ?? "", timestamp: timestamp, expires: expires,
            securityToken: value("X-Amz-Security-Token"), queryWithoutSignature: kept.joined(separator: "&")))
    }

    private static func signedHeaderList(_ text: String) -> [String] {
        text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// The query's parameters, decoded, with their raw text.
    private static func queryParameters(_ query: String?) -> [(name: String, value: String, raw: Substring)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { raw in
            let name: Substring, value: Substring
            if let equals = raw.firstIndex(of: "=") {
                (name, value) = (raw[..<equals], raw[raw.index(after: equals)...])
            } else {
                (name, value) = (raw, "")
            }
            return (String(decoding: URIEncoding.decode(name), as: UTF8.self),
                    String(decoding: URIEncoding.decode(value), as: UTF8.self), raw)
        }
    }
}

/// The outcome of `SigV4Verifier.verify`.
public enum SigV4Verification: Sendable, Equatable {
    /// The signature is valid; the request was signed with this access key id.
    case verified(accessKeyId: String)
    /// The request is refused, for this reason.
    case rejected(SigV4Rejection)
}
