import Foundation

/// The JSON coder for Catalog API bodies, shared by the HTTP client and the emulator.
///
/// Unlike `JSONEncoder`/`JSONDecoder` it keeps ``JSONValue`` members exact (number text,
/// key order) and writes members in declaration order, so a `DetailsDocument` goes out as
/// it was rendered. Absent optionals are omitted, never written as `null`.
/// Errors are ``CatalogError``: a body that is not JSON or has a wrong type is
/// `SerializationException` (400), a missing required member `ValidationException` (422),
/// as the service answers them.
public enum CatalogJSON {
    /// Encodes `value` as compact UTF-8 JSON.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        Data(try encodeValue(value).compactString.utf8)
    }

    /// Encodes `value` as a ``JSONValue`` tree.
    public static func encodeValue<T: Encodable>(_ value: T) throws -> JSONValue {
        do {
            return try JSONValueEncoder.encode(value)
        } catch let error as EncodingError {
            throw CatalogError(.serialization, message: "cannot encode \(T.self): \(describe(error))")
        }
    }

    /// Decodes a `T` from a UTF-8 JSON body.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            throw CatalogError(.serialization, message: "body is not valid JSON: \(error)")
        }
        return try decode(type, from: value)
    }

    /// Decodes a `T` from a ``JSONValue`` tree.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        do {
            return try JSONValueDecoder.decode(type, from: value)
        } catch let error as DecodingError {
            if case .keyNotFound(let key, let context) = error {
                let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
                throw CatalogError(.validation, message: "1 validation error detected: Value null at '\(path)' failed to satisfy constraint: Member must not be null")
            }
            throw CatalogError(.serialization, message: "cannot read \(T.self): \(describe(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? c.debugDescription : "\(path): \(c.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static func describe(_ error: EncodingError) -> String {
        switch error {
        case .invalidValue(_, let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? c.debugDescription : "\(path): \(c.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
