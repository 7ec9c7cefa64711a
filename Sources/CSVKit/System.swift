#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Android)
import Android
#endif

/// The few libc calls CSVKit makes, in one place so that the rest of the module is portable.
enum System {
    /// `read(2)`, retried on EINTR; the byte count or `-errno`.
    static func read(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        while true {
            #if canImport(Darwin)
            let n = Darwin.read(fd, buffer, count)
            #elseif canImport(Glibc)
            let n = Glibc.read(fd, buffer, count)
            #else
            let n = Musl.read(fd, buffer, count)
            #endif
            if n >= 0 { return n }
            let code = errno
            if code != EINTR { return -Int(code) }
        }
    }

    /// Writes all of `count` bytes with `write(2)`; 0 or `-errno`.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        var done = 0
        while done < count {
            #if canImport(Darwin)
            let n = Darwin.write(fd, buffer + done, count - done)
            #elseif canImport(Glibc)
            let n = Glibc.write(fd, buffer + done, count - done)
            #else
            let n = Musl.write(fd, buffer + done, count - done)
            #endif
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                return -Int(code)
            }
            done += n
        }
        return 0
    }

    /// `open(2)` for reading; the descriptor or `-errno`.
    static func openForReading(_ path: String) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        return fd >= 0 ? fd : -errno
    }

    /// `open(2)` for writing, creating or truncating with mode 0644; the descriptor or `-errno`.
    static func openForWriting(_ path: String) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        return fd >= 0 ? fd : -errno
    }

    /// `close(2)`; 0 or `-errno`.
    @discardableResult
    static func close(_ fd: Int32) -> Int32 {
        #if canImport(Darwin)
        let r = Darwin.close(fd)
        #elseif canImport(Glibc)
        let r = Glibc.close(fd)
        #else
        let r = Musl.close(fd)
        #endif
        return r == 0 ? 0 : -errno
    }

    /// The first `byte` in `[start, start + count)`, or nil.
    @inline(__always)
    static func find(_ byte: UInt8, in start: UnsafeMutablePointer<UInt8>, count: Int) -> UnsafeMutablePointer<UInt8>? {
        guard let hit = memchr(start, Int32(byte), count) else { return nil }
        return hit.assumingMemoryBound(to: UInt8.self)
    }

    /// `strerror(3)` for an errno value.
    static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// The errno value of EISDIR, for a clearer message.
    static var isDirectoryCode: Int32 { EISDIR }
}
