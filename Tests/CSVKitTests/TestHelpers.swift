import CSVKit
import Foundation

/// SplitMix64: a small seeded generator, so that "random" tests are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Reads every record of `bytes`.
func records(_ bytes: [UInt8], _ options: CSVReader.Options = .init()) throws -> [CSVRecord] {
    try CSVReader(bytes: bytes, options: options).readAll()
}

/// Reads every record of `text`'s UTF-8.
func records(_ text: String, _ options: CSVReader.Options = .init()) throws -> [CSVRecord] {
    try records(Array(text.utf8), options)
}

/// The fields of every record of `text`, read without a header.
func rows(_ text: String, _ options: CSVReader.Options = .init(hasHeader: false)) throws -> [[String]] {
    try records(text, options).map(\.fields)
}

/// The error reading `bytes` throws, or nil.
func readError(_ bytes: [UInt8], _ options: CSVReader.Options = .init()) -> CSVError? {
    do {
        _ = try records(bytes, options)
        return nil
    } catch {
        return error as? CSVError
    }
}

/// The error reading `text` throws, or nil.
func readError(_ text: String, _ options: CSVReader.Options = .init()) -> CSVError? {
    readError(Array(text.utf8), options)
}

/// `text` in UTF-16 with a byte order mark.
func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
    var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
    for unit in text.utf16 {
        let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
        bytes += bigEndian ? [high, low] : [low, high]
    }
    return bytes
}

/// The UTF-8 byte order mark.
let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
