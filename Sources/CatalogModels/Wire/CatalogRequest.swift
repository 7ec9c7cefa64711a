import Foundation

/// A request of one ``CatalogOperation``, bound to HTTP as the rest-json protocol says.
///
/// Members the model binds to the query string (`location: querystring`: `catalog`,
/// `changeSetId`, `entityId`) travel as ``queryItems``; every other member is the Codable
/// JSON body. The Codable encoding of a query-only request (DescribeChangeSet,
/// CancelChangeSet, DescribeEntity) is an empty object, and decoding one from JSON fails:
/// build those with their memberwise init or ``init(queryItems:)``.
///
/// **Client** (building a request):
/// 1. method and path from `Self.operation` (``CatalogOperation/httpMethod``, ``CatalogOperation/path``);
/// 2. query string from ``queryItems``, each name and value percent-encoded (RFC 3986
///    unreserved characters kept), in the order given;
/// 3. body from ``httpBody()``: JSON with `Content-Type: application/json`, or no body
///    when it returns `nil`;
/// 4. sign, send; on 2xx decode `Response` with ``CatalogJSON/decode(_:from:)``,
///    otherwise throw ``CatalogError/init(status:headers:body:)``.
///
/// **Server** (the emulator's HTTP front): find the operation with
/// ``CatalogOperation/init(method:path:)``, percent-decode the query string into items, then
/// ``init(httpQueryItems:body:)`` gives the request or throws the ``CatalogError`` to send
/// back (422 for a missing member, 400 for a malformed body); answer with
/// ``CatalogJSON/encode(_:)`` of the response, or ``CatalogError/httpResponse``.
/// ``CatalogAPI/respond(to:queryItems:body:)`` does all of this for any ``CatalogAPI``.
public protocol CatalogRequest: Codable, Sendable {
    /// The operation's response shape.
    associatedtype Response: Codable & Sendable

    /// The operation this request belongs to.
    static var operation: CatalogOperation { get }

    /// The members bound to the query string, by wire name (`catalog`, `changeSetId` …),
    /// not yet percent-encoded; empty for body operations.
    var queryItems: [(name: String, value: String)] { get }

    /// Rebuilds a query-only request from decoded query items. Throws ``CatalogError``
    /// (``CatalogError/Code/validation``) when a required member is missing or empty, or
    /// when the operation takes a JSON body.
    init(queryItems: [(name: String, value: String)]) throws
}

extension CatalogRequest {
    /// No query members (body operations).
    public var queryItems: [(name: String, value: String)] { [] }

    /// Body operations cannot be built from query items: always throws a validation error.
    public init(queryItems: [(name: String, value: String)]) throws {
        throw CatalogError(.validation, message: "\(Self.operation.name) takes a JSON body, not query parameters")
    }

    /// The JSON body to send, or `nil` when the operation has no body members.
    public func httpBody() throws -> Data? {
        guard Self.operation.hasBody else { return nil }
        return try CatalogJSON.encode(self)
    }

    /// Parses a request as a server receives it: query-only operations from `httpQueryItems`
    /// (the body is ignored), body operations from `body` (empty means `{}`).
    /// Throws ``CatalogError``.
    public init(httpQueryItems: [(name: String, value: String)], body: Data?) throws {
        if Self.operation.hasBody {
            let data = (body?.isEmpty ?? true) ? Data("{}".utf8) : body!
            self = try CatalogJSON.decode(Self.self, from: data)
        } else {
            try self.init(queryItems: httpQueryItems)
        }
    }
}

/// Reads required query members for the query-only requests.
struct QueryItemReader {
    let items: [(name: String, value: String)]
    let operation: CatalogOperation

    /// The first value for `name`; throws a validation error when missing or empty.
    func required(_ name: String) throws -> String {
        guard let value = items.first(where: { $0.name == name })?.value, !value.isEmpty else {
            throw CatalogError(.validation, message: "1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null")
        }
        return value
    }
}

/// Encodes nothing: the body of a query-only request is empty.
struct EmptyBody: Encodable {
    func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: AnyCodingKey.self)
    }
}

extension DecodingError {
    /// The error for decoding a query-only request from JSON.
    static func queryBound(_ type: Any.Type, _ decoder: any Decoder) -> DecodingError {
        .dataCorrupted(.init(codingPath: decoder.codingPath,
                             debugDescription: "\(type) is bound to the query string; build it with init(queryItems:)"))
    }
}
