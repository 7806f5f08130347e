import Foundation

/// The mechanics behind ``ReportWriter/write(_:to:formats:lock:)``: check the destination folder,
/// stage the files in a fresh temporary folder beside it, move the set into place.
enum ReportSet {
    /// Every report file name a folder of reports may hold.
    static let reportNames = Set(ReportFormat.allCases.map(\.fileName))

    /// The entries of `target`, or nil when it does not exist.
    /// - Throws: ``LawfitError`` (input) when `target` is not a folder or one of `names` in it is
    ///   anything but a regular file (a folder called report.html, a FIFO).
    static func check(_ target: String, names: [String], shown: String) throws -> [String]? {
        let kind = FileKind(path: target)
        if kind == .missing { return nil }
        guard kind == .folder else {
            throw LawfitError.input("cannot write the report into \(shown): it is \(kind), not a folder; --report takes a folder")
        }
        for name in names {
            let entry = FileKind(path: target + "/" + name, followingLinks: false)
            guard entry == .missing || entry == .regular else {
                throw LawfitError.input("cannot write \(URL(fileURLWithPath: shown).appendingPathComponent(name).path): it is \(entry); remove it or choose another folder")
            }
        }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: target)
        } catch {
            throw LawfitError.input("cannot read the folder \(shown): \(error.localizedDescription)")
        }
    }

    /// A temporary folder holding a complete report set, removed (with its files) on failure and on
    /// SIGINT or SIGTERM.
    final class Staging {
        let path: String
        private(set) var files: [String] = []
        private var registrations: [TemporaryCleanup.Registration]

        /// Creates `.NAME.RANDOM` beside `target`, registered for cleanup before it exists.
        init(beside target: String) throws {
            let url = URL(fileURLWithPath: target)
            let parent = url.deletingLastPathComponent().path
            for _ in 0..<100 {
                let path = parent + "/" + AtomicFile.temporaryName(for: url.lastPathComponent)
                let registration = TemporaryCleanup.register(path, folder: true)
                // mkdir makes the mode mkdir(2) gives a folder (0777 without the umask).
                if mkdir(path, 0o777) == 0 {
                    self.path = path
                    registrations = [registration]
                    return
                }
                let error = errno
                TemporaryCleanup.unregister(registration)
                guard error == EEXIST else {
                    throw LawfitError.input("cannot create a temporary folder beside \(target): \(String(cString: strerror(error)))")
                }
            }
            throw LawfitError.input("cannot create a temporary folder beside \(target): every name tried is taken")
        }

        /// Writes one file into the folder (created exclusively, synced).
        func add(_ name: String, _ data: Data) throws {
            let file = path + "/" + name
            registrations.append(TemporaryCleanup.register(file))
            files.append(name)
            try AtomicFile.writeNew(data, to: file)
        }

        /// Removes what is left of the folder (nothing once it was moved into place).
        func remove() {
            for name in files { unlink(path + "/" + name) }
            rmdir(path)
            registrations.forEach(TemporaryCleanup.unregister)
            registrations = []
        }
    }

    /// Stages `files` in a new temporary folder beside `target`.
    static func stage(_ files: [(name: String, data: Data)], beside target: String) throws -> Staging {
        let staging = try Staging(beside: target)
        do {
            for file in files { try staging.add(file.name, file.data) }
        } catch {
            staging.remove()
            throw error
        }
        return staging
    }

    /// Moves a staged set to `target` (see ``ReportWriter/write(_:to:formats:lock:)``).
    static func move(_ staging: Staging, to target: String, existing: [String]?) throws {
        guard let existing else {
            guard rename(staging.path, target) == 0 else { throw failure("cannot move the report into", target) }
            return
        }
        let onlyReports = existing.allSatisfy { reportNames.contains($0) && FileKind(path: target + "/" + $0, followingLinks: false) == .regular }
        guard onlyReports else {
            // The folder holds other files: each report file is renamed in (each rename is atomic).
            for name in staging.files where rename(staging.path + "/" + name, target + "/" + name) != 0 {
                throw failure("cannot move the report into", target + "/" + name)
            }
            return
        }
        // An old report set: move it aside, move the new one in, remove the old one.
        let old = try Staging(beside: target)
        defer { old.remove() }
        guard rename(target, old.path) == 0 else { throw failure("cannot replace the report folder", target) }
        for name in existing { old.track(name) }
        guard rename(staging.path, target) == 0 else {
            let error = failure("cannot move the report into", target)
            if rename(old.path, target) == 0 { old.forget() }
            throw error
        }
    }

    private static func failure(_ what: String, _ path: String) -> LawfitError {
        LawfitError.input("\(what) \(path): \(String(cString: strerror(errno)))")
    }
}

extension ReportSet.Staging {
    /// Counts `name` as a file of the folder, for ``remove()``.
    func track(_ name: String) { files.append(name) }
    /// Forgets the folder's files: they were moved back where they came from.
    func forget() { files = [] }
}
