import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A keep-alive HTTP/1.1 server on 127.0.0.1 for transport tests: reads each request whole
/// (`Content-Length` bodies), records it with the number of the connection it came on, and does
/// what the script says for the n-th request overall: answer and keep the connection, reset it
/// (TCP RST, `SO_LINGER` 0), close it (FIN) or go silent. Nothing leaves the machine.
final class ScriptedHTTPServer: @unchecked Sendable {
    /// What the server does with one request.
    enum Action: Sendable {
        /// Answer with this status, extra header lines and body, keeping the connection open.
        case respond(status: Int, body: String, headers: [String] = [])
        /// Reset the connection without answering.
        case reset
        /// Close the connection without answering.
        case close
        /// Answer nothing and keep the connection open until the client leaves.
        case silence
    }

    /// One received request.
    struct Received: Sendable {
        /// 0 for the first accepted connection, 1 for the next …
        var connection: Int
        /// The request line and headers.
        var head: String
        /// The body bytes as text.
        var body: String
    }

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var received: [Received] = []
    private var open: [Int32] = []
    private let script: @Sendable (Int) -> Action

    /// `script(n)` is the action for the n-th (0-based) request.
    init(script: @escaping @Sendable (Int) -> Action) throws {
        self.script = script
        (listener, port) = try loopbackListener()
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// The requests received so far, in order.
    var requests: [Received] { lock.withLock { received } }

    /// Stops accepting and wakes every connection.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in lock.withLock({ open }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        var connection = 0
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 { return }
            lock.withLock { open.append(fd) }
            let number = connection
            connection += 1
            let thread = Thread { [self] in serve(fd, connection: number) }
            thread.start()
        }
    }

    /// Forgets and closes a connection (forgotten first, so ``stop()`` never touches a reused descriptor).
    private func finish(_ fd: Int32) {
        lock.withLock { open.removeAll { $0 == fd } }
        close(fd)
    }

    private func serve(_ fd: Int32, connection: Int) {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            // One whole request: the head, then Content-Length bytes of body.
            var request: (head: String, body: Data)?
            while request == nil {
                if let end = buffer.range(of: Data("\r\n\r\n".utf8)) {
                    let head = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
                    let length = head.lowercased().split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                    if buffer.count - (end.upperBound - buffer.startIndex) >= length {
                        let body = buffer[end.upperBound..<(end.upperBound + length)]
                        request = (head, Data(body))
                        buffer = Data(buffer[(end.upperBound + length)...])
                        break
                    }
                }
                let count = recv(fd, &chunk, chunk.count, 0)
                if count <= 0 { finish(fd); return }
                buffer.append(contentsOf: chunk[0..<count])
            }
            guard let request else { return }
            let index = lock.withLock { () -> Int in
                received.append(Received(connection: connection, head: request.head,
                                         body: String(decoding: request.body, as: UTF8.self)))
                return received.count - 1
            }
            switch script(index) {
            case .respond(let status, let body, let headers):
                let bytes = Array(("HTTP/1.1 \(status) Scripted\r\nContent-Type: application/json\r\n"
                    + headers.map { $0 + "\r\n" }.joined()
                    + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
                _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            case .reset:
                var option = linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
                finish(fd)
                return
            case .close:
                shutdown(fd, Int32(SHUT_RDWR))
                finish(fd)
                return
            case .silence:
                while recv(fd, &chunk, chunk.count, 0) > 0 {}
                finish(fd)
                return
            }
        }
    }
}
