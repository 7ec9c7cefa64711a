/// A JSON document held exactly as written: the type of `DetailsDocument` (botocore shape
/// `JsonDocumentType`) and of every template BulkRunner renders.
///
/// Numbers keep their literal text (``JSONNumber``), so `150` stays `150` and `1.50` stays
/// `1.50`; objects keep their key order (``JSONObject``), so a rendered document reads like
/// its source. Parse with ``JSONValue/init(parsing:)-(String)``, print with
/// ``compactString``, ``prettyString(indent:)`` or ``canonicalString`` (for hashing).
///
/// Equality is JSON equality with exact number text: object key order does not matter,
/// number spelling does (`1.0 != 1`).
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, kept as its literal text.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, in key order.
    case object(JSONObject)
}

extension JSONValue {
    /// The member `key` of an object; `nil` when this is not an object or has no such key.
    /// Setting on a non-object replaces it with an object holding only `key`; setting `nil`
    /// removes the key.
    public subscript(key: String) -> JSONValue? {
        get {
            guard case .object(let object) = self else { return nil }
            return object[key]
        }
        set {
            var object: JSONObject
            if case .object(let existing) = self { object = existing } else { object = [:] }
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The element at `index` of an array; `nil` when this is not an array or the index is
    /// out of range.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The Boolean, when this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number, when this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
