import CatalogClient
import Clocks
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension EmulatorServer {
    /// Runs the emulator the way `bulkrunner emulator` does: starts it on the system clock,
    /// writes the banner through `output` (the address first: `listening on http://127.0.0.1:PORT`),
    /// serves until SIGINT or SIGTERM, stops, and returns the signal number.
    public static func runUntilSignalled(_ configuration: EmulatorServerConfiguration,
                                         output: @escaping @Sendable (String) -> Void) async throws -> Int32 {
        let signals = TerminationSignals()
        let server = try await start(configuration, clock: SystemTimeSource())
        for line in await banner(server, configuration: configuration) { output(line) }
        let signal = await signals.wait()
        output("received signal \(signal); stopping")
        await server.stop()
        return signal
    }

    /// The lines `bulkrunner emulator` prints at start: address, credentials to use, what is
    /// seeded, which resellers are valid, the faults.
    public static func banner(_ server: RunningEmulatorServer, configuration: EmulatorServerConfiguration) async -> [String] {
        let inventory = await server.emulator.inventory()
        let emulator = configuration.emulator
        var lines = ["listening on \(server.url.absoluteString)"]
        switch configuration.authentication {
        case .disabled:
            lines.append("authentication: off (--no-auth); any credentials work: aws --endpoint-url \(server.url.absoluteString) --region us-east-1 marketplace-catalog …")
        case .sigV4(let credentials):
            let first = credentials.first ?? EmulatorAuthentication.exampleCredentials
            lines.append("credentials: AWS_ACCESS_KEY_ID=\(first.accessKeyId) AWS_SECRET_ACCESS_KEY=\(first.secretAccessKey) AWS_REGION=us-east-1 (endpoint \(server.url.absoluteString))")
        }
        let owned = inventory.products.filter(\.isOwned)
        lines.append("account \(emulator.accountId), seed \(emulator.seed): \(owned.count) products, \(inventory.resaleAuthorizations.count) resale authorizations, \(inventory.offers.count) offers")
        for product in owned.prefix(6) {
            lines.append("  product \(product.id) \(product.kind.rawValue) \"\(product.title)\" dimensions \(product.dimensionKeys.joined(separator: ","))")
        }
        lines.append("resellers: \(emulator.resellers.summary)")
        lines.append("change sets: PREPARING \(emulator.lifecycle.prepareSeconds) s, APPLYING \(emulator.lifecycle.applySeconds) s (±\(Int(emulator.lifecycle.jitter * 100)) %); faults: \(emulator.faults.spec)")
        lines.append("statistics: GET \(server.url.absoluteString)/_emulator/statistics; press Ctrl-C to stop")
        return lines
    }
}

/// The write end of the self-pipe the signal handler writes to (set once, before handlers are installed).
private nonisolated(unsafe) var terminationPipeWriteFD: Int32 = -1

/// The SIGINT/SIGTERM handler: async-signal-safe, it only writes the signal number to the pipe.
private func recordTerminationSignal(_ number: Int32) {
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(terminationPipeWriteFD, &byte, 1)
}

/// Waits for SIGINT or SIGTERM. Installs a handler when created (so a signal that arrives
/// early is kept) that writes to a self-pipe; a dedicated thread reads it. Handlers rather than
/// a dispatch source, because a blocked-signal scheme misses signals the kernel delivers to
/// one of the server's many threads.
final class TerminationSignals: @unchecked Sendable {
    // @unchecked: the descriptors are set once in init and only read afterwards.
    private let readFD: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        _ = fds.withUnsafeMutableBufferPointer { pipe($0.baseAddress!) }
        readFD = fds[0]
        terminationPipeWriteFD = fds[1]
        signal(SIGINT, recordTerminationSignal)
        signal(SIGTERM, recordTerminationSignal)
    }

    /// The first signal received.
    func wait() async -> Int32 {
        let fd = readFD
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                var byte: UInt8 = 0
                while true {
                    let n = read(fd, &byte, 1)
                    if n == 1 { break }
                    if n < 0, errno == EINTR { continue }
                    byte = UInt8(SIGTERM)
                    break
                }
                continuation.resume(returning: Int32(byte))
            }
            thread.name = "catalog-emulator-signals"
            thread.start()
        }
    }
}
