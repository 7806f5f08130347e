import Foundation

/// Writes output files so that a reader never sees a half-written file: the content goes to a
/// temporary file in the same folder, which is then renamed over the destination.
public enum AtomicFile {
    /// Writes `data` to `path` atomically, creating missing parent folders.
    ///
    /// - Throws: ``LawfitError`` (input) naming the path when the folder cannot be created or written.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw LawfitError.input("cannot create the folder \(folder.path): \(error.localizedDescription)")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
            // rename(2) replaces the destination atomically within one file system.
            guard rename(temporary.path, url.path) == 0 else {
                throw LawfitError.input("cannot write \(path): \(String(cString: strerror(errno)))")
            }
        } catch let error as LawfitError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw LawfitError.input("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Writes UTF-8 text to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}

/// JSON as Lawfit writes it: pretty-printed with sorted keys, so the same result gives the same bytes.
public enum StableJSON {
    /// Encodes `value` with sorted keys and a trailing newline.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
