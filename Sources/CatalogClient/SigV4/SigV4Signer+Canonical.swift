import Foundation

/// Stage 1 of the SigV4 signing process: the canonical request (AWS General
/// Reference, "Create a canonical request for Signature Version 4").
extension SigV4Signer {
    /// The canonical request of `request`, signing every header it has except
    /// `unsignedHeaders`:
    ///
    /// ```
    /// METHOD\nCanonicalURI\nCanonicalQuery\nCanonicalHeaders\n\nSignedHeaders\nPayloadHash
    /// ```
    ///
    /// The request is taken as it will be sent: for header signing `X-Amz-Date` (and
    /// the token) must already be in it — `headerSignature(for:date:)` does that.
    public func canonicalRequest(_ request: SignableRequest) -> String {
        canonicalRequest(request, signedHeaders: headersToSign(request))
    }

    /// The canonical request of `request` signing exactly `signedHeaders` (lower-case
    /// names, sorted): what a verifier rebuilds from an `Authorization` header's
    /// `SignedHeaders`. A listed header the request lacks contributes an empty value.
    public func canonicalRequest(_ request: SignableRequest, signedHeaders: [String]) -> String {
        [
            request.method.uppercased(),
            Self.canonicalURI(request.path, normalize: options.normalizePath),
            Self.canonicalQuery(request.query),
            Self.canonicalHeaders(request.headers, signing: signedHeaders),
            signedHeaders.joined(separator: ";"),
            request.payloadHash,
        ].joined(separator: "\n")
    }

    /// The lower-case names of the headers of `request` that get signed, sorted and
    /// without duplicates: all but `unsignedHeaders`.
    public func headersToSign(_ request: SignableRequest) -> [String] {
        let names = Set(request.headers.map { $0.name.lowercased() }).subtracting(Self.unsignedHeaders)
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The canonical URI: `path` (as sent, percent-encoded once) with dot segments and
    /// empty segments removed when `normalize`, then URI-encoded again keeping `/`.
    /// An empty path is `/`.
    ///
    /// Normalization is botocore's `remove_dot_segments`: `..` drops the previous
    /// segment, `.` and empty segments vanish, and a trailing slash is kept only when
    /// the path ended in one and something is left (`/a/b/..` → `/a`, `//x//` → `/x/`).
    public static func canonicalURI(_ path: String, normalize: Bool) -> String {
        var path = path
        if normalize { path = removingDotSegments(path) }
        if path.isEmpty { path = "/" }
        return URIEncoding.encode(path, keepingSlash: true)
    }

    /// The canonical query string: parameters split on `&` and the first `=`, each name
    /// and value percent-decoded and re-encoded with the unreserved set, sorted by
    /// encoded name then value (byte order), written `name=value` joined with `&`.
    /// A parameter without `=` gets an empty value.
    public static func canonicalQuery(_ query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter -> (String, String) in
            if let equals = parameter.firstIndex(of: "=") {
                return (URIEncoding.canonicalize(parameter[..<equals]),
                        URIEncoding.canonicalize(parameter[parameter.index(after: equals)...]))
            }
            return (URIEncoding.canonicalize(parameter), "")
        }
        return pairs.sorted { lhs, rhs in
            lhs.0 == rhs.0 ? lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
                : lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8)
        }
        .map { "\($0.0)=\($0.1)" }
        .joined(separator: "&")
    }

    /// The canonical headers block: for each name of `signedHeaders`, in that order,
    /// `name:value\n`, where value is every value of that header in request order,
    /// each trimmed with inner whitespace runs collapsed (`trimmingAll`), joined with `,`.
    public static func canonicalHeaders(_ headers: [(name: String, value: String)], signing signedHeaders: [String]) -> String {
        var values: [String: [String]] = [:]
        for header in headers {
            values[header.name.lowercased(), default: []].append(trimmingAll(header.value))
        }
        var block = ""
        for name in signedHeaders {
            block += name + ":" + (values[name] ?? []).joined(separator: ",") + "\n"
        }
        return block
    }

    /// SigV4's `Trimall`: leading and trailing whitespace removed and every inner run of
    /// whitespace (space, tab, CR, LF, VT, FF — so folded multi-line values too) replaced
    /// by one space. Quotes get no special treatment (`"a   b"` → `"a b"`).
    public static func trimmingAll(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                pendingSpace = !out.isEmpty
            default:
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// botocore's `remove_dot_segments` (RFC 3986 §5.2.4 plus the removal of empty
    /// segments AWS services require).
    static func removingDotSegments(_ path: String) -> String {
        guard !path.isEmpty else { return "" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !output.isEmpty { output.removeLast() }
            default: output.append(segment)
            }
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }
}
