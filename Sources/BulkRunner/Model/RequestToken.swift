import CatalogModels
import Hashing

/// How BulkRunner derives ClientRequestTokens: SHA-256 over everything that determines a
/// planned request — the run identity, the template's text, the set's number and, for each
/// row in it, its line, which of its columns are blank and every value rendered into it —
/// as the architecture's "derived from what it contains (template, rows, run identity)".
/// The request is a pure function of these, so the same input, template and identity give
/// the same token on every rerun, and any difference in a row's request gives another.
/// (Hashing these few hundred bytes per row instead of the rendered kilobytes keeps a
/// million-row plan fast; ``derivationVersion`` ties tokens to the renderer.)
///
/// A token is 36 characters of `[A-Za-z0-9_-]` (the shape the older API reference allowed
/// and ``CatalogModels/ValueChecks/clientRequestToken(_:strict:)`` checks): the first 27
/// bytes (216 bits) of the digest in base64url without padding.
enum RequestToken {
    /// The token length.
    static let length = 36

    /// The version of the token derivation. Tokens are derived from what determines the
    /// request (template, rows, run identity — see `SetBuilder.token`), so **any change to how
    /// BulkRunner renders a request must bump this**, or a rerun could send an old token with a
    /// different body. The golden test `tokenDerivationIsPinned` fails when rendering changes.
    static let derivationVersion = "bulkrunner-changeset-token-v1"

    /// The canonical JSON (UTF-8) of the request's body without its token.
    static func canonicalBytes(of request: StartChangeSetRequest) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4096)
        JSONBytes.write(request: request, includeToken: false, style: .canonical, into: &bytes)
        return bytes
    }

    /// The token of a subset of a planned change set: SHA-256 of a version tag, the parent's
    /// token and the subset's row indices in ascending order.
    static func forSubset(parentToken: String, rowIndices: [Int]) -> String {
        var hasher = SHA256()
        hasher.update("bulkrunner-subset-token-v1\n")
        hasher.update(parentToken)
        hasher.update("\n")
        hasher.update(rowIndices.map(String.init).joined(separator: ","))
        return encode(hasher.finalize())
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Base64url (RFC 4648 §5) of the first 27 bytes: exactly 36 characters.
    static func encode(_ digest: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(length)
        var i = 0
        while i + 2 < 27 {
            let n = UInt32(digest[i]) << 16 | UInt32(digest[i + 1]) << 8 | UInt32(digest[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
