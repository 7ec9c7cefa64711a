import CatalogModels
import Clocks
import Foundation

/// A fault injected on the HTTP transport for one request.
enum TransportFault: Sendable {
    case none
    case reset
    case lostAcknowledgement
    case blackHole
}

extension CatalogEmulator {
    /// Serves one wire request: admits it (quota, faults), parses it from its query items and
    /// body (``CatalogRequest/init(httpQueryItems:body:)``), runs the operation, and returns
    /// the HTTP answer — 200 with the JSON response, or the error's status, `x-amzn-ErrorType`
    /// and JSON body — always with `x-amzn-RequestId`.
    public func respond(to operation: CatalogOperation, queryItems: [(name: String, value: String)],
                        body: Data?) async -> (status: Int, headers: [(name: String, value: String)], body: Data) {
        do throws(CatalogError) {
            let (data, requestId): (Data, String) = try await serve(operation) { now, requestId throws(CatalogError) in
                func parse<R: CatalogRequest>(_ type: R.Type) throws(CatalogError) -> R {
                    do {
                        return try R(httpQueryItems: queryItems, body: body)
                    } catch let error as CatalogError {
                        throw error
                    } catch {
                        throw CatalogError(.serialization, message: "cannot read the request: \(error)")
                    }
                }
                func encode<T: Encodable>(_ value: T) throws(CatalogError) -> Data {
                    do { return try CatalogJSON.encode(value) } catch let error as CatalogError { throw error } catch {
                        throw CatalogError(.internalService, message: "cannot encode the response")
                    }
                }
                let data: Data
                switch operation {
                case .startChangeSet: data = try encode(try start(try parse(StartChangeSetRequest.self), now: now))
                case .describeChangeSet: data = try encode(try describe(try parse(DescribeChangeSetRequest.self)))
                case .listChangeSets: data = try encode(try list(try parse(ListChangeSetsRequest.self)))
                case .cancelChangeSet: data = try encode(try cancel(try parse(CancelChangeSetRequest.self), now: now))
                case .describeEntity: data = try encode(try describe(try parse(DescribeEntityRequest.self)))
                case .listEntities: data = try encode(try list(try parse(ListEntitiesRequest.self)))
                case .batchDescribeEntities: data = try encode(try batchDescribe(try parse(BatchDescribeEntitiesRequest.self)))
                }
                return (data, requestId)
            }
            return (200, [(name: "Content-Type", value: "application/json"), (name: "x-amzn-RequestId", value: requestId)], data)
        } catch {
            return error.httpResponse
        }
    }

    /// Draws this request's transport fault (reset, lost acknowledgement, black hole or none) and
    /// counts it. One draw per request, so adding a black-hole rate leaves the other faults' draws as they were.
    func drawTransportFault() -> TransportFault {
        let draw = transportDraws.nextUnit()
        if draw < faults.connectionResetRate {
            connectionResetCount += 1
            return .reset
        }
        if draw < faults.connectionResetRate + faults.lostAcknowledgementRate {
            lostAcknowledgementCount += 1
            return .lostAcknowledgement
        }
        if draw < faults.connectionResetRate + faults.lostAcknowledgementRate + faults.blackHoleRate {
            blackHoleCount += 1
            return .blackHole
        }
        return .none
    }

    /// Counts a request refused for authentication; returns its request id.
    func recordAuthenticationFailure() -> String {
        authenticationFailureCount += 1
        return nextRequestId()
    }
}
