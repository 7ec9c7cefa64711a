import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for transport tests: answers each connection
/// with the next canned response (`Connection: close`) and records the raw requests.
/// Nothing leaves the machine.
final class LoopbackHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private let responses: @Sendable (Int, UInt16) -> String

    /// `responses(n, port)` is the raw response to the n-th (0-based) request.
    init(responses: @escaping @Sendable (Int, UInt16) -> String) throws {
        self.responses = responses
        (listener, port) = try loopbackListener()
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    var requests: [String] { lock.withLock { received } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        var index = 0
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = recv(connection, &buffer, buffer.count, 0)
                if count <= 0 { break }
                data.append(contentsOf: buffer[0..<count])
                if let text = String(data: data, encoding: .utf8), let end = text.range(of: "\r\n\r\n") {
                    let head = text[..<end.lowerBound].lowercased()
                    let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                    if text.utf8.count - text.utf8.distance(from: text.startIndex, to: end.upperBound) >= length { break }
                }
            }
            lock.withLock { received.append(String(decoding: data, as: UTF8.self)) }
            let response = Array(responses(index, port).utf8)
            _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, 0) }
            close(connection)
            index += 1
        }
    }
}
