import CatalogModels
import Foundation

/// Building and signing the HTTP request of an operation (rest-json binding: the AWS
/// Smithy "AWS restJson1 protocol" HTTP bindings, as botocore's serializer applies them).
extension CatalogHTTPClient {
    /// The unsigned HTTP request of `request`: method and path from the operation,
    /// `endpoint`'s path as prefix, query members percent-encoded (RFC 3986 unreserved
    /// kept) in the order given, the JSON body with `Content-Type: application/json`
    /// (no body and no content type for GET and PATCH operations), `Host` and `User-Agent`;
    /// its ``HTTPRequest/timeout`` is ``attemptTimeout``.
    public func httpRequest<Request: CatalogRequest>(for request: Request) throws -> HTTPRequest {
        let operation = Request.operation
        var target = endpoint.path(percentEncoded: true)
        while target.hasSuffix("/") { target.removeLast() }
        target += operation.path
        let query = request.queryItems
            .map { "\(URIEncoding.encode($0.name))=\(URIEncoding.encode($0.value))" }
            .joined(separator: "&")
        if !query.isEmpty { target += "?" + query }
        guard let url = URL(string: target, relativeTo: endpoint)?.absoluteURL else {
            throw CatalogError(.unknown("InvalidRequest"),
                               message: "\(operation.name): cannot form a URL from \(endpoint.absoluteString) and \(target)")
        }
        var headers: [(name: String, value: String)] = []
        if let host = SigV4Signer.hostHeaderValue(for: url) {
            headers.append((name: "Host", value: host))
        }
        headers.append((name: "User-Agent", value: userAgent))
        let body = try request.httpBody()
        if body != nil {
            headers.append((name: "Content-Type", value: "application/json"))
        }
        return HTTPRequest(method: operation.httpMethod, url: url, headers: headers, body: body ?? Data(), timeout: attemptTimeout)
    }

    /// The request of `request`, signed with the provider's current credentials at `clock()`.
    public func signedRequest<Request: CatalogRequest>(for request: Request) async throws -> HTTPRequest {
        let unsigned = try httpRequest(for: request)
        let current: AWSCredentials
        do {
            current = try await credentials.credentials()
        } catch let error as CatalogError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw CatalogError(.unknown("CredentialsUnavailable"),
                               message: "No credentials to sign \(Request.operation.name): \(error)")
        }
        return SigV4Signer(credentials: current, region: region, service: Self.signingName).sign(unsigned, date: clock())
    }
}
