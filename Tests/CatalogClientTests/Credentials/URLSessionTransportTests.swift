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
        #if canImport(FoundationNetworking)
        // A stream libcurl can ask for again, framed by Content-Length, never chunked.
        #expect(converted.httpBody == nil)
        let stream = try #require(converted.httpBodyStream)
        #expect(Self.drain(stream) == Data("{}".utf8))
        #expect(converted.value(forHTTPHeaderField: "Content-Length") == "2")
        #expect(converted.value(forHTTPHeaderField: "Transfer-Encoding")?.trimmingCharacters(in: .whitespaces) == "")
        #else
        #expect(converted.httpBody == Data("{}".utf8))
        #endif
        #expect(converted.timeoutInterval == 7)
        let bodiless = URLSessionTransport.urlRequest(for: HTTPRequest(method: "GET", url: request.url), timeout: 7)
        #expect(bodiless.httpBody == nil && bodiless.httpBodyStream == nil)
        #expect(bodiless.value(forHTTPHeaderField: "Content-Length") == nil)
    }

    static func drain(_ stream: InputStream) -> Data {
        stream.open()
        defer { stream.close() }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = stream.read(&buffer, maxLength: buffer.count)
            if count <= 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    /// A POST whose reused keep-alive connection dies before any answer — reset (RST) or closed
    /// (FIN) — makes libcurl send it again on a fresh connection by itself. With a plain
    /// `httpBody`, FoundationNetworking sent only the headers the second time, and both sides
    /// waited for the whole request timeout (30 s in the CLI). Now the call fails at once, as a
    /// dropped connection, and no second copy reaches the server: the caller retries it, counted.
    @Test(arguments: [ScriptedHTTPServer.Action.reset, .close])
    func deadReusedConnectionFailsAtOnceWithoutASilentResend(death: ScriptedHTTPServer.Action) async throws {
        let server = try ScriptedHTTPServer { index in
            index == 1 ? death : .respond(status: 200, body: #"{"n":\#(index)}"#)
        }
        defer { server.stop() }
        let transport = URLSessionTransport(requestTimeout: 20, resourceTimeout: 40)
        let url = URL(string: "http://127.0.0.1:\(server.port)/StartChangeSet")!
        func post(_ body: String) async throws -> HTTPResponse {
            try await transport.send(HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")],
                                                 body: Data(body.utf8)))
        }
        _ = try await post(#"{"first":true}"#)
        let started = Date()
        let outcome: Result<HTTPResponse, any Error>
        do { outcome = .success(try await post(#"{"second":"the whole body"}"#)) } catch { outcome = .failure(error) }
        let seconds = Date().timeIntervalSince(started)
        // Far below the 20-s timeout even on a loaded machine; it takes milliseconds.
        #expect(seconds < 8, "the dead connection cost \(seconds) s")
        #if canImport(FoundationNetworking)
        switch outcome {
        case .success(let response):
            Issue.record("expected a dropped connection, got \(response.status)")
        case .failure(let error):
            #expect((error as? CatalogError)?.code == .connectionReset, "\(error)")
        }
        // The caller's retry goes through, on a fresh connection.
        let retried = try await post(#"{"second":"the whole body"}"#)
        #expect(retried.status == 200)
        let requests = server.requests
        #expect(requests.map(\.body) == [#"{"first":true}"#, #"{"second":"the whole body"}"#, #"{"second":"the whole body"}"#],
                "exactly the three calls made, whole; no silent copy")
        #expect(requests.map(\.connection) == [0, 0, 2],
                "the second call on the reused connection; libcurl's refused copy opened #1 and never completed")
        for request in requests {
            #expect(request.head.lowercased().contains("content-length: "))
            #expect(!request.head.lowercased().contains("transfer-encoding"))
        }
        #else
        // Other URLSession implementations may re-send on their own; they must not stall.
        if case .failure(let error) = outcome { #expect((error as? CatalogError)?.code.isNetwork == true) }
        #endif
    }

    @Test func perRequestTimeoutCutsASilentServerShort() async throws {
        let server = try ScriptedHTTPServer { _ in .silence }
        defer { server.stop() }
        // The transport's own deadline is far beyond the bound below, which leaves room for a
        // test pool starved by the rest of the suite (measured: 21 s to resume after the 1-s deadline).
        let transport = URLSessionTransport(requestTimeout: 120, resourceTimeout: 240)
        let started = Date()
        await #expect {
            _ = try await transport.send(HTTPRequest(
                method: "POST", url: URL(string: "http://127.0.0.1:\(server.port)/ListEntities")!,
                headers: [("Content-Type", "application/json")], body: Data("{}".utf8), timeout: 1))
        } throws: { ($0 as? CatalogError)?.code == .timeout }
        #expect(Date().timeIntervalSince(started) < 60, "the request's own 1-s deadline, not the transport's 120 s")
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

    @Test func redirectsOfRequestsWithABodyAreReturnedNotFollowed() async throws {
        // A request with a body has its own task delegate on Linux: it must refuse redirects too.
        let port = LockedPort()
        let server = try ScriptedHTTPServer { index in
            index == 0 ? .respond(status: 307, body: "", headers: ["Location: http://127.0.0.1:\(port.value)/stolen"])
                : .respond(status: 200, body: "stolen")
        }
        port.value = server.port
        defer { server.stop() }
        let transport = URLSessionTransport(requestTimeout: 5, resourceTimeout: 10)
        let response = try await transport.send(HTTPRequest(
            method: "POST", url: URL(string: "http://127.0.0.1:\(server.port)/StartChangeSet")!,
            headers: [("Content-Type", "application/json")], body: Data("{}".utf8)))
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

/// A port number set after the server that uses it has started.
private final class LockedPort: @unchecked Sendable {
    // @unchecked: `stored` is only touched under `lock`.
    private let lock = NSLock()
    private var stored: UInt16 = 0
    var value: UInt16 {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
