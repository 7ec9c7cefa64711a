import CatalogModels
import Foundation

/// NextToken pagination that is stable while the data changes: a token names the last item
/// returned (its sort key and id) and the request it belongs to, and the next page starts
/// strictly after that item in the sort order. Items added or removed between calls never
/// shift a page, so nothing is skipped or repeated unless an item's own sort key changes
/// (e.g. an entity modified between pages moves when sorting by LastModifiedDate).
///
/// Tokens are opaque base64 text within the model's NextToken limits (≤ 2048 characters).
struct PageCursor: Sendable, Hashable {
    /// Sort key of the last item returned.
    var key: SortKey
    /// Id of the last item returned.
    var id: String
    /// Fingerprint of the request (filters, sort, type): a token only continues its own listing.
    var fingerprint: String

    /// The token text.
    var token: String {
        let value: JSONValue = ["v": 1, "k": .string(key.encoded), "i": .string(id), "f": .string(fingerprint)]
        return Data(value.compactString.utf8).base64EncodedString()
    }

    /// Reads a token for the request `fingerprint`; throws a 422 when it is malformed or
    /// belongs to another request.
    init(token: String, fingerprint expected: String) throws(CatalogError) {
        guard let data = Data(base64Encoded: token), let value = try? JSONValue(parsing: data),
              let key = value["k"]?.stringValue.flatMap(SortKey.init(encoded:)), let id = value["i"]?.stringValue,
              let fingerprint = value["f"]?.stringValue else {
            throw invalid("1 validation error detected: Value at 'nextToken' is not a NextToken this service issued")
        }
        guard fingerprint == expected else {
            throw invalid("NextToken belongs to a listing with other filters or sort; repeat the request exactly, changing only NextToken and MaxResults")
        }
        self.init(key: key, id: id, fingerprint: fingerprint)
    }

    init(key: SortKey, id: String, fingerprint: String) {
        self.key = key
        self.id = id
        self.fingerprint = fingerprint
    }

    /// FNV-1a 64 of a request's canonical JSON, hex.
    static func fingerprint(_ value: JSONValue) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in value.canonicalString.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }
}

/// A page of items sorted by (key, id).
///
/// Cost: O(n log k) for a page of k out of n items — only the k + 1 smallest items after the
/// cursor are kept in order (a listing of thousands of entities is served 50 at a time), and
/// only indexes move, never the items.
struct Pager<Item> {
    /// Items with their sort key and id.
    var items: [(key: SortKey, id: String, item: Item)]
    var descending: Bool

    /// Skips past the cursor, keeps the first `size` in order, and gives the cursor of the next page.
    func page(after cursor: PageCursor?, size: Int, fingerprint: String) -> (items: [Item], next: PageCursor?) {
        func before(_ a: SortKey, _ aId: String, _ b: SortKey, _ bId: String) -> Bool {
            if a == b { return descending ? aId > bId : aId < bId }
            return descending ? b < a : a < b
        }
        // The size + 1 best indexes, in order (one more than a page tells whether another page follows).
        var best: [Int] = []
        best.reserveCapacity(size + 1)
        for index in items.indices {
            let (key, id, _) = items[index]
            if let cursor, !before(cursor.key, cursor.id, key, id) { continue }
            if best.count == size + 1 {
                let last = items[best[size]]
                guard before(key, id, last.key, last.id) else { continue }
                best.removeLast()
            }
            var low = 0
            var high = best.count
            while low < high {
                let middle = (low + high) / 2
                let probe = items[best[middle]]
                if before(probe.key, probe.id, key, id) { low = middle + 1 } else { high = middle }
            }
            best.insert(index, at: low)
        }
        let page = best.prefix(size).map { items[$0] }
        let next = best.count > size ? page.last.map { PageCursor(key: $0.key, id: $0.id, fingerprint: fingerprint) } : nil
        return (page.map(\.item), next)
    }
}
