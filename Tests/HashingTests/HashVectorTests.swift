import Hashing
import Foundation
import TestSupport
import Testing

/// One vector of `hash-vectors.json`: SHA-256 (`message_hex` × `repeat` → `digest_hex`)
/// or HMAC-SHA256 (`key_hex`, `data_hex` → `mac_hex`, maybe truncated).
struct HashVector: Sendable, CustomTestStringConvertible {
    var group: String
    var source: String
    var messageHex: String
    var repeatCount: Int
    var expectedHex: String
    var keyHex: String?
    var truncateToBytes: Int?

    var testDescription: String { "\(group): \(source)" }

    /// Every vector of one group of the shared file (`sha256`, `sha256_boundary`, `hmac_sha256`).
    static func load(_ group: String) -> [HashVector] {
        guard let data = try? Data(contentsOf: TestData.url("hash-vectors.json")),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = root[group] as? [[String: Any]]
        else { return [] }
        return entries.map { entry in
            HashVector(
                group: group, source: entry["source"] as? String ?? "?",
                messageHex: (entry["message_hex"] ?? entry["data_hex"]) as? String ?? "",
                repeatCount: entry["repeat"] as? Int ?? 1,
                expectedHex: (entry["digest_hex"] ?? entry["mac_hex"]) as? String ?? "",
                keyHex: entry["key_hex"] as? String, truncateToBytes: entry["truncate_to_bytes"] as? Int)
        }
    }

    var message: [UInt8] {
        let unit = Hex.decode(messageHex) ?? []
        var bytes: [UInt8] = []
        bytes.reserveCapacity(unit.count * repeatCount)
        for _ in 0..<repeatCount { bytes.append(contentsOf: unit) }
        return bytes
    }
}

@Suite("SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 4231) vectors")
struct HashVectorTests {
    @Test("the vector file has every group")
    func vectorFileIsComplete() {
        #expect(HashVector.load("sha256").count == 5)
        #expect(HashVector.load("sha256_boundary").count == 15)
        #expect(HashVector.load("hmac_sha256").count == 7)
    }

    @Test("SHA-256 one-shot", arguments: HashVector.load("sha256") + HashVector.load("sha256_boundary"))
    func sha256(_ vector: HashVector) {
        #expect(Hex.encode(SHA256.hash(vector.message)) == vector.expectedHex)
        #expect(SHA256.hexHash(Data(vector.message)) == vector.expectedHex)
    }

    @Test("SHA-256 streamed in uneven pieces", arguments: HashVector.load("sha256") + HashVector.load("sha256_boundary"))
    func sha256Streamed(_ vector: HashVector) {
        let message = vector.message
        for pieceSize in [1, 3, 63, 64, 65, 1000] where pieceSize <= max(message.count, 1) {
            var hasher = SHA256()
            var index = 0
            while index < message.count {
                let end = min(index + pieceSize, message.count)
                hasher.update(message[index..<end].withUnsafeBytes { Data($0) })
                index = end
            }
            #expect(Hex.encode(hasher.finalize()) == vector.expectedHex, "pieces of \(pieceSize)")
        }
    }

    @Test("HMAC-SHA256", arguments: HashVector.load("hmac_sha256"))
    func hmac(_ vector: HashVector) throws {
        let key = try #require(Hex.decode(vector.keyHex ?? ""))
        let mac = HMAC.authenticationCode(for: vector.message, key: key)
        #expect(mac.count == 32)
        let compared = vector.truncateToBytes.map { Array(mac.prefix($0)) } ?? mac
        #expect(Hex.encode(compared) == vector.expectedHex)
    }

    @Test("HMAC-SHA256 streamed equals one-shot", arguments: HashVector.load("hmac_sha256"))
    func hmacStreamed(_ vector: HashVector) throws {
        let key = try #require(Hex.decode(vector.keyHex ?? ""))
        var hmac = HMAC(key: key)
        for byte in vector.message { hmac.update([byte]) }
        #expect(hmac.finalize() == HMAC.authenticationCode(for: vector.message, key: key))
    }

    @Test("finalize does not consume: more bytes can follow")
    func finalizeIsRepeatable() {
        var hasher = SHA256()
        hasher.update("ab")
        _ = hasher.finalize()
        hasher.update("c")
        #expect(SHA256.hexHash("abc") == Hex.encode(hasher.finalize()))
        #expect(hasher.finalize() == hasher.finalize())
    }

    @Test("hex round trip and rejection of bad text")
    func hex() {
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.decode("000FA0ff") == [0x00, 0x0f, 0xa0, 0xff])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("") == [])
    }

    @Test("hashing 8 MiB takes well under a few seconds, even in a debug build")
    func throughput() {
        let body = Data(repeating: 0x61, count: 8 << 20)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = SHA256.hash(body) }
        #expect(elapsed < .seconds(5))
    }
}
