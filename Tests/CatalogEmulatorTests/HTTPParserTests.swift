@testable import CatalogEmulator
import Foundation
import Testing

@Suite("HTTP/1.1 request parsing")
struct HTTPParserTests {
    func parse(_ text: String, continueSent: Bool = true) throws -> HTTPRequestParser.Outcome {
        try HTTPRequestParser.parse(Array(text.utf8), continueSent: continueSent)
    }

    @Test func completeRequestWithBody() throws {
        let text = "POST /ListEntities HTTP/1.1\r\nHost: 127.0.0.1:8787\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"a\": \"b c\"}\nGET /next"
        guard case .request(let request, let consumed) = try parse(text) else {
            Issue.record("expected a request")
            return
        }
        #expect(request.method == "POST")
        #expect(request.path == "/ListEntities")
        #expect(request.query == nil)
        #expect(request.header("content-type") == "application/json")
        #expect(request.headers.count == 3)
        #expect(String(decoding: request.body, as: UTF8.self) == "{\"a\": \"b c\"}\n")
        #expect(consumed == text.utf8.count - "GET /next".utf8.count)
        #expect(request.keepAlive)
    }

    @Test func queryIsKeptRawAndDecodedOnDemand() throws {
        guard case .request(let request, _) = try parse("GET /DescribeEntity?catalog=AWSMarketplace&entityId=offer-abc%40%31&x=a+b HTTP/1.1\nHost: h\n\n") else {
            Issue.record("expected a request")
            return
        }
        #expect(request.path == "/DescribeEntity")
        #expect(request.query == "catalog=AWSMarketplace&entityId=offer-abc%40%31&x=a+b")
        #expect(request.queryItems.map(\.name) == ["catalog", "entityId", "x"])
        #expect(request.queryItems[1].value == "offer-abc@1")
        #expect(request.queryItems[2].value == "a+b")
    }

    @Test func incompleteHeadsAndBodiesNeedMore() throws {
        guard case .needMore = try parse("POST /StartChangeSet HTTP/1.1\r\nContent-Length: 10\r\n") else {
            Issue.record("head incomplete")
            return
        }
        guard case .needMore = try parse("POST /StartChangeSet HTTP/1.1\r\nContent-Length: 10\r\n\r\n{\"a\"") else {
            Issue.record("body incomplete")
            return
        }
        guard case .expectsContinue = try parse("POST /StartChangeSet HTTP/1.1\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n", continueSent: false) else {
            Issue.record("expects 100-continue")
            return
        }
    }

    @Test func chunkedBodies() throws {
        let text = "POST /ListChangeSets HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"Ca\r\n11;ext=1\r\ntalog\":\"AWSMarket\r\n7\r\nplace\"}\r\n0\r\n\r\n"
        guard case .request(let request, let consumed) = try parse(text) else {
            Issue.record("expected a request")
            return
        }
        #expect(String(decoding: request.body, as: UTF8.self) == "{\"Catalog\":\"AWSMarketplace\"}")
        #expect(consumed == text.utf8.count)
        guard case .needMore = try parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"Ca") else {
            Issue.record("chunk incomplete")
            return
        }
    }

    @Test func malformedRequests() {
        #expect(throws: HTTPParseError.self) { try parse("NOT HTTP\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { try parse("GET / HTTP/1.1\r\nNoColonHere\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { try parse("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { try parse("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { try HTTPRequestParser.parse(Array(repeating: 0x41, count: 70_000)) }
    }

    @Test func connectionPersistence() throws {
        guard case .request(let close, _) = try parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"),
              case .request(let old, _) = try parse("GET / HTTP/1.0\r\n\r\n"),
              case .request(let oldKeep, _) = try parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") else {
            Issue.record("expected requests")
            return
        }
        #expect(!close.keepAlive)
        #expect(!old.keepAlive)
        #expect(oldKeep.keepAlive)
    }

    @Test func responseBytes() {
        let bytes = HTTPRequestParser.responseBytes(status: 423, headers: [(name: "x-amzn-ErrorType", value: "ResourceInUseException"),
                                                                          (name: "Content-Length", value: "999")],
                                                    body: Data("{}".utf8), keepAlive: true)
        #expect(String(decoding: bytes, as: UTF8.self)
                == "HTTP/1.1 423 Locked\r\nx-amzn-ErrorType: ResourceInUseException\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}")
    }
}
