import CatalogModels

/// A snapshot of what the emulator has seen, for tests and scripts that assert a client's
/// behaviour ("no operation ever exceeded its quota in any one-second window").
public struct EmulatorStatistics: Sendable, Hashable, Codable {
    /// Counters of one operation.
    public struct Operation: Sendable, Hashable, Codable {
        /// The quota in requests per second, `nil` when unlimited.
        public var quota: Int?
        /// Every call, throttled or not.
        public var calls: Int
        /// Calls answered with `ThrottlingException` because they were over the quota.
        public var throttled: Int
        /// Calls answered with `ThrottlingException` by an injected burst.
        public var burstThrottled: Int
        /// Calls answered with an injected `InternalServiceException`.
        public var internalErrors: Int
        /// Calls answered successfully.
        public var succeeded: Int
        /// Calls answered with any other error (validation, not found, quota, in use …).
        public var failed: Int
        /// The most calls (throttled ones included) within any one-second window `(t − 1 s, t]`:
        /// a client respects the quota when this is at most ``quota``.
        public var peakCallsInAnyWindow: Int
        /// The most accepted calls within any one-second window (never above ``quota``).
        public var peakAcceptedInAnyWindow: Int
        /// The most calls within one whole second of the clock.
        public var peakCallsInAnyCalendarSecond: Int

        /// Whether the client never exceeded the quota in any window.
        public var quotaRespected: Bool { quota.map { peakCallsInAnyWindow <= $0 } ?? true }
    }

    /// Counters by operation name (`StartChangeSet` …), every operation present.
    public var operations: [String: Operation]
    /// Change sets by status (`PREPARING`, `APPLYING`, `SUCCEEDED`, `FAILED`, `CANCELLED`).
    public var changeSetsByStatus: [String: Int]
    /// Change sets that failed with `SERVER_FAULT` (injected).
    public var serverFaults: Int
    /// Entities by type (`ResaleAuthorization`, `Offer`, `AmiProduct`, `ContainerProduct`, `SaaSProduct`, `Agreement`).
    public var entitiesByType: [String: Int]
    /// HTTP connections reset on purpose (injected).
    public var connectionResets: Int
    /// HTTP responses dropped after processing (injected).
    public var lostAcknowledgements: Int
    /// HTTP requests swallowed without an answer, the connection left open (injected).
    public var blackHoles: Int
    /// HTTP requests refused for authentication (missing, malformed, unknown key, bad signature, skew).
    public var authenticationFailures: Int

    /// Whether every operation stayed within its quota in every one-second window.
    public var quotasRespected: Bool { operations.values.allSatisfy(\.quotaRespected) }

    /// The counters of `operation`.
    public subscript(operation: CatalogOperation) -> Operation {
        operations[operation.name] ?? Operation(quota: nil, calls: 0, throttled: 0, burstThrottled: 0, internalErrors: 0,
                                                succeeded: 0, failed: 0, peakCallsInAnyWindow: 0, peakAcceptedInAnyWindow: 0,
                                                peakCallsInAnyCalendarSecond: 0)
    }
}
