import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the XML answers of the STS Query API.
///
/// Collects the text of every leaf element under its path of local names
/// (`AssumeRoleResponse/AssumeRoleResult/Credentials/AccessKeyId`); namespaces are
/// ignored. Answers are small, so the whole tree is kept as a flat dictionary.
enum STSResponseParser {
    /// Leaf text by slash-separated path, or `nil` when the bytes are not XML.
    static func leaves(_ data: Data) -> [String: String]? {
        let parser = XMLParser(data: data)
        let collector = LeafCollector()
        parser.delegate = collector
        parser.shouldProcessNamespaces = true
        guard parser.parse() else { return nil }
        return collector.leaves
    }

    /// The credentials of an `AssumeRoleResponse` (or any `…Result/Credentials`).
    static func credentials(_ leaves: [String: String]) -> AWSCredentials? {
        guard let prefix = leaves.keys.first(where: { $0.hasSuffix("Result/Credentials/AccessKeyId") })?
            .dropLast("AccessKeyId".count) else { return nil }
        guard let accessKeyId = leaves[prefix + "AccessKeyId"], !accessKeyId.isEmpty,
              let secret = leaves[prefix + "SecretAccessKey"], !secret.isEmpty,
              let token = leaves[prefix + "SessionToken"], !token.isEmpty else { return nil }
        let expiration = leaves[prefix + "Expiration"].flatMap(CredentialsDocument.parseTimestamp)
        return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }

    /// The `Code`, `Message` and request id of an `ErrorResponse`.
    static func error(_ leaves: [String: String]) -> (code: String?, message: String?, requestId: String?) {
        func find(_ suffix: String) -> String? {
            leaves.first { $0.key == suffix || $0.key.hasSuffix("/" + suffix) }?.value
        }
        return (find("Error/Code"), find("Error/Message"), find("RequestId"))
    }

    private final class LeafCollector: NSObject, XMLParserDelegate {
        var leaves: [String: String] = [:]
        private var path: [String] = []
        private var text = ""

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            path.append(elementName)
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !value.isEmpty { leaves[path.joined(separator: "/")] = value }
            text = ""
            path.removeLast()
        }
    }
}
