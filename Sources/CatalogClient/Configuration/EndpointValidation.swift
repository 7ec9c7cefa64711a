import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks endpoint URLs before any signed request goes to them.
///
/// An endpoint must be `http` or `https` with a host, and no user name, password,
/// query or fragment. Plain `http` is allowed only to this machine (`localhost`,
/// 127.0.0.0/8, `::1`): a signed request carries the session token in a header, and
/// its signature can be replayed for minutes, so it never travels unencrypted.
/// On Linux an IPv6 address in brackets (`http://[::1]:4566`) is refused as well, with
/// the address to use instead: URLSession there cannot send to one (``ipv6LiteralReason(host:port:)``).
public enum EndpointValidation {
    /// Validates `string` (from `setting`, named in errors) and returns it without a trailing `/`.
    public static func validate(_ string: String, setting: String) throws -> URL {
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed) else {
            throw CatalogClientError.invalidEndpoint(redacted(trimmed), setting: setting, "it is not a URL")
        }
        if components.user != nil || components.password != nil {
            throw CatalogClientError.invalidEndpoint(
                redacted(trimmed), setting: setting, "it must not contain a user name or password")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            throw CatalogClientError.invalidEndpoint(trimmed, setting: setting, "the scheme must be https (or http for this machine)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw CatalogClientError.invalidEndpoint(trimmed, setting: setting, "it has no host name")
        }
        if components.query != nil || components.fragment != nil {
            throw CatalogClientError.invalidEndpoint(trimmed, setting: setting, "it must not contain a query (?) or fragment (#)")
        }
        if scheme == "http", !isLoopback(host: host) {
            throw CatalogClientError.insecureEndpoint(trimmed, setting: setting)
        }
        #if canImport(FoundationNetworking)
        if host.contains(":") {
            throw CatalogClientError.unreachableEndpoint(trimmed, setting: setting, ipv6LiteralReason(host: host, port: components.port))
        }
        #endif
        var normalized = components
        normalized.scheme = scheme
        while normalized.path.hasSuffix("/") { normalized.path.removeLast() }
        guard let url = normalized.url else {
            throw CatalogClientError.invalidEndpoint(trimmed, setting: setting, "it is not a URL")
        }
        return url
    }

    /// Why an IPv6 address in brackets cannot be the endpoint on Linux, with what to use instead.
    ///
    /// URLSession on Linux (FoundationNetworking over libcurl) refuses every such URL before
    /// sending anything ("bad URL", -1000): it compares its own idea of the host (`::1`) with
    /// libcurl's (`[::1]`), they differ, and the request fails — retries included, whatever
    /// listens there. So the address is refused here, once, with the way out.
    static func ipv6LiteralReason(host: String, port: Int?) -> String {
        let portSuffix = port.map { ":\($0)" } ?? ""
        let instead = isLoopback(host: host)
            ? "use http://127.0.0.1\(portSuffix) (or http://localhost\(portSuffix)) for this machine"
            : "use a host name"
        return "an IPv6 address in brackets cannot be reached by URLSession on Linux (it refuses the URL); \(instead)"
    }

    /// Whether `host` names this machine: `localhost`, an IPv4 address in 127.0.0.0/8, or `::1`.
    ///
    /// Only literal addresses and the name `localhost` count; a name that merely
    /// resolves to a loopback address does not. Neither does the fully qualified
    /// `localhost.`: it bypasses `/etc/hosts` on common resolvers and is asked of DNS,
    /// whose answer nothing guarantees. Abbreviated IPv4 forms (`127.1`), `0.0.0.0`
    /// and `::` are refused too.
    public static func isLoopback(host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.contains("\0") { return false }
        if host == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }  // ::1
            // ::ffff:127.x.y.z, an IPv4 loopback address written as IPv6.
            return bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127
        }
        return false
    }

    /// `string` with any user name and password replaced by `***`, for messages.
    static func redacted(_ string: String) -> String {
        guard let schemeEnd = string.range(of: "://") else { return string }
        let afterScheme = string[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        guard let at = afterScheme[..<authorityEnd].lastIndex(of: "@") else { return string }
        return String(string[..<schemeEnd.upperBound]) + "***" + String(string[at...])
    }
}
