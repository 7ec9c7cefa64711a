/// One item of the plan a run executes, as the planner streams it: a change set to send,
/// or a row whose outcome is already decided without sending anything.
public enum RunItem: Sendable {
    /// A change set to send. `previous` holds, for rows of an earlier results file fed in
    /// again, what that file said (``ResultsWriter/Row/previous``): rows whose earlier change
    /// set FAILED, was CANCELLED or was still PENDING get their creates looked up before they
    /// are sent again (the earlier set may have applied them).
    case changeSet(PlannedChangeSet, previous: [Int: RowResult] = [:])
    /// A row decided without sending: INVALID (its ErrorCode and ErrorMessage say why) or
    /// SKIPPED (done in an earlier run), kept as given in the results.
    case row(index: Int, result: RowResult)
}

/// Where a run takes its plan from, one item at a time, in plan order (change sets by
/// ``PlannedChangeSet/sequenceNumber``). The run pulls lazily, so a planner that streams a
/// million rows never has them all in memory.
public protocol RunPlanSource {
    /// The next item, `nil` at the end. Throws when planning stops (a malformed input …).
    mutating func next() throws(BulkRunnerError) -> RunItem?
}

/// A plan held in memory.
public struct RunPlan: RunPlanSource, Sendable {
    private var items: [RunItem]
    private var position = 0

    /// A plan of `items`, in order.
    public init(_ items: [RunItem]) {
        self.items = items
    }

    /// A plan of change sets only.
    public init(changeSets: [PlannedChangeSet]) {
        self.init(changeSets.map { .changeSet($0) })
    }

    /// The next item.
    public mutating func next() throws(BulkRunnerError) -> RunItem? {
        guard position < items.count else { return nil }
        defer { position += 1 }
        return items[position]
    }
}
