import Foundation

/// Writes output files so that a reader never sees a half-written file and nothing but the
/// destination is ever replaced.
///
/// The content goes to a fresh temporary file `.NAME.RANDOM` created next to the destination
/// mkstemp-style (O_CREAT|O_EXCL|O_NOFOLLOW: never an existing file, never through a symbolic link
/// planted there), which takes the old file's permission bits (or the umask's for a new file), is synced,
/// and is then renamed over the destination. The temporary is removed when anything fails and on
/// SIGINT, SIGTERM or SIGHUP (``TemporaryCleanup``). A destination that is a folder, a device, a
/// FIFO or a socket, or that ends in `/`, is refused before anything is written
/// (``checkDestination(_:inputs:option:)``).
public enum AtomicFile {
    /// The longest file name (one path component) in bytes, as on Linux file systems.
    public static let maximumNameBytes = 255

    /// Writes `data` to `path` atomically, creating missing parent folders.
    ///
    /// - Throws: ``LawfitError`` (input) naming the path when it cannot take a file (see
    ///   ``checkDestination(_:inputs:option:)``) or the folder cannot be created or written.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { try $0.append(data) }
    }

    /// Writes what `produce` appends to its ``BlockWriter`` to `path` atomically, in blocks: the
    /// output may be far larger than memory. The blocks go to the temporary file as they fill; only
    /// when `produce` returns is the file completed and renamed into place. When `produce` throws
    /// (a simulation that diverges after a million rows), the temporary is removed and the error
    /// rethrown: the destination is untouched, nothing is left beside it.
    ///
    /// - Throws: what `produce` throws, or ``LawfitError`` (input) as ``write(_:to:)``.
    public static func write(to path: String, _ produce: (BlockWriter) throws -> Void) throws {
        try checkDestination(path)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw LawfitError.input("cannot create the folder \(folder.path): \(error.localizedDescription)")
        }
        let mode = existingMode(path) ?? defaultMode
        let (descriptor, temporary, registration) = try makeTemporary(in: folder.path, for: url.lastPathComponent, destination: path)
        defer { TemporaryCleanup.unregister(registration) }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, mode) == 0 else { throw posixError("cannot set the permissions of", path) }
            let writer = BlockWriter(descriptor: descriptor, path: path)
            try produce(writer)
            try writer.flush()
            guard fsync(descriptor) == 0 else { throw posixError("cannot write", path) }
        } catch {
            unlink(temporary)
            throw error
        }
        // rename(2) replaces the destination atomically within one file system (a symbolic link at
        // the destination is replaced, not followed).
        guard rename(temporary, path) == 0 else {
            let error = posixError("cannot write", path)
            unlink(temporary)
            throw error
        }
    }

    /// Writes UTF-8 text to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Refuses an output path that cannot or must not take a file: empty, ending in `/`, an existing
    /// folder, device, FIFO or socket, a file name longer than ``maximumNameBytes``, or the same
    /// file (device and inode, whatever links lead there) as one of `inputs`. Call it before the
    /// work, so a bad path fails at once; ``write(_:to:)`` checks all but `inputs` again.
    ///
    /// - Parameter option: the option that gave the path, for messages (`--output`).
    /// - Throws: ``LawfitError`` (input) saying what the path is and what is expected.
    public static func checkDestination(_ path: String, inputs: [String] = [], option: String = "--output") throws {
        guard !path.isEmpty else { throw LawfitError.input("\(option) is empty; give a file path") }
        let shown = LawfitError.excerpt(path)
        if path.hasSuffix("/") {
            throw LawfitError.input("\(option) \(shown) ends with '/', so it names a folder; give a file path such as \(path)result")
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        if name.utf8.count > maximumNameBytes {
            throw LawfitError.input(
                "\(option): the file name is \(name.utf8.count) bytes, more than the \(maximumNameBytes) a file name may have (\(shown))")
        }
        let kind = FileKind(path: path)
        if kind == .folder {
            throw LawfitError.input("cannot write \(shown): it is a folder; \(option) takes a file path (such as \(path)/result)")
        }
        if kind.isSpecial {
            throw LawfitError.input(
                "cannot write \(shown): it is \(kind), not a regular file; \(option) never replaces a special file (leave \(option) out to print to standard output)")
        }
        if let identity = FileKind.identity(of: path), let input = inputs.first(where: { FileKind.identity(of: $0) == identity }) {
            throw LawfitError.input("\(option) \(shown) is the input file \(LawfitError.excerpt(input)); writing there would replace it, so choose another path")
        }
    }

    /// The permission bits of the regular file at `path` (following links), if there is one.
    static func existingMode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0, FileKind(mode: info.st_mode) == .regular else { return nil }
        return info.st_mode & 0o7777
    }

    /// 0666 without the process's umask: the mode `open(2)` would give a new file.
    static var defaultMode: mode_t { 0o666 & ~umaskBits }

    /// The process's umask, read once (umask(2) can only be read by setting it).
    static let umaskBits: mode_t = {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }()

    /// A new temporary file `.NAME.RANDOM` in `folder` (NAME cut to keep within
    /// ``maximumNameBytes``), created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW, as mkstemp does) with
    /// mode 0600 and open for writing. Its path is registered with ``TemporaryCleanup`` before the file
    /// is created, so a signal at any moment after creation finds it.
    static func makeTemporary(in folder: String, for name: String, destination: String) throws -> (Int32, String, TemporaryCleanup.Registration) {
        for _ in 0..<100 {
            let path = folder + "/" + temporaryName(for: name)
            let registration = TemporaryCleanup.register(path)
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return (descriptor, path, registration) }
            let error = errno
            TemporaryCleanup.unregister(registration)
            guard error == EEXIST else {
                errno = error
                throw posixError("cannot create a temporary file next to", destination)
            }
        }
        throw LawfitError.input("cannot create a temporary file next to \(destination): every name tried is taken")
    }

    /// `.NAME.RANDOM` with 12 random letters and digits, NAME cut so the whole fits a file name.
    static func temporaryName(for name: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let random = String((0..<12).map { _ in alphabet.randomElement()! })
        var stem = Substring(name)
        while 2 + stem.utf8.count + random.utf8.count > maximumNameBytes { stem = stem.dropLast() }
        return "." + stem + "." + random
    }

    /// Writes `data` to a new file at `path` (O_CREAT|O_EXCL|O_NOFOLLOW, the umask's mode), synced:
    /// for files inside a fresh temporary folder. - Throws: ``LawfitError`` (input).
    static func writeNew(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, defaultMode)
        guard descriptor >= 0 else { throw posixError("cannot write", path) }
        defer { close(descriptor) }
        try BlockWriter(descriptor: descriptor, path: path).append(data)
        guard fsync(descriptor) == 0 else { throw posixError("cannot write", path) }
    }

    private static func posixError(_ what: String, _ path: String) -> LawfitError {
        LawfitError.input("\(what) \(path): \(String(cString: strerror(errno)))")
    }
}

/// JSON as Lawfit writes it: pretty-printed with sorted keys, so the same result gives the same bytes.
/// JSON has no infinity or NaN: they are written as the strings "inf", "-inf" and "nan", and
/// ``decode(_:from:)`` reads them back as numbers.
public enum StableJSON {
    /// Encodes `value` with sorted keys and a trailing newline.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }

    /// Decodes what ``encode(_:)`` wrote (or any JSON), non-finite numbers from their strings.
    /// - Throws: `DecodingError`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
        return try decoder.decode(type, from: data)
    }

    /// The strings that stand for the non-finite numbers.
    private static let nonFinite = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
}
