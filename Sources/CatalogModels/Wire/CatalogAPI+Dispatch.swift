import Foundation

extension CatalogAPI {
    /// Calls the method for `request`'s operation: one generic entry point for wrappers
    /// (retry, rate limiting, journaling) that handle every operation alike.
    /// Throws ``CatalogError``.
    public func send<Request: CatalogRequest>(_ request: Request) async throws -> Request.Response {
        let response: any Sendable
        switch request {
        case let r as StartChangeSetRequest: response = try await startChangeSet(r)
        case let r as DescribeChangeSetRequest: response = try await describeChangeSet(r)
        case let r as ListChangeSetsRequest: response = try await listChangeSets(r)
        case let r as CancelChangeSetRequest: response = try await cancelChangeSet(r)
        case let r as DescribeEntityRequest: response = try await describeEntity(r)
        case let r as ListEntitiesRequest: response = try await listEntities(r)
        case let r as BatchDescribeEntitiesRequest: response = try await batchDescribeEntities(r)
        default:
            throw CatalogError(.validation, message: "\(Request.self) is not a Catalog API request this protocol serves")
        }
        guard let typed = response as? Request.Response else {
            throw CatalogError(.internalService, message: "\(Request.operation.name) returned \(type(of: response)), not \(Request.Response.self)")
        }
        return typed
    }

    /// The server side of the wire binding, for the emulator's HTTP front: parses the
    /// request of `operation` from its decoded query items and body, calls this API, and
    /// returns the HTTP answer — 200 with the JSON response, or the error's status, headers
    /// and body (``CatalogError/httpResponse``). Errors that are not ``CatalogError`` become
    /// `InternalServiceException`. Adding `x-amzn-RequestId` is left to the caller.
    public func respond(
        to operation: CatalogOperation,
        queryItems: [(name: String, value: String)],
        body: Data?
    ) async -> (status: Int, headers: [(name: String, value: String)], body: Data) {
        do {
            let data: Data
            switch operation {
            case .startChangeSet:
                data = try CatalogJSON.encode(try await startChangeSet(.init(httpQueryItems: queryItems, body: body)))
            case .describeChangeSet:
                data = try CatalogJSON.encode(try await describeChangeSet(.init(httpQueryItems: queryItems, body: body)))
            case .listChangeSets:
                data = try CatalogJSON.encode(try await listChangeSets(.init(httpQueryItems: queryItems, body: body)))
            case .cancelChangeSet:
                data = try CatalogJSON.encode(try await cancelChangeSet(.init(httpQueryItems: queryItems, body: body)))
            case .describeEntity:
                data = try CatalogJSON.encode(try await describeEntity(.init(httpQueryItems: queryItems, body: body)))
            case .listEntities:
                data = try CatalogJSON.encode(try await listEntities(.init(httpQueryItems: queryItems, body: body)))
            case .batchDescribeEntities:
                data = try CatalogJSON.encode(try await batchDescribeEntities(.init(httpQueryItems: queryItems, body: body)))
            }
            return (status: 200, headers: [(name: "Content-Type", value: "application/json")], body: data)
        } catch let error as CatalogError {
            return error.httpResponse
        } catch {
            return CatalogError(.internalService, message: "\(error)").httpResponse
        }
    }
}
