import Foundation
/// "Did you mean …?" for names: the closest candidate by edit distance, compared the way
/// columns are (ignoring case, spaces, `_` and `-`). The command line's suggestions for
/// commands and options use the same distance.
public enum Suggest {
    /// The candidate closest to `name`, when it is close enough to be a likely typo.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let target = Array(ColumnName.normalize(name))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = Array(ColumnName.normalize(candidate))
            let distance = editDistance(target, other)
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best else { return nil }
        if best.distance <= max(2, target.count / 3) { return best.candidate }
        // Otherwise a candidate holding every word of the name (RESELLER_ID → "Reseller
        // Account Id"), or whose words the name holds, the one with fewest extra words.
        let wanted = words(name)
        guard !wanted.isEmpty else { return nil }
        return candidates
            .map { (candidate: $0, words: words($0)) }
            .filter { !$0.words.isEmpty && (wanted.isSubset(of: $0.words) || $0.words.isSubset(of: wanted)) }
            .min { abs($0.words.count - wanted.count) < abs($1.words.count - wanted.count) }?.candidate
    }

    /// The lower-cased words of a name: split at spaces, `_`, `-` and lower-to-upper case changes.
    static func words(_ name: String) -> Set<String> { Set(orderedWords(name)) }

    /// Whether two names look like one misspelled as the other: close by edit distance (compared
    /// as columns are), or word by word (`EXPIRATION_DATE` ~ `EXPIRY_DATE`: as many words, each
    /// pair equal or sharing its first four letters). Equal names do not count.
    static func resembles(_ a: String, _ b: String) -> Bool {
        let x = Array(ColumnName.normalize(a)), y = Array(ColumnName.normalize(b))
        guard x != y, !x.isEmpty, !y.isEmpty else { return false }
        if editDistance(x, y) <= max(1, min(x.count, y.count) / 4) { return true }
        let left = orderedWords(a), right = orderedWords(b)
        guard left.count == right.count, left.count > 1 else { return false }
        return zip(left, right).allSatisfy { p, q in p == q || (p.count >= 4 && q.count >= 4 && p.prefix(4) == q.prefix(4)) }
    }

    /// The lower-cased words of a name in order (see ``words(_:)``).
    static func orderedWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for character in name {
            if !(character.isLetter || character.isNumber) {
                if !current.isEmpty { words.append(current.lowercased()) }
                current = ""
                previousLower = false
                continue
            }
            if character.isUppercase && previousLower {
                words.append(current.lowercased())
                current = ""
            }
            current.append(character)
            previousLower = character.isLowercase || character.isNumber
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }

    /// `; did you mean "X"?` or the empty string.
    static func didYouMean(_ name: String, among candidates: [String]) -> String {
        closest(to: name, among: candidates).map { "; did you mean \"\($0)\"?" } ?? ""
    }

    /// Optimal-string-alignment (restricted Damerau–Levenshtein) distance: insertions,
    /// deletions, substitutions and transpositions of two adjacent characters each cost 1, so
    /// the commonest typo, two letters swapped (`grnat`), is as near as one wrong letter.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        editDistance(Array(a), Array(b))
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rows: the one before the previous is what a transposition steps back to.
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, beforePrevious[j - 2] + 1)
                }
                current[j] = best
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
