import CatalogClient
import Foundation

/// The command-line options of `bulkrunner emulator`, described once and turned into an
/// ``EmulatorServerConfiguration`` here, so the command stays thin and the parsing is tested
/// with the emulator.
public enum EmulatorOptions {
    /// One option: long name, value placeholder (`nil` for a switch), help line.
    public struct Option: Sendable, Hashable {
        /// The long name without dashes, e.g. `port`.
        public var name: String
        /// The value placeholder, e.g. `N`; `nil` for a switch.
        public var valueName: String?
        /// One line of help.
        public var help: String
    }

    /// Every option, in help order.
    public static let all: [Option] = [
        Option(name: "port", valueName: "N", help: "port on 127.0.0.1 to listen on (default 0: a free port, printed at start)"),
        Option(name: "seed", valueName: "S", help: "seed of every id, jitter, seeded entity and fault (default 0): same seed, same run"),
        Option(name: "faults", valueName: "SPEC", help: "faults to inject, e.g. internal=0.05,reset=0.02,lost-ack=0.02,server-fault=0.05,throttle-burst=0.01,latency=0.2,partial-apply"),
        Option(name: "no-auth", valueName: nil, help: "accept requests without checking their SigV4 signature"),
        Option(name: "access-key", valueName: "ID", help: "access key id clients must sign with (default AKIDEXAMPLE)"),
        Option(name: "secret-key", valueName: "KEY", help: "secret access key clients must sign with (default wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY)"),
        Option(name: "prepare-seconds", valueName: "S", help: "seconds a change set stays PREPARING (default 2, ±25 % jitter)"),
        Option(name: "apply-seconds", valueName: "S", help: "seconds a change set stays APPLYING (default 3, ±25 % jitter)"),
        Option(name: "seed-authorizations", valueName: "N", help: "resale authorizations that exist at start (default 25)"),
        Option(name: "seed-offers", valueName: "N", help: "offers that exist at start (default 10)"),
        Option(name: "account-id", valueName: "ID", help: "the seller's 12-digit account id (default 444455556666)"),
    ]

    /// Builds the configuration from option values by long name and the switches given.
    /// Throws ``EmulatorOptionsError`` for a value that does not fit (the message says which
    /// values are accepted; unknown fault names list the valid ones).
    public static func configuration(values: [String: String], flags: Set<String>) throws(EmulatorOptionsError) -> EmulatorServerConfiguration {
        var configuration = EmulatorServerConfiguration()
        if let text = values["port"] {
            guard let port = UInt16(text) else { throw EmulatorOptionsError("--port must be a port number from 0 to 65535 (got '\(text)')") }
            configuration.port = port
        }
        if let text = values["seed"] {
            guard let seed = UInt64(text) else { throw EmulatorOptionsError("--seed must be a non-negative integer (got '\(text)')") }
            configuration.emulator.seed = seed
        }
        if let spec = values["faults"] {
            do throws(FaultSpecError) {
                configuration.emulator.faults = try FaultPlan(spec: spec)
            } catch {
                throw EmulatorOptionsError("--faults: \(error.message)")
            }
        }
        var accessKey = EmulatorAuthentication.exampleCredentials.accessKeyId
        var secretKey = EmulatorAuthentication.exampleCredentials.secretAccessKey
        if let text = values["access-key"] {
            guard !text.isEmpty, !text.contains(where: \.isWhitespace) else { throw EmulatorOptionsError("--access-key must be a non-empty key id without spaces") }
            accessKey = text
        }
        if let text = values["secret-key"] {
            guard !text.isEmpty else { throw EmulatorOptionsError("--secret-key must not be empty") }
            secretKey = text
        }
        if flags.contains("no-auth") {
            if values["access-key"] != nil || values["secret-key"] != nil {
                throw EmulatorOptionsError("--no-auth cannot be combined with --access-key or --secret-key")
            }
            configuration.authentication = .disabled
        } else {
            configuration.authentication = .sigV4([AWSCredentials(accessKeyId: accessKey, secretAccessKey: secretKey)])
        }
        func seconds(_ name: String) throws(EmulatorOptionsError) -> Double? {
            guard let text = values[name] else { return nil }
            guard let value = Double(text), value >= 0, value.isFinite else {
                throw EmulatorOptionsError("--\(name) must be a number of seconds ≥ 0 (got '\(text)')")
            }
            return value
        }
        func count(_ name: String) throws(EmulatorOptionsError) -> Int? {
            guard let text = values[name] else { return nil }
            guard let value = Int(text), (0...100_000).contains(value) else {
                throw EmulatorOptionsError("--\(name) must be a whole number from 0 to 100000 (got '\(text)')")
            }
            return value
        }
        if let value = try seconds("prepare-seconds") { configuration.emulator.lifecycle.prepareSeconds = value }
        if let value = try seconds("apply-seconds") { configuration.emulator.lifecycle.applySeconds = value }
        configuration.emulator.seeding.namedProducts = NamedProduct.samples
        if let value = try count("seed-authorizations") { configuration.emulator.seeding.resaleAuthorizations = value }
        if let value = try count("seed-offers") { configuration.emulator.seeding.offers = value }
        if let text = values["account-id"] {
            guard text.count == 12, text.allSatisfy(\.isASCIIDigitCharacter) else {
                throw EmulatorOptionsError("--account-id must be 12 digits (got '\(text)')")
            }
            configuration.emulator.accountId = text
        }
        return configuration
    }

    /// Parses raw arguments (`--port 0 --seed 7 --no-auth`, `--name=value` too) the same way,
    /// for executables without the CLI's parser.
    public static func configuration(arguments: [String]) throws(EmulatorOptionsError) -> EmulatorServerConfiguration {
        var values: [String: String] = [:]
        var flags: Set<String> = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard word.hasPrefix("--") else { throw EmulatorOptionsError("unexpected argument '\(word)'") }
            var name = String(word.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let option = all.first(where: { $0.name == name }) else {
                throw EmulatorOptionsError("unknown option '--\(name)'; options: " + all.map { "--\($0.name)" }.joined(separator: ", "))
            }
            if option.valueName == nil {
                flags.insert(name)
            } else if let inline {
                values[name] = inline
            } else {
                guard index < arguments.count else { throw EmulatorOptionsError("option --\(name) needs a value (\(option.valueName!))") }
                values[name] = arguments[index]
                index += 1
            }
        }
        return try configuration(values: values, flags: flags)
    }
}

/// An option value `bulkrunner emulator` cannot use; the message says what is accepted.
public struct EmulatorOptionsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
