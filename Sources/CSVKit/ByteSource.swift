/// Where a reader's bytes come from: a file descriptor read with `read(2)`, or bytes in memory.
///
/// Memory input is handed out in the same fixed-size chunks as a file, so that
/// tests with tiny chunk sizes exercise every chunk boundary without files.
struct ByteSource {
    enum Kind {
        case descriptor(Int32, closes: Bool)
        case memory([UInt8])
    }

    private(set) var kind: Kind
    private var position = 0
    /// An object whose lifetime must cover the descriptor's (a `FileHandle`).
    private let owner: AnyObject?

    init(_ kind: Kind, owner: AnyObject? = nil) {
        self.kind = kind
        self.owner = owner
    }

    /// Reads up to `count` bytes; the number read (0 at the end) or `-errno`.
    mutating func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        switch kind {
        case .descriptor(let fd, _):
            return System.read(fd, buffer, count)
        case .memory(let bytes):
            let n = min(count, bytes.count - position)
            if n > 0 {
                bytes.withUnsafeBufferPointer { source in
                    buffer.update(from: source.baseAddress! + position, count: n)
                }
                position += n
            }
            return n
        }
    }

    /// Closes the descriptor if this source opened it.
    mutating func close() {
        if case .descriptor(let fd, closes: true) = kind {
            System.close(fd)
            kind = .memory([])
        }
    }
}
