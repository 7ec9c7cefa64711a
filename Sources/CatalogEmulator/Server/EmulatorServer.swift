import CatalogClient
import CatalogModels
import Clocks
import Foundation

/// The Catalog emulator on loopback HTTP: a small HTTP/1.1 server (POSIX sockets, keep-alive,
/// `Content-Length` and chunked bodies, 127.0.0.1 only) speaking the real rest-json wire
/// protocol of the AWS Marketplace Catalog API, so boto3, the AWS CLI and BulkRunner's HTTP
/// client can be pointed at it with `--endpoint-url`.
///
/// ```swift
/// let server = try await EmulatorServer.start(EmulatorServerConfiguration(), clock: SystemTimeSource())
/// print(server.url)            // http://127.0.0.1:54321
/// await server.stop()
/// ```
///
/// Besides the seven Catalog operations it answers two unsigned, non-AWS paths for tests and
/// scripts: `GET /_emulator/statistics` (``EmulatorStatistics`` as JSON) and
/// `GET /_emulator/inventory` (the entities' ids, statuses and products as JSON).
///
/// Cost: one thread per open connection (clients keep a handful), one accept thread.
public enum EmulatorServer {
    /// Starts a server with a new emulator on `clock`.
    public static func start(_ configuration: EmulatorServerConfiguration, clock: any TimeSource) async throws -> RunningEmulatorServer {
        let emulator = CatalogEmulator(configuration: configuration.emulator, clock: clock)
        return try await start(configuration, serving: emulator)
    }

    /// Starts a server in front of an existing emulator (whose clock also judges signature
    /// skew). Throws ``SocketError`` when the port cannot be bound.
    public static func start(_ configuration: EmulatorServerConfiguration, serving emulator: CatalogEmulator) async throws -> RunningEmulatorServer {
        let listener = try Socket.listen(port: configuration.port)
        let handler = RequestHandler(emulator: emulator, authentication: configuration.authentication)
        let server = RunningEmulatorServer(listenFD: listener.fd, port: listener.port, emulator: emulator, handler: handler,
                                           idleTimeout: configuration.idleTimeoutSeconds)
        server.startAccepting()
        return server
    }
}

/// A started loopback server: its address, its emulator, and ``stop()``.
public final class RunningEmulatorServer: Sendable {
    /// The port it listens on at 127.0.0.1.
    public let port: UInt16
    /// The emulator it serves.
    public let emulator: CatalogEmulator
    private let listenFD: Int32
    private let handler: RequestHandler
    private let idleTimeout: Int
    private let connections = ConnectionRegistry()

    /// `http://127.0.0.1:PORT`: the endpoint URL to give clients.
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    init(listenFD: Int32, port: UInt16, emulator: CatalogEmulator, handler: RequestHandler, idleTimeout: Int) {
        self.listenFD = listenFD
        self.port = port
        self.emulator = emulator
        self.handler = handler
        self.idleTimeout = idleTimeout
    }

    func startAccepting() {
        let fd = listenFD
        let registry = connections
        let handler = handler
        let idle = idleTimeout
        registry.enter()
        let thread = Thread {
            defer {
                Socket.close(fd)
                registry.leave()
            }
            while let client = Socket.accept(fd) {
                guard registry.register(client) else {
                    Socket.close(client)
                    break
                }
                registry.enter()
                let worker = Thread {
                    defer { registry.leave() }
                    Socket.setReadTimeout(client, seconds: idle)
                    let ending = ConnectionLoop(fd: client, handler: handler).run()
                    if ending == .reset, registry.release(client) {
                        Socket.reset(client)
                    } else {
                        registry.unregister(client)
                    }
                }
                worker.stackSize = 1 << 20
                worker.start()
            }
        }
        thread.name = "catalog-emulator-accept"
        thread.start()
    }

    /// Stops accepting, closes every connection and waits for the server's threads to end
    /// (the accept thread closes the listening socket as it leaves). Safe to call more than once.
    public func stop() async {
        guard connections.stop() else { return }
        Socket.shutdown(listenFD)
        Socket.poke(port: port)
        await connections.waitUntilIdle()
    }
}

/// The open connections and running threads of one server, for ``RunningEmulatorServer/stop()``.
final class ConnectionRegistry: @unchecked Sendable {
    // @unchecked: every property is guarded by `lock`; the group is thread-safe.
    private let lock = NSLock()
    private var open: Set<Int32> = []
    private var stopped = false
    private let group = DispatchGroup()

    func enter() { group.enter() }
    func leave() { group.leave() }

    /// Records an accepted connection; false once stopping.
    func register(_ fd: Int32) -> Bool {
        lock.withLock {
            guard !stopped else { return false }
            open.insert(fd)
            return true
        }
    }

    /// Forgets and closes a connection (unless a reset already closed it).
    func unregister(_ fd: Int32) {
        let owned = lock.withLock { open.remove(fd) != nil }
        if owned { Socket.close(fd) }
    }

    /// Takes a connection out of the registry before the caller closes it itself.
    func release(_ fd: Int32) -> Bool {
        lock.withLock { open.remove(fd) != nil }
    }

    /// Marks the server stopping and wakes every connection; false when already stopped.
    func stop() -> Bool {
        let fds: Set<Int32>? = lock.withLock {
            guard !stopped else { return nil }
            stopped = true
            return open
        }
        guard let fds else { return false }
        for fd in fds { Socket.shutdown(fd) }
        return true
    }

    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { continuation.resume() }
        }
    }
}

/// Serves one connection: reads requests, answers them in order, until the peer closes,
/// asks to close, idles out, or a fault drops the connection.
struct ConnectionLoop {
    let fd: Int32
    let handler: RequestHandler

    /// How a connection ends: closed normally, or reset (an injected fault).
    enum Ending: Equatable {
        case close
        case reset
    }

    func run() -> Ending {
        var buffer: [UInt8] = []
        var continueSent = false
        while true {
            let outcome: HTTPRequestParser.Outcome
            do throws(HTTPParseError) {
                outcome = try HTTPRequestParser.parse(buffer, continueSent: continueSent)
            } catch {
                let body = Data("{\"Message\":\"\(error.reason)\"}".utf8)
                Socket.write(fd, HTTPRequestParser.responseBytes(
                    status: error.status, headers: [(name: "Content-Type", value: "application/json"),
                                                    (name: "x-amzn-ErrorType", value: "SerializationException")],
                    body: body, keepAlive: false))
                return .close
            }
            switch outcome {
            case .expectsContinue:
                Socket.write(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                continueSent = true
                continue
            case .needMore:
                let bytes = Socket.read(fd)
                if bytes.isEmpty { return .close }
                buffer.append(contentsOf: bytes)
                continue
            case .request(let request, let consumed):
                buffer.removeFirst(consumed)
                continueSent = false
                let reply = handler.handleBlocking(request)
                switch reply {
                case .reset:
                    return .reset
                case .drop:
                    Socket.shutdown(fd)
                    return .close
                case .blackHole:
                    // Read and discard whatever comes, answer nothing, until the client closes,
                    // the idle timeout passes or the server stops (which shuts the socket down).
                    while !Socket.read(fd).isEmpty {}
                    return .close
                case .response(let status, let headers, let body):
                    let keepAlive = request.keepAlive
                    guard Socket.write(fd, HTTPRequestParser.responseBytes(status: status, headers: headers, body: body, keepAlive: keepAlive)),
                          keepAlive else { return .close }
                }
            }
        }
    }
}
