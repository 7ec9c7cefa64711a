import Foundation

extension JSONValue: Codable {
    /// Decodes any JSON value.
    ///
    /// Through ``CatalogJSON`` the value arrives exactly (number text and key order kept).
    /// Through another decoder such as `JSONDecoder`, numbers come back via `Int64`,
    /// `Decimal` or `Double` and object key order is the decoder's.
    public init(from decoder: any Decoder) throws {
        if let direct = decoder as? JSONValueDecoder {
            self = direct.value
            return
        }
        if let object = try? decoder.container(keyedBy: AnyCodingKey.self) {
            var result = JSONObject()
            for key in object.allKeys {
                result[key.stringValue] = try object.decode(JSONValue.self, forKey: key)
            }
            self = .object(result)
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var result: [JSONValue] = []
            if let count = array.count { result.reserveCapacity(count) }
            while !array.isAtEnd { result.append(try array.decode(JSONValue.self)) }
            self = .array(result)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let bool = try? single.decode(Bool.self) {
            self = .bool(bool)
        } else if let string = try? single.decode(String.self) {
            self = .string(string)
        } else if let int = try? single.decode(Int64.self) {
            self = .number(JSONNumber(int))
        } else if let decimal = try? single.decode(Decimal.self), let number = JSONNumber(decimal) {
            self = .number(number)
        } else {
            self = .number(JSONNumber(try single.decode(Double.self)))
        }
    }

    /// Encodes the value; through ``CatalogJSON`` exactly, through other encoders numbers go
    /// out as `Int64`, `Double` (when that spelling round-trips) or `Decimal`.
    public func encode(to encoder: any Encoder) throws {
        if let direct = encoder as? JSONValueEncoder {
            direct.node.set(self)
            return
        }
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .number(let n):
            var c = encoder.singleValueContainer()
            if let int = Int64(n.text) {
                try c.encode(int)
            } else if let double = Double(n.text), double.description == n.text {
                try c.encode(double)
            } else if let decimal = n.decimalValue {
                try c.encode(decimal)
            } else {
                try c.encode(n.doubleValue)
            }
        case .array(let elements):
            var c = encoder.unkeyedContainer()
            for element in elements { try c.encode(element) }
        case .object(let object):
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            for (key, value) in object { try c.encode(value, forKey: AnyCodingKey(key)) }
        }
    }
}

/// A coding key for any string.
struct AnyCodingKey: CodingKey, Hashable {
    let stringValue: String
    let intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
