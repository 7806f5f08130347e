import Foundation

/// Reads input files (training logs, tables) and says what a path is when it is not a file.
///
/// A regular file or a pipe (a FIFO, `<(zcat log.csv.gz)`, standard input) is read, up to
/// ``maximumBytes``; a folder, a device (`/dev/zero`, `/dev/null`) or a socket is refused with a
/// message naming what it is. A FIFO is opened without blocking, so one that nobody writes to reads
/// as empty instead of hanging.
public enum InputFile {
    /// The largest input Lawfit reads: 1 GiB (about 20 million rows of a typical log), checked before
    /// reading a regular file and while reading a pipe.
    public static let maximumBytes = 1 << 30

    /// The contents of the file at `url`.
    /// - Throws: ``LawfitError`` (input) located at the path, saying what it is when it cannot be read.
    public static func read(_ url: URL) throws -> Data {
        let path = url.path
        let location = SourceLocation(file: url.relativePath)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw LawfitError.input("cannot read file: \(reason)", at: location)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw LawfitError.input("cannot read file: \(String(cString: strerror(errno)))", at: location)
        }
        let kind = FileKind(mode: info.st_mode)
        try require(kind, at: location)
        if kind == .regular, Int(info.st_size) > maximumBytes {
            throw LawfitError.input("the file is \(info.st_size) bytes, more than the \(maximumBytes) Lawfit reads", at: location)
        }
        // Reads block from here on (a pipe waits for its writer's data).
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return try readAll(descriptor, location: location)
    }

    /// All of standard input (`--data -`), up to ``maximumBytes``.
    public static func readStandardInput() throws -> Data {
        let location = SourceLocation(file: "-")
        var info = stat()
        if fstat(STDIN_FILENO, &info) == 0 { try require(FileKind(mode: info.st_mode), at: location, standardInput: true) }
        return try readAll(STDIN_FILENO, location: location)
    }

    /// Refuses a path kind that holds no log; `kind` comes from `fstat` of the opened path.
    static func require(_ kind: FileKind, at location: SourceLocation, standardInput: Bool = false) throws {
        switch kind {
        case .regular, .fifo: return
        case .characterDevice where standardInput: return  // a terminal: the user types or pastes rows
        case .folder:
            throw LawfitError.input("this is a folder, not a file; give a CSV or JSON Lines file (such as one inside it)", at: location)
        default:
            throw LawfitError.input(
                "this is \(kind), not a file; give a CSV or JSON Lines file (or - to read standard input)", at: location)
        }
    }

    private static func readAll(_ descriptor: Int32, location: SourceLocation) throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LawfitError.input("cannot read file: \(String(cString: strerror(errno)))", at: location)
            }
            if count == 0 { return data }
            guard data.count + count <= maximumBytes else {
                throw LawfitError.input("the input is more than the \(maximumBytes) bytes Lawfit reads", at: location)
            }
            data.append(contentsOf: buffer[0..<count])
        }
    }
}
