import CatalogClient
import CatalogModels
import Clocks
import Foundation

/// What the server does with one request.
enum HandlerReply: Sendable {
    /// Send this response.
    case response(status: Int, headers: [(name: String, value: String)], body: Data)
    /// Reset the connection without answering (injected; the request was not processed).
    case reset
    /// Close the connection without answering (injected lost acknowledgement; the request
    /// was processed).
    case drop
    /// Neither answer nor close (injected black hole; the request was not processed): the
    /// connection stays open and silent until the client gives up.
    case blackHole
}

/// Turns a received HTTP request into the emulator's answer: routes by method and path
/// (``CatalogOperation/init(method:path:)``), verifies the SigV4 signature, draws transport
/// faults, and has the emulator parse and serve the request.
struct RequestHandler: Sendable {
    let emulator: CatalogEmulator
    let authentication: EmulatorAuthentication

    /// ``handle(_:)`` for a connection thread: blocks that thread (never a task of the
    /// cooperative pool) until the answer is ready.
    func handleBlocking(_ request: ReceivedRequest) -> HandlerReply {
        let box = ReplyBox()
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            box.value = await handle(request)
            semaphore.signal()
        }
        semaphore.wait()
        return box.value ?? .reset
    }

    func handle(_ request: ReceivedRequest) async -> HandlerReply {
        if request.method == "GET", request.path == "/_emulator/statistics" {
            let statistics = await emulator.statistics()
            return .response(status: 200, headers: [(name: "Content-Type", value: "application/json")],
                             body: (try? CatalogJSON.encode(statistics)) ?? Data("{}".utf8))
        }
        if request.method == "GET", request.path == "/_emulator/inventory" {
            let inventory = await emulator.inventory()
            return .response(status: 200, headers: [(name: "Content-Type", value: "application/json")],
                             body: inventory.json.compactData)
        }
        guard let operation = CatalogOperation(method: request.method, path: request.path) else {
            let requestId = await emulator.nextRequestId()
            let error = CatalogError(.unknown("UnknownOperationException"),
                                     message: "No Catalog API operation is \(request.method) \(request.path)",
                                     requestId: requestId, httpStatus: 404)
            return Self.reply(error.httpResponse)
        }
        if case .sigV4(let credentials) = authentication {
            let now = emulator.clock.now()
            if let rejection = Self.verify(request, credentials: credentials, now: now) {
                let requestId = await emulator.recordAuthenticationFailure()
                let error = CatalogError(CatalogError.Code(wireName: rejection.errorType), message: rejection.description,
                                         requestId: requestId, httpStatus: rejection.httpStatus)
                return Self.reply(error.httpResponse)
            }
        }
        switch await emulator.drawTransportFault() {
        case .reset:
            return .reset
        case .lostAcknowledgement:
            _ = await emulator.respond(to: operation, queryItems: request.queryItems, body: request.body)
            return .drop
        case .blackHole:
            return .blackHole
        case .none:
            return Self.reply(await emulator.respond(to: operation, queryItems: request.queryItems, body: request.body))
        }
    }

    private static func reply(_ response: (status: Int, headers: [(name: String, value: String)], body: Data)) -> HandlerReply {
        .response(status: response.status, headers: response.headers, body: response.body)
    }

    /// Why the request's signature is refused, or `nil` when it is valid.
    static func verify(_ request: ReceivedRequest, credentials: [AWSCredentials], now: Date) -> SigV4Rejection? {
        let verifier = SigV4Verifier(service: "aws-marketplace", region: "us-east-1", allowedClockSkew: 300) { key in
            credentials.first { $0.accessKeyId == key }
        }
        let outcome: SigV4Verification
        let target = request.path + (request.query.map { "?" + $0 } ?? "")
        if let url = URL(string: "http://127.0.0.1" + target) {
            // The HTTPRequest form also checks a declared x-amz-content-sha256 against the body.
            outcome = verifier.verify(HTTPRequest(method: request.method, url: url, headers: request.headers, body: request.body), now: now)
        } else {
            outcome = verifier.verify(SignableRequest(method: request.method, path: request.path, query: request.query,
                                                      headers: request.headers, body: request.body), now: now)
        }
        switch outcome {
        case .verified: return nil
        case .rejected(let rejection): return rejection
        }
    }
}

/// Carries a reply from the task to the blocked connection thread.
private final class ReplyBox: @unchecked Sendable {
    // @unchecked: written once by the task before the semaphore is signalled, read after.
    var value: HandlerReply?
}
