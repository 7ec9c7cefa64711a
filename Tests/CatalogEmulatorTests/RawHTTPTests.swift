@testable import CatalogEmulator
import CatalogModels
import Foundation
import Testing

/// The HTTP front byte by byte over a real socket: keep-alive with pipelined requests,
/// chunked bodies, `Expect: 100-continue`, HTTP/1.0, malformed requests.
@Suite("Raw HTTP on loopback", .serialized)
struct RawHTTPTests {
    /// Sends `text` and reads until `expectedResponses` complete responses have arrived (or the peer closes).
    func exchange(_ port: UInt16, _ chunks: [String], expectedResponses: Int, pauseBetweenChunks: Bool = false) throws -> String {
        let fd = try #require(Socket.connect(port: port))
        defer { Socket.close(fd) }
        Socket.setReadTimeout(fd, seconds: 60)
        var received = ""
        for (n, chunk) in chunks.enumerated() {
            Socket.write(fd, Array(chunk.utf8))
            if pauseBetweenChunks, n < chunks.count - 1 {
                let bytes = Socket.read(fd)
                received += String(decoding: bytes, as: UTF8.self)
            }
        }
        while received.components(separatedBy: "HTTP/1.1 ").count - 1 - received.components(separatedBy: "HTTP/1.1 100").count + 1 < expectedResponses {
            let bytes = Socket.read(fd)
            if bytes.isEmpty { break }
            received += String(decoding: bytes, as: UTF8.self)
        }
        return received
    }

    func server() async throws -> RunningEmulatorServer {
        let world = World()
        return try await EmulatorServer.start(EmulatorServerConfiguration(port: 0, authentication: .disabled), serving: world.emulator)
    }

    @Test func pipelinedKeepAliveRequests() async throws {
        let server = try await server()
        let body = "{\"Catalog\":\"AWSMarketplace\",\"EntityType\":\"Offer\",\"MaxResults\":1}"
        let one = "POST /ListEntities HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let two = "GET /DescribeChangeSet?catalog=AWSMarketplace&changeSetId=nope HTTP/1.1\r\nHost: x\r\n\r\n"
        let text = try exchange(server.port, [one + two], expectedResponses: 2)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.contains("HTTP/1.1 404 Not Found\r\n"))
        #expect(text.contains("x-amzn-ErrorType: ResourceNotFoundException"))
        #expect(text.contains("Connection: keep-alive"))
        await server.stop()
    }

    @Test func chunkedBodyAndExpectContinue() async throws {
        let server = try await server()
        let chunked = "POST /ListChangeSets HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"Cat\r\n15\r\nalog\":\"AWSMarketplace\r\n2\r\n\"}\r\n0\r\n\r\n"
        let text = try exchange(server.port, [chunked], expectedResponses: 1)
        #expect(text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(text.contains("ChangeSetSummaryList"))
        let body = "{\"Catalog\":\"AWSMarketplace\"}"
        let head = "POST /ListChangeSets HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        let continued = try exchange(server.port, [head, body], expectedResponses: 1, pauseBetweenChunks: true)
        #expect(continued.hasPrefix("HTTP/1.1 100 Continue\r\n\r\n"))
        #expect(continued.contains("HTTP/1.1 200 OK"))
        await server.stop()
    }

    @Test func closeAndMalformed() async throws {
        let server = try await server()
        let old = try exchange(server.port, ["GET /_emulator/statistics HTTP/1.0\r\n\r\n"], expectedResponses: 1)
        #expect(old.contains("Connection: close"))
        let bad = try exchange(server.port, ["BROKEN\r\n\r\n"], expectedResponses: 1)
        #expect(bad.hasPrefix("HTTP/1.1 400 Bad Request"))
        let unknown = try exchange(server.port, ["DELETE /StartChangeSet HTTP/1.1\r\nHost: x\r\n\r\n"], expectedResponses: 1)
        #expect(unknown.hasPrefix("HTTP/1.1 404"))
        #expect(unknown.contains("UnknownOperationException"))
        await server.stop()
        #expect(Socket.connect(port: server.port) == nil)
    }
}
