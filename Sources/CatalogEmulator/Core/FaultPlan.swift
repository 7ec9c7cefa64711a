import Foundation

/// Failures the emulator injects, each drawn from its own seeded stream so a seed reproduces
/// exactly which calls fail. All rates are per request (0…1); all off by default.
///
/// | fault | effect |
/// | --- | --- |
/// | ``internalErrorRate`` | `InternalServiceException` (500) before anything happens |
/// | ``throttleBurstRate`` | starts a burst: every call of that operation is throttled for ``throttleBurstSeconds`` |
/// | ``serverFaultRate`` | a started change set ends FAILED with `SERVER_FAULT`, nothing applied |
/// | ``latencySeconds`` | each call waits a uniform 0…latency seconds on the injected clock |
/// | ``connectionResetRate`` | HTTP only: the connection is reset, the request never processed |
/// | ``lostAcknowledgementRate`` | HTTP only: the request is processed, the response never sent |
/// | ``blackHoleRate`` | HTTP only: the request is swallowed — never processed, never answered, the connection left open and silent |
/// | ``partialApplyOnFailure`` | a change set failing with `CLIENT_ERROR` still applies its successful creates |
public struct FaultPlan: Sendable, Hashable {
    /// Probability of `InternalServiceException` per call.
    public var internalErrorRate: Double
    /// Probability per call that a throttling burst starts for that operation.
    public var throttleBurstRate: Double
    /// How long a throttling burst lasts, in seconds.
    public var throttleBurstSeconds: Double
    /// Probability that a started change set fails with `SERVER_FAULT`.
    public var serverFaultRate: Double
    /// Upper bound of the added latency per call, in seconds (0 = none).
    public var latencySeconds: Double
    /// HTTP only: probability of resetting the connection instead of processing the request.
    public var connectionResetRate: Double
    /// HTTP only: probability of processing the request and dropping its response.
    public var lostAcknowledgementRate: Double
    /// HTTP only: probability of swallowing the request: not processed, not answered, and the
    /// connection neither reset nor closed (a silent peer, as behind a black-holing network), until
    /// the client gives up or the idle timeout passes. Only a client deadline gets out of it.
    public var blackHoleRate: Double
    /// Apply the successful creates of a change set that fails with `CLIENT_ERROR` (the service
    /// does not promise a rollback; the engine must never duplicate either way).
    public var partialApplyOnFailure: Bool

    /// A plan; everything off by default.
    public init(internalErrorRate: Double = 0, throttleBurstRate: Double = 0, throttleBurstSeconds: Double = 2,
                serverFaultRate: Double = 0, latencySeconds: Double = 0, connectionResetRate: Double = 0,
                lostAcknowledgementRate: Double = 0, partialApplyOnFailure: Bool = false, blackHoleRate: Double = 0) {
        self.internalErrorRate = internalErrorRate
        self.throttleBurstRate = throttleBurstRate
        self.throttleBurstSeconds = throttleBurstSeconds
        self.serverFaultRate = serverFaultRate
        self.latencySeconds = latencySeconds
        self.connectionResetRate = connectionResetRate
        self.lostAcknowledgementRate = lostAcknowledgementRate
        self.partialApplyOnFailure = partialApplyOnFailure
        self.blackHoleRate = blackHoleRate
    }

    /// Whether no fault is configured.
    public var isNone: Bool { self == FaultPlan() }
}

extension FaultPlan {
    /// The names `--faults` accepts, with what each takes.
    public static let specNames: [(name: String, help: String)] = [
        ("internal", "RATE of InternalServiceException (500) per call"),
        ("throttle-burst", "RATE per call of starting a throttling burst on that operation"),
        ("throttle-burst-seconds", "SECONDS a throttling burst lasts (default 2)"),
        ("server-fault", "RATE of change sets ending FAILED with SERVER_FAULT"),
        ("latency", "SECONDS of added latency at most per call (uniform)"),
        ("reset", "RATE of connections reset without processing the request (HTTP)"),
        ("lost-ack", "RATE of requests processed whose response is never sent (HTTP)"),
        ("blackhole", "RATE of requests swallowed: not processed, never answered, the connection left open (HTTP)"),
        ("partial-apply", "a FAILED (CLIENT_ERROR) change set still applies its successful creates"),
    ]

    /// Parses `internal=0.05,reset=0.02,lost-ack=0.02,server-fault=0.05,throttle-burst=0.01,latency=0.2,partial-apply`
    /// (`none` or an empty string: no faults). Rates are 0…1, seconds ≥ 0; an unknown name or a
    /// bad value throws ``FaultSpecError`` naming the valid names.
    public init(spec: String) throws(FaultSpecError) {
        self.init()
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "none" { return }
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: true) {
            let item = part.trimmingCharacters(in: .whitespaces)
            let name: String
            let value: String?
            if let eq = item.firstIndex(of: "=") {
                name = String(item[..<eq]).trimmingCharacters(in: .whitespaces)
                value = String(item[item.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            } else {
                name = item
                value = nil
            }
            func rate() throws(FaultSpecError) -> Double {
                guard let value, let number = Double(value), number >= 0, number <= 1 else {
                    throw FaultSpecError("fault '\(name)' needs a rate from 0 to 1, e.g. \(name)=0.05")
                }
                return number
            }
            func seconds() throws(FaultSpecError) -> Double {
                guard let value, let number = Double(value), number >= 0, number.isFinite else {
                    throw FaultSpecError("fault '\(name)' needs a number of seconds ≥ 0, e.g. \(name)=0.5")
                }
                return number
            }
            switch name {
            case "internal": internalErrorRate = try rate()
            case "throttle-burst": throttleBurstRate = try rate()
            case "throttle-burst-seconds": throttleBurstSeconds = try seconds()
            case "server-fault": serverFaultRate = try rate()
            case "latency": latencySeconds = try seconds()
            case "reset": connectionResetRate = try rate()
            case "lost-ack": lostAcknowledgementRate = try rate()
            case "blackhole": blackHoleRate = try rate()
            case "partial-apply":
                guard value == nil || value == "true" || value == "1" else {
                    throw FaultSpecError("fault 'partial-apply' takes no value")
                }
                partialApplyOnFailure = true
            default:
                throw FaultSpecError("unknown fault '\(name)'; valid faults: "
                    + FaultPlan.specNames.map(\.name).joined(separator: ", "))
            }
        }
    }

    /// The plan written back as a spec (`none` when empty), for banners and logs.
    public var spec: String {
        var parts: [String] = []
        if internalErrorRate > 0 { parts.append("internal=\(internalErrorRate)") }
        if throttleBurstRate > 0 {
            parts.append("throttle-burst=\(throttleBurstRate)")
            parts.append("throttle-burst-seconds=\(throttleBurstSeconds)")
        }
        if serverFaultRate > 0 { parts.append("server-fault=\(serverFaultRate)") }
        if latencySeconds > 0 { parts.append("latency=\(latencySeconds)") }
        if connectionResetRate > 0 { parts.append("reset=\(connectionResetRate)") }
        if lostAcknowledgementRate > 0 { parts.append("lost-ack=\(lostAcknowledgementRate)") }
        if blackHoleRate > 0 { parts.append("blackhole=\(blackHoleRate)") }
        if partialApplyOnFailure { parts.append("partial-apply") }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }
}

/// A `--faults` specification that cannot be read; the message names the valid faults.
public struct FaultSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
