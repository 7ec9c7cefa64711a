import CatalogModels
import Foundation
import Hashing
import Testing

@testable import BulkRunner

/// ClientRequestTokens and ChangeSetNames: stable across reruns, different for a different
/// request or run identity, in the shapes the API takes.
@Suite struct TokenTests {
    static let header = ["RESELLER_ACCOUNT_ID", "PRODUCT_ID", "NAME", "DIMENSION_KEY", "PRICE", "EXPIRY_DATE"]

    static func rows() -> [[String]] {
        (0..<10).map { ["01234567890\($0)", "prod-abc123", "Partner \($0)", "Users", "1\($0)", $0 % 2 == 0 ? "2026-12-31" : ""] }
    }

    func tokens(_ rows: [[String]], identity: String = "run1", template: Template? = nil) throws -> [PlannedChangeSet] {
        let workspace = try Workspace()
        return try plan(template ?? Template.load("grant"), header: Self.header, rows: rows, identity: identity, in: workspace).sets
    }

    @Test func theSameInputGivesTheSameTokensAndNames() throws {
        let first = try tokens(Self.rows()), second = try tokens(Self.rows())
        #expect(first.count == 3)
        #expect(first.map(\.clientRequestToken) == second.map(\.clientRequestToken))
        #expect(first.map(\.changeSetName) == ["bulkrunner run1 000001", "bulkrunner run1 000002", "bulkrunner run1 000003"])
        #expect(Set(first.map(\.clientRequestToken)).count == 3)
        for set in first {
            #expect(set.clientRequestToken.count == 36)
            #expect(ValueChecks.clientRequestToken(set.clientRequestToken, strict: true).isValid)
            #expect(ValueChecks.changeSetName(set.changeSetName).isValid)
        }
    }

    @Test func anyChangeInARowChangesOnlyItsSetsToken() throws {
        let base = try tokens(Self.rows())
        for (row, column, value) in [(5, 4, "15.0"), (5, 2, "Partner 5 "), (5, 5, "2026-12-30"), (4, 5, "")] {
            var rows = Self.rows()
            rows[row][column] = value
            let changed = try tokens(rows)
            let differing = zip(base, changed).enumerated().filter { $0.element.0.clientRequestToken != $0.element.1.clientRequestToken }.map(\.offset)
            if value == "Partner 5 " {
                #expect(differing.isEmpty, "trailing spaces are trimmed: the same request")
                #expect(zip(base, changed).allSatisfy { $0.request == $1.request })
            } else {
                #expect(differing == [1], "\(row),\(column)=\(value)")
                #expect(base[1].request != changed[1].request)
            }
        }
    }

    @Test func anotherRunIdentityOrTemplateGivesOtherTokens() throws {
        let run1 = try tokens(Self.rows()), run2 = try tokens(Self.rows(), identity: "run2")
        #expect(Set(run1.map(\.clientRequestToken)).isDisjoint(with: run2.map(\.clientRequestToken)))
        #expect(run2[0].changeSetName == "bulkrunner run2 000001")
        let draft = try tokens(Self.rows(), template: Template.load("grant-draft"))
        #expect(Set(run1.map(\.clientRequestToken)).isDisjoint(with: draft.map(\.clientRequestToken)))
    }

    @Test func runIdentitiesFitTheChangeSetNamePattern() throws {
        #expect(throws: BulkRunnerError.self) { try RunIdentity("has space") }
        #expect(throws: BulkRunnerError.self) { try RunIdentity("") }
        #expect(throws: BulkRunnerError.self) { try RunIdentity(String(repeating: "a", count: 41)) }
        #expect(throws: BulkRunnerError.self) { try RunIdentity("a/b") }
        #expect(try RunIdentity("2026-01-01T10:00:00Z@acct+1=x_y.z").value.count == 33)
        let derived = RunIdentity.derived(from: "/data/partners.csv grant")
        #expect(derived == RunIdentity.derived(from: "/data/partners.csv grant"))
        #expect(derived != RunIdentity.derived(from: "/data/partners.csv restrict"))
        #expect(derived.value.count == 17 && derived.value.hasPrefix("r"))
    }

    /// Tokens are derived from what determines the request (RequestToken), so a change to
    /// rendering must come with a new `RequestToken.derivationVersion`. This test pins one
    /// request and its token: when it fails because the body changed, bump the version and
    /// update both values.
    @Test func tokenDerivationIsPinned() throws {
        let sets = try tokens(Array(Self.rows().prefix(2)), identity: "golden")
        let body = sets[0].canonicalBodyWithoutToken
        let digest = SHA256.hash(Array(body.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(RequestToken.derivationVersion == "bulkrunner-changeset-token-v1")
        #expect(digest == "ec3c40c85bcdae859a217f1d2bd88624f61b015ab3c3cefac5a6d29c12173693", "the rendered body changed: bump RequestToken.derivationVersion")
        #expect(sets[0].clientRequestToken == "333vlB75lAkf_LSVCBega6Dtpr_aczKtw_Bq")
    }
}
