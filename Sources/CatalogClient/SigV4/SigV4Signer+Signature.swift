import Hashing
import Foundation

/// Stages 2 and 3 of the SigV4 signing process: the string to sign, the signing key
/// and the signature (AWS General Reference, "Create a string to sign for Signature
/// Version 4" and "Calculate the signature for AWS Signature Version 4").
extension SigV4Signer {
    /// The credential scope, `YYYYMMDD/region/service/aws4_request`.
    public func credentialScope(date: Date) -> String {
        "\(AmzDate(date).dateStamp)/\(region)/\(service)/\(Self.scopeTerminator)"
    }

    /// The string to sign: the algorithm, the `X-Amz-Date` timestamp, the credential
    /// scope and the hex SHA-256 of the canonical request, one per line, no final newline.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        [Self.algorithm, AmzDate(date).timestamp, credentialScope(date: date), SHA256.hexHash(canonicalRequest)]
            .joined(separator: "\n")
    }

    /// The signing key of this signer's secret for the day of `date`.
    public func signingKey(date: Date) -> [UInt8] {
        Self.signingKey(secretAccessKey: credentials.secretAccessKey, dateStamp: AmzDate(date).dateStamp,
                        region: region, service: service)
    }

    /// The SigV4 signing key: `kDate = HMAC("AWS4" + secret, date)`,
    /// `kRegion = HMAC(kDate, region)`, `kService = HMAC(kRegion, service)`,
    /// `kSigning = HMAC(kService, "aws4_request")`.
    public static func signingKey(secretAccessKey: String, dateStamp: String, region: String, service: String) -> [UInt8] {
        let kDate = HMAC.authenticationCode(for: dateStamp, key: Array("AWS4\(secretAccessKey)".utf8))
        let kRegion = HMAC.authenticationCode(for: region, key: kDate)
        let kService = HMAC.authenticationCode(for: service, key: kRegion)
        return HMAC.authenticationCode(for: scopeTerminator, key: kService)
    }

    /// The signature: lowercase hex HMAC-SHA256 of `stringToSign` under the signing key
    /// of the day of `date`.
    public func signature(stringToSign: String, date: Date) -> String {
        Hex.encode(HMAC.authenticationCode(for: stringToSign, key: signingKey(date: date)))
    }
}
