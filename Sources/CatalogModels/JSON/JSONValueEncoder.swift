import Foundation

/// One value under construction by ``JSONValueEncoder``; objects keep key order.
final class EncodingNode {
    private enum Kind { case empty, scalar, object, array }
    private var kind = Kind.empty
    private var scalar = JSONValue.null
    private var keys: [String] = []
    private var children: [String: EncodingNode] = [:]
    private var elements: [EncodingNode] = []

    func set(_ value: JSONValue) {
        kind = .scalar
        scalar = value
    }

    /// A fresh child for `key` (replacing an earlier one in place).
    func child(forKey key: String) -> EncodingNode {
        makeObject()
        let node = EncodingNode()
        if children.updateValue(node, forKey: key) == nil { keys.append(key) }
        return node
    }

    /// The existing child for `key`, or a fresh one.
    func existingChild(forKey key: String) -> EncodingNode {
        makeObject()
        if let node = children[key] { return node }
        return child(forKey: key)
    }

    func appendChild() -> EncodingNode {
        makeArray()
        let node = EncodingNode()
        elements.append(node)
        return node
    }

    var count: Int { kind == .array ? elements.count : keys.count }

    func makeObject() {
        if kind != .object {
            kind = .object
            keys = []
            children = [:]
        }
    }

    func makeArray() {
        if kind != .array {
            kind = .array
            elements = []
        }
    }

    /// The finished value; a node nothing was written to is an empty object, as with `JSONEncoder`.
    var value: JSONValue {
        switch kind {
        case .empty: return .object([:])
        case .scalar: return scalar
        case .array: return .array(elements.map(\.value))
        case .object: return .object(JSONObject(keys.map { ($0, children[$0]!.value) }))
        }
    }
}

/// An `Encoder` that builds a ``JSONValue`` exactly: key order is encoding order (string-keyed
/// dictionaries in sorted key order), `Decimal` keeps its digits, ``JSONValue`` members are
/// inserted as they are.
final class JSONValueEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: EncodingNode, codingPath: [any CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    /// Encodes `value` into a tree.
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = EncodingNode()
        try encode(value, into: root, codingPath: [])
        return root.value
    }

    static func encode<T: Encodable>(_ value: T, into node: EncodingNode, codingPath: [any CodingKey]) throws {
        switch value {
        case let json as JSONValue:
            node.set(json)
        case let decimal as Decimal:
            guard let number = JSONNumber(decimal) else {
                throw EncodingError.invalidValue(decimal, .init(codingPath: codingPath, debugDescription: "NaN cannot be encoded in JSON"))
            }
            node.set(.number(number))
        case let data as Data:
            node.set(.string(data.base64EncodedString()))
        case let url as URL:
            node.set(.string(url.absoluteString))
        case let dictionary as [String: any Encodable]:
            // Map-shaped members (BatchDescribeEntities' EntityDetails, Errors): sorted keys,
            // so the same value always gives the same bytes.
            node.makeObject()
            for key in dictionary.keys.sorted() {
                guard let element = dictionary[key] else { continue }
                try encode(element, into: node.child(forKey: key), codingPath: codingPath + [AnyCodingKey(key)])
            }
        default:
            try value.encode(to: JSONValueEncoder(node: node, codingPath: codingPath))
        }
    }

    static func number(_ value: Double, _ codingPath: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) cannot be encoded in JSON"))
        }
        return .number(JSONNumber(value))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(node: node, codingPath: codingPath)
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: EncodingNode
        let codingPath: [any CodingKey]

        func put(_ value: JSONValue, _ key: Key) { node.child(forKey: key.stringValue).set(value) }

        mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { put(try JSONValueEncoder.number(value, codingPath + [key]), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { put(try JSONValueEncoder.number(Double(value), codingPath + [key]), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(.number(JSONNumber(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(.number(JSONNumber(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(.number(JSONNumber(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(.number(JSONNumber(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(.number(JSONNumber(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(.number(JSONNumber(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.number(JSONNumber(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.number(JSONNumber(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.number(JSONNumber(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.number(JSONNumber(value)), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try JSONValueEncoder.encode(value, into: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = node.existingChild(forKey: key.stringValue)
            child.makeObject()
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = node.existingChild(forKey: key.stringValue)
            child.makeArray()
            return UnkeyedContainer(node: child, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder {
            let key = AnyCodingKey("super")
            return JSONValueEncoder(node: node.existingChild(forKey: key.stringValue), codingPath: codingPath + [key])
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            JSONValueEncoder(node: node.existingChild(forKey: key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: EncodingNode
        let codingPath: [any CodingKey]
        var count: Int { node.count }

        var nextPath: [any CodingKey] { codingPath + [AnyCodingKey(intValue: count)!] }
        func put(_ value: JSONValue) { node.appendChild().set(value) }

        mutating func encodeNil() throws { put(.null) }
        mutating func encode(_ value: Bool) throws { put(.bool(value)) }
        mutating func encode(_ value: String) throws { put(.string(value)) }
        mutating func encode(_ value: Double) throws { put(try JSONValueEncoder.number(value, nextPath)) }
        mutating func encode(_ value: Float) throws { put(try JSONValueEncoder.number(Double(value), nextPath)) }
        mutating func encode(_ value: Int) throws { put(.number(JSONNumber(value))) }
        mutating func encode(_ value: Int8) throws { put(.number(JSONNumber(value))) }
        mutating func encode(_ value: Int16) throws { put(.number(JSONNumber(value))) }
        mutating func encode(_ value: Int32) throws { put(.number(JSONNumber(value))) }
        mutating func encode(_ value: Int64) throws { put(.number(JSONNumber(value))) }
        mutating func encode(_ value: UInt) throws { put(.number(JSONNumber(value))) }
        mutating func encode(_ value: UInt8) throws { put(.number(JSONNumber(value))) }
        mutating func encode(_ value: UInt16) throws { put(.number(JSONNumber(value))) }
        mutating func encode(_ value: UInt32) throws { put(.number(JSONNumber(value))) }
        mutating func encode(_ value: UInt64) throws { put(.number(JSONNumber(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            let path = nextPath
            try JSONValueEncoder.encode(value, into: node.appendChild(), codingPath: path)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let path = nextPath
            let child = node.appendChild()
            child.makeObject()
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: child, codingPath: path))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let path = nextPath
            let child = node.appendChild()
            child.makeArray()
            return UnkeyedContainer(node: child, codingPath: path)
        }

        mutating func superEncoder() -> any Encoder {
            let path = nextPath
            return JSONValueEncoder(node: node.appendChild(), codingPath: path)
        }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let node: EncodingNode
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.set(.null) }
        mutating func encode(_ value: Bool) throws { node.set(.bool(value)) }
        mutating func encode(_ value: String) throws { node.set(.string(value)) }
        mutating func encode(_ value: Double) throws { node.set(try JSONValueEncoder.number(value, codingPath)) }
        mutating func encode(_ value: Float) throws { node.set(try JSONValueEncoder.number(Double(value), codingPath)) }
        mutating func encode(_ value: Int) throws { node.set(.number(JSONNumber(value))) }
        mutating func encode(_ value: Int8) throws { node.set(.number(JSONNumber(value))) }
        mutating func encode(_ value: Int16) throws { node.set(.number(JSONNumber(value))) }
        mutating func encode(_ value: Int32) throws { node.set(.number(JSONNumber(value))) }
        mutating func encode(_ value: Int64) throws { node.set(.number(JSONNumber(value))) }
        mutating func encode(_ value: UInt) throws { node.set(.number(JSONNumber(value))) }
        mutating func encode(_ value: UInt8) throws { node.set(.number(JSONNumber(value))) }
        mutating func encode(_ value: UInt16) throws { node.set(.number(JSONNumber(value))) }
        mutating func encode(_ value: UInt32) throws { node.set(.number(JSONNumber(value))) }
        mutating func encode(_ value: UInt64) throws { node.set(.number(JSONNumber(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try JSONValueEncoder.encode(value, into: node, codingPath: codingPath)
        }
    }
}
