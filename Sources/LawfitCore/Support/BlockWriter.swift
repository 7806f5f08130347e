import Foundation

/// Text written to a file descriptor in blocks of ``blockBytes``, so an output of any length takes
/// bounded memory: `lawfit simulate` streams a 10^8-row curve through one into ``AtomicFile``'s
/// temporary file (or standard output).
///
/// Appended bytes collect in a buffer that is written out whenever it reaches ``blockBytes`` and by
/// ``flush()``. A writer that is dropped without ``flush()`` (its producer failed) never writes its
/// last, partial block.
public final class BlockWriter {
    /// The size of one block (1 MiB): large enough that write(2) calls cost nothing next to formatting.
    public static let blockBytes = 1 << 20

    private let descriptor: Int32
    private let path: String
    private var buffer: [UInt8] = []

    /// A writer to the open `descriptor`, named `path` in messages (`standard output` for 1).
    public init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
        buffer.reserveCapacity(Self.blockBytes)
    }

    /// Appends `text` as UTF-8, writing the buffer out once it holds a block.
    /// - Throws: ``LawfitError`` (input) naming the path when write(2) fails.
    public func append(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.blockBytes { try flush() }
    }

    /// Writes out the buffer, then `data` directly (without copying it into the buffer).
    public func append(_ data: Data) throws {
        try flush()
        try data.withUnsafeBytes { try write($0) }
    }

    /// Writes out what the buffer holds.
    public func flush() throws {
        try buffer.withUnsafeBytes { try write($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw LawfitError.input("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}
