import CatalogModels
import Foundation

/// Keeps secrets out of every textual form of the module's values: `description`,
/// `debugDescription`, `dump`, and the reflection test frameworks print on failure.
///
/// What counts as secret: the session token (`X-Amz-Security-Token` header or query
/// parameter, and its line in a canonical request), a container credentials bearer
/// token or any non-SigV4 `Authorization` value, an instance metadata session token,
/// and the secret access key. A SigV4 `Authorization` header keeps its credential
/// scope and signed headers (they help debugging) and loses only its signature.
enum Redaction {
    static let placeholder = "<redacted>"

    /// Header names (lower case) whose values are secret.
    static let secretHeaders: Set<String> = ["x-amz-security-token", "x-aws-ec2-metadata-token"]

    /// The value of header `name` as it may be shown.
    static func headerValue(name: String, value: String) -> String {
        let lower = name.lowercased()
        if secretHeaders.contains(lower) { return placeholder }
        if lower == "authorization" {
            guard value.hasPrefix(SigV4Signer.algorithm + " "), let signature = value.range(of: "Signature=") else {
                return placeholder
            }
            return String(value[..<signature.upperBound]) + placeholder
        }
        return value
    }

    /// Headers as they may be shown.
    static func headers(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        headers.map { (name: $0.name, value: headerValue(name: $0.name, value: $0.value)) }
    }

    /// `text` with the value after every `x-amz-security-token:` (a canonical header
    /// line) and `x-amz-security-token=` (a query parameter), in any case, replaced by
    /// `<redacted>`: the same scan that keeps tokens out of ``CatalogError`` messages.
    static func securityTokens(in text: String) -> String {
        CatalogError.redactingSecurityTokens(text)
    }

    /// `headers` written `[name: value, …]` for descriptions.
    static func describe(_ headers: [(name: String, value: String)]) -> String {
        "[" + Self.headers(headers).map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]"
    }
}

extension HTTPRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The request with its secrets redacted: session and metadata tokens, bearer tokens,
    /// the SigV4 signature, and a presigned URL's `X-Amz-Security-Token`.
    public var description: String {
        "HTTPRequest(\(method) \(Redaction.securityTokens(in: url.absoluteString)), headers: "
            + "\(Redaction.describe(headers)), body: \(body.count) bytes)"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// The same redacted view for `dump` and test failure output.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "method": method, "url": Redaction.securityTokens(in: url.absoluteString),
            "headers": Redaction.headers(headers), "body": "\(body.count) bytes",
        ], displayStyle: .struct)
    }
}

extension SignableRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The request with its secrets redacted, as `HTTPRequest`'s description.
    public var description: String {
        "SignableRequest(\(method) \(path)\(query.map { "?" + Redaction.securityTokens(in: $0) } ?? ""), headers: "
            + "\(Redaction.describe(headers)), payloadHash: \(payloadHash))"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// The same redacted view for `dump` and test failure output.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "method": method, "path": path, "query": query.map(Redaction.securityTokens(in:)) as Any,
            "headers": Redaction.headers(headers), "payloadHash": payloadHash,
        ], displayStyle: .struct)
    }
}

extension SigV4Signature: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Every stage, with the session token redacted from the request and the canonical request.
    public var description: String {
        "SigV4Signature(request: \(request), canonicalRequest: \(Redaction.securityTokens(in: canonicalRequest).debugDescription), "
            + "stringToSign: \(stringToSign.debugDescription), signature: \(signature), "
            + "signedHeaders: \(signedHeaders), authorization: \(authorization ?? "nil"))"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// The same redacted view for `dump` and test failure output.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "request": request, "canonicalRequest": Redaction.securityTokens(in: canonicalRequest),
            "stringToSign": stringToSign, "signature": signature, "signedHeaders": signedHeaders,
            "authorization": authorization as Any,
        ], displayStyle: .struct)
    }
}

extension AWSCredentials: CustomReflectable {
    /// The redacted view `description` gives, for `dump` and test failure output.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyId": accessKeyId, "secretAccessKey": Redaction.placeholder,
            "sessionToken": (sessionToken == nil ? nil : Redaction.placeholder) as Any,
            "expiration": expiration as Any,
        ], displayStyle: .struct)
    }
}
