/// A signed request with the result of every signing stage, returned by
/// `SigV4Signer.headerSignature(for:date:)` and `querySignature(for:date:expires:)`.
///
/// Keeping the intermediate values lets a test, a debug log or a verifier's error
/// message show exactly where two signers part ways.
public struct SigV4Signature: Sendable, Equatable {
    /// The request as it is to be sent: with the signing headers (header signing) or
    /// the `X-Amz-*` query parameters (query signing) added.
    public var request: SignableRequest
    /// Stage 1: the canonical request that was hashed.
    public var canonicalRequest: String
    /// Stage 2: the string to sign.
    public var stringToSign: String
    /// Stage 3: the signature, 64 lowercase hex characters.
    public var signature: String
    /// The signed header names, lower case and sorted.
    public var signedHeaders: [String]
    /// The `Authorization` header value (header signing only; `nil` for a presigned URL).
    public var authorization: String?

    /// Creates the value.
    public init(request: SignableRequest, canonicalRequest: String, stringToSign: String, signature: String,
                signedHeaders: [String], authorization: String?) {
        self.request = request
        self.canonicalRequest = canonicalRequest
        self.stringToSign = stringToSign
        self.signature = signature
        self.signedHeaders = signedHeaders
        self.authorization = authorization
    }
}
