import Foundation

/// What a journal says, folded by change set: for each token, whether it was announced,
/// accepted, refused, parked, its last status, its final status, the rows it concluded and
/// the sets cut from it. Built once when a run starts over its own journal (resume).
struct JournalIndex: Sendable {
    /// One change set's story.
    struct Node: Sendable {
        var send: (sequence: Int, name: String, rows: [Int], hash: String, at: Date)?
        var accepted: (id: String, arn: String?)?
        var refused: (code: String, message: String)?
        var parked: (code: String, message: String)?
        var lastStatus: String?
        var final: (status: String, failureCode: String?, description: String?)?
        var concluded: [Int: RowResult] = [:]
        var children: (reason: JournalRecord.SplitReason, sets: [JournalRecord.ChildSpec])?
    }

    /// The run identity of the first record.
    var identity: String?
    /// When the first run started.
    var startedAt: Date?
    /// Every change set mentioned, by token.
    var nodes: [String: Node] = [:]
    /// Child token → parent token.
    var parentOf: [String: String] = [:]
    /// Every change-set id the journal knows.
    var knownChangeSetIds: Set<String> = []
    /// Number of records read.
    var recordCount = 0

    init(records: [JournalRecord]) {
        recordCount = records.count
        for record in records {
            switch record {
            case .run(let identity, let startedAt):
                if self.identity == nil {
                    self.identity = identity
                    self.startedAt = startedAt
                }
            case .children(let parent, let reason, let sets):
                nodes[parent, default: Node()].children = (reason, sets)
                for set in sets { parentOf[set.token] = parent }
            case .send(let token, let sequence, let name, let rows, let hash, let at):
                nodes[token, default: Node()].send = (sequence, name, rows, hash, at)
            case .accepted(let token, let id, let arn, _, _):
                nodes[token, default: Node()].accepted = (id, arn)
                knownChangeSetIds.insert(id)
            case .refused(let token, let code, let message):
                nodes[token, default: Node()].refused = (code, message)
            case .parked(let token, let code, let message):
                nodes[token, default: Node()].parked = (code, message)
            case .status(let token, let status):
                nodes[token, default: Node()].lastStatus = status
            case .final(let token, let status, let failure, let description):
                nodes[token, default: Node()].final = (status, failure, description)
                nodes[token, default: Node()].lastStatus = status
            case .rows(let token, let results):
                for item in results { nodes[token, default: Node()].concluded[item.row] = item.result }
            }
        }
    }

    /// The root of `token`'s tree (a set the planner made).
    func root(of token: String) -> String {
        var current = token
        var seen: Set<String> = []
        while let parent = parentOf[current], seen.insert(current).inserted { current = parent }
        return current
    }

    /// Root tokens of every tree that announced or concluded anything.
    var roots: Set<String> {
        Set(nodes.keys.map { root(of: $0) })
    }

    /// Row index → the root token whose tree sent or concluded it.
    var rootOfRow: [Int: String] {
        var map: [Int: String] = [:]
        for (token, node) in nodes {
            let root = root(of: token)
            for row in node.send?.rows ?? [] { map[row] = root }
            for row in node.concluded.keys { map[row] = root }
        }
        return map
    }
}
