@testable import CatalogClient
import Hashing
import CatalogModels
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite("URLSession transport")
struct URLSessionTransportTests {
    @Test(arguments: [
        (URLError.Code.timedOut, CatalogError.Code.timeout),
        (.networkConnectionLost, .connectionReset),
        (.secureConnectionFailed, .connectionReset),
        (.cannotFindHost, .dnsFailure),
        (.dnsLookupFailed, .dnsFailure),
        (.cannotConnectToHost, .connectionFailed),
        (.notConnectedToInternet, .connectionFailed),
        // After the request may have left: "may or may not have been applied".
        (.badServerResponse, .connectionReset),
        (.cannotParseResponse, .connectionReset),
        (.zeroByteResource, .connectionReset),
        (.unknown, .connectionReset),
        // Before a byte can leave: certainly not applied.
        (.serverCertificateUntrusted, .connectionFailed),
        (.badURL, .connectionFailed),
    ])
    func urlErrorsMapToNetworkCodes(urlCode: URLError.Code, expected: CatalogError.Code) {
        let error = URLSessionTransport.networkError(
            for: URLError(urlCode, userInfo: [NSURLErrorFailingURLErrorKey: URL(string: "https://catalog.example.com/x?token=secret")!]))
        #expect(error.code == expected)
        #expect(error.isRetryable)
        #expect(error.message.contains("catalog.example.com"))
        #expect(!error.message.contains("secret"))
    }

    @Test func requestConversionKeepsMethodHeadersAndBody() throws {
        let request = HTTPRequest(
            method: "PATCH", url: URL(string: "https://h.example.com/CancelChangeSet?catalog=AWSMarketplace")!,
            headers: [("X-Amz-Date", "20240501T120000Z"), ("X-Multi", "a"), ("x-multi", "b")], body: Data("{}".utf8))
        let converted = URLSessionTransport.urlRequest(for: request, timeout: 7)
        #expect(converted.httpMethod == "PATCH")
        #expect(converted.url == request.url)
        #expect(converted.value(forHTTPHeaderField: "X-Amz-Date") == "20240501T120000Z")
        #expect(converted.value(forHTTPHeaderField: "X-Multi") == "a,b", "repeated headers keep their order")
        #expect(converted.httpBody == Data("{}".utf8))
        #expect(converted.timeoutInterval == 7)
    }

    @Test func responseHeadersAreSortedByName() throws {
        let http = try #require(HTTPURLResponse(
            url: URL(string: "https://h")!, statusCode: 429, httpVersion: "HTTP/1.1",
            headerFields: ["x-amzn-RequestId": "r1", "Content-Type": "application/json", "x-amzn-ErrorType": "ThrottlingException"]))
        let response = URLSessionTransport.response(from: http, body: Data("{}".utf8))
        #expect(response.status == 429)
        #expect(response.headers.map { $0.name.lowercased() } == ["content-type", "x-amzn-errortype", "x-amzn-requestid"])
        #expect(response.header("X-AMZN-REQUESTID") == "r1")
    }

    @Test func refusedLoopbackConnectionIsConnectionFailed() async throws {
        // Port 1 on the loopback interface: nothing listens there, nothing leaves the machine.
        let transport = URLSessionTransport(requestTimeout: 2, resourceTimeout: 4)
        await #expect {
            _ = try await transport.send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:1/")!))
        } throws: { error in
            guard let error = error as? CatalogError else { return false }
            return error.code == .connectionFailed || error.code == .timeout
        }
    }

    @Test func roundTripOverLoopbackKeepsHeadersBodyAndStatus() async throws {
        let server = try LoopbackHTTPServer { _, _ in
            "HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: application/json\r\nx-amzn-ErrorType: ValidationException:http://x\r\n"
                + "x-amzn-RequestId: req-1\r\nContent-Length: 18\r\nConnection: close\r\n\r\n{\"Message\":\"bad!\"}"
        }
        defer { server.stop() }
        let transport = URLSessionTransport(requestTimeout: 5, resourceTimeout: 10)
        let response = try await transport.send(HTTPRequest(
            method: "POST", url: URL(string: "http://127.0.0.1:\(server.port)/StartChangeSet")!,
            headers: [("Content-Type", "application/json"), ("X-Amz-Date", "20240501T120000Z")], body: Data(#"{"Catalog":"AWSMarketplace"}"#.utf8)))
        #expect(response.status == 422)
        #expect(response.header("x-amzn-errortype") == "ValidationException:http://x")
        #expect(response.header("X-Amzn-RequestId") == "req-1")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"Message":"bad!"}"#)
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("POST /StartChangeSet HTTP/1.1\r\n"))
        #expect(request.lowercased().contains("x-amz-date: 20240501t120000z"))
        #expect(request.hasSuffix(#"{"Catalog":"AWSMarketplace"}"#))
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        let server = try LoopbackHTTPServer { index, port in
            index == 0
                ? "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:\(port)/stolen\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
        }
        defer { server.stop() }
        let transport = URLSessionTransport(requestTimeout: 5, resourceTimeout: 10)
        let response = try await transport.send(HTTPRequest(
            method: "GET", url: URL(string: "http://127.0.0.1:\(server.port)/DescribeEntity")!,
            headers: [("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/…"), ("X-Amz-Security-Token", "session-token")]))
        #expect(response.status == 307)
        #expect(response.header("Location")?.hasSuffix("/stolen") == true)
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.requests.count == 1, "the signed request must not be replayed to the Location")
    }

    @Test func cancellationCancelsTheRequest() async throws {
        // The answer comes late enough that the cancellation precedes it even when the two
        // shared cores are busy with other suites (a 2 s answer made this test flaky).
        let server = try LoopbackHTTPServer { _, _ in
            Thread.sleep(forTimeInterval: 20)
            return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        }
        defer { server.stop() }
        let transport = URLSessionTransport(requestTimeout: 15, resourceTimeout: 20)
        let task = Task {
            try await transport.send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(server.port)/slow")!))
        }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let started = Date()
        await #expect(throws: CancellationError.self) { try await task.value }
        // Well before the request timeout (15 s) and the answer (20 s), even on a loaded machine.
        #expect(Date().timeIntervalSince(started) < 8)
    }

    @Test func slowServerTimesOut() async throws {
        let server = try LoopbackHTTPServer { _, _ in
            Thread.sleep(forTimeInterval: 3)
            return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        }
        defer { server.stop() }
        let transport = URLSessionTransport(requestTimeout: 1, resourceTimeout: 2)
        await #expect {
            _ = try await transport.send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(server.port)/slow")!))
        } throws: { ($0 as? CatalogError)?.code == .timeout }
    }
}
