import Foundation

/// Reads the JSON credential documents of `credential_process`, the ECS container
/// endpoint and EC2 instance metadata.
///
/// Errors name the missing or wrong field, never a value: the document holds secrets.
enum CredentialsDocument {
    /// The field names of one document flavour.
    struct Fields {
        var accessKeyId = "AccessKeyId"
        var secretAccessKey = "SecretAccessKey"
        var sessionToken: String
        var expiration = "Expiration"

        /// `credential_process` output (`SessionToken`).
        static let process = Fields(sessionToken: "SessionToken")
        /// ECS and IMDS documents (`Token`).
        static let metadata = Fields(sessionToken: "Token")
    }

    /// Parses a JSON object; the error string says what is wrong, without values.
    static func object(_ data: Data) -> Result<[String: Any], DocumentError> {
        guard let object = try? JSONSerialization.jsonObject(with: data), let dictionary = object as? [String: Any] else {
            return .failure(DocumentError("the output is not a JSON object"))
        }
        return .success(dictionary)
    }

    /// Extracts credentials from a parsed document.
    static func credentials(from object: [String: Any], fields: Fields) -> Result<AWSCredentials, DocumentError> {
        guard let accessKeyId = object[fields.accessKeyId] as? String, !accessKeyId.isEmpty else {
            return .failure(DocumentError("`\(fields.accessKeyId)` is missing or not a string"))
        }
        guard let secret = object[fields.secretAccessKey] as? String, !secret.isEmpty else {
            return .failure(DocumentError("`\(fields.secretAccessKey)` is missing or not a string"))
        }
        var token: String?
        if let value = object[fields.sessionToken], !(value is NSNull) {
            guard let string = value as? String else {
                return .failure(DocumentError("`\(fields.sessionToken)` is not a string"))
            }
            token = string.isEmpty ? nil : string
        }
        var expiration: Date?
        if let value = object[fields.expiration], !(value is NSNull) {
            guard let string = value as? String, let date = parseTimestamp(string) else {
                return .failure(DocumentError("`\(fields.expiration)` is not an ISO 8601 timestamp"))
            }
            expiration = date
        }
        return .success(AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: token, expiration: expiration))
    }

    /// Parses `2024-05-01T12:00:00Z`, with or without fractional seconds or an offset.
    static func parseTimestamp(_ string: String) -> Date? {
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: trimmed)
    }

    /// What is wrong with a document, safe to show.
    struct DocumentError: Error, Sendable {
        var message: String
        init(_ message: String) { self.message = message }
    }
}
