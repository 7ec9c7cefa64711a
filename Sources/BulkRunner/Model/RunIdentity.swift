import Hashing

/// The identity of one bulk run: part of every ClientRequestToken and ChangeSetName the
/// run sends, so that re-running the same input and template with the same identity
/// resends the same tokens (the service then answers with the original change sets), and
/// a run's change sets can be found again in the change-set history by name.
///
/// The CLI derives it (for example from the input path and the template) and records it in
/// the journal; the planner takes it as a parameter. 1–40 characters of letters, digits
/// and `_ . : @ + = -` (it must fit the ChangeSetName pattern `^[\w\s+=.:@-]+$`).
public struct RunIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The identity text.
    public let value: String

    /// The longest identity accepted.
    public static let maximumLength = 40

    /// Wraps `value` after checking its length and characters.
    ///
    /// - Throws: ``BulkRunnerError`` with code ``BulkRunnerError/Code/invalidOption``.
    public init(_ value: String) throws(BulkRunnerError) {
        guard !value.isEmpty, value.count <= Self.maximumLength else {
            throw BulkRunnerError(code: .invalidOption, field: "run identity",
                                  reason: "run identity \"\(value)\" has \(value.count) characters",
                                  hint: "use 1–\(Self.maximumLength) letters, digits and _.:@+=-")
        }
        let allowed: (Character) -> Bool = {
            ($0.isASCII && ($0.isLetter || $0.isNumber)) || "_.:@+=-".contains($0)
        }
        guard value.allSatisfy(allowed) else {
            throw BulkRunnerError(code: .invalidOption, field: "run identity",
                                  reason: "run identity \"\(value)\" has characters a ChangeSetName cannot hold",
                                  hint: "use only letters, digits and _.:@+=- (no spaces)")
        }
        self.value = value
    }

    /// A deterministic identity derived from `seed` (for example the input's absolute path
    /// and the template's name): `r` followed by 16 hex digits of its SHA-256.
    public static func derived(from seed: String) -> RunIdentity {
        let digest = SHA256.hash(Array(seed.utf8))
        let hex = digest.prefix(8).map { byte -> String in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
        // Always valid: 17 ASCII letters and digits.
        return try! RunIdentity("r" + hex)
    }

    /// The identity text.
    public var description: String { value }
}
