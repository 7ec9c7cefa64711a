import CatalogModels
import Foundation

/// Reading a response (rest-json): a 2xx body is the operation's output shape; any
/// other status is an error response, read by `CatalogError(status:headers:body:)`.
extension CatalogHTTPClient {
    /// The output of `Request` in `response`, or the `CatalogError` it carries.
    ///
    /// A 2xx body that is not the output shape is a `SerializationException` carrying
    /// the response's status and request id; an empty 2xx body reads as `{}`.
    public static func decode<Request: CatalogRequest>(_ request: Request.Type, from response: HTTPResponse) throws -> Request.Response {
        guard (200..<300).contains(response.status) else {
            throw CatalogError(status: response.status, headers: response.headers, body: response.body)
        }
        do {
            return try CatalogJSON.decode(Request.Response.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body)
        } catch let error as CatalogError {
            throw CatalogError(.serialization,
                               message: "The \(Request.operation.name) response could not be read: \(error.message)",
                               requestId: response.header("x-amzn-RequestId"), httpStatus: response.status)
        }
    }
}
