import Foundation

/// Why a SigV4 verifier refused a request, with the AWS error a service answers.
public enum SigV4Rejection: Sendable, Equatable, CustomStringConvertible {
    /// No `Authorization` header and no presigned query.
    case missingAuthentication
    /// The `Authorization` header (or presigned query) cannot be read; the text says how.
    case malformedAuthorization(String)
    /// No `X-Amz-Date` header (or query parameter).
    case missingDate
    /// `X-Amz-Date` is not `YYYYMMDD'T'HHMMSS'Z'`.
    case malformedDate(String)
    /// `X-Amz-Date` is further than the allowed skew (5 minutes) from the server's clock.
    case requestTimeSkewed(requestTime: Date, now: Date)
    /// A presigned URL used after `X-Amz-Date + X-Amz-Expires`.
    case expired(expiry: Date, now: Date)
    /// The credential scope names another date, region or service; the text says which.
    case credentialScopeMismatch(String)
    /// The access key id is not known.
    case unknownAccessKey(String)
    /// The session token is missing, unexpected or not the one issued with the key.
    case invalidSessionToken
    /// A header that must be signed (`host`) is not in `SignedHeaders`.
    case requiredHeaderNotSigned(String)
    /// A header named in `SignedHeaders` is not in the request.
    case missingSignedHeader(String)
    /// The `x-amz-content-sha256` header does not match the body.
    case payloadHashMismatch
    /// The signature is not the one the server computes; carries the server's canonical
    /// request and string to sign, which AWS also returns to help debugging.
    case signatureMismatch(canonicalRequest: String, stringToSign: String)

    /// The AWS error type a service returns for this rejection (`x-amzn-ErrorType`).
    public var errorType: String {
        switch self {
        case .missingAuthentication: "MissingAuthenticationTokenException"
        case .malformedAuthorization, .missingDate, .malformedDate, .requiredHeaderNotSigned, .missingSignedHeader:
            "IncompleteSignatureException"
        case .requestTimeSkewed, .expired, .credentialScopeMismatch, .signatureMismatch, .payloadHashMismatch:
            "InvalidSignatureException"
        case .unknownAccessKey, .invalidSessionToken: "UnrecognizedClientException"
        }
    }

    /// The HTTP status a service answers with: 400 for an incomplete signature, 403 otherwise.
    public var httpStatus: Int {
        errorType == "IncompleteSignatureException" ? 400 : 403
    }

    /// A message in the spirit of the service's own.
    public var description: String {
        switch self {
        case .missingAuthentication:
            return "Missing Authentication Token"
        case .malformedAuthorization(let detail):
            return "Malformed Authorization: \(detail)"
        case .missingDate:
            return "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        case .malformedDate(let text):
            return "X-Amz-Date \"\(text)\" is not of the form YYYYMMDD'T'HHMMSS'Z'"
        case .requestTimeSkewed(let requestTime, let now):
            let request = AmzDate(requestTime).timestamp, server = AmzDate(now).timestamp
            return requestTime < now
                ? "Signature expired: \(request) is now earlier than \(AmzDate(now.addingTimeInterval(-300)).timestamp) (\(server) - 5 min.)"
                : "Signature not yet current: \(request) is still later than \(AmzDate(now.addingTimeInterval(300)).timestamp) (\(server) + 5 min.)"
        case .expired(let expiry, let now):
            return "Request has expired: it expired at \(AmzDate(expiry).timestamp), now is \(AmzDate(now).timestamp)"
        case .credentialScopeMismatch(let detail):
            return "Credential should be scoped correctly: \(detail)"
        case .unknownAccessKey(let id):
            return "The security token included in the request is invalid (unknown access key id \(id))."
        case .invalidSessionToken:
            return "The security token included in the request is invalid."
        case .requiredHeaderNotSigned(let name):
            return "Signed headers must include '\(name)'."
        case .missingSignedHeader(let name):
            return "The request is missing the signed header '\(name)'."
        case .payloadHashMismatch:
            return "The provided 'x-amz-content-sha256' header does not match what was computed."
        case .signatureMismatch(let canonicalRequest, let stringToSign):
            return "The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method.\n\nThe Canonical String for this request should have been\n'"
                + Redaction.securityTokens(in: canonicalRequest) + "'\n\nThe String-to-Sign should have been\n'" + stringToSign + "'\n"
        }
    }
}
