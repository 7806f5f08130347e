import Foundation

/// An exclusive claim on a report folder, so two runs writing into the same folder cannot mix their
/// files: the second is refused at once (exit 2) instead of waiting or interleaving.
///
/// The lock is `flock(2)` on a file `.NAME.lock` beside the folder `NAME` (the folder itself may not
/// exist yet). It is released, and the file removed, by ``release()``, when the lock is
/// deinitialised, or by the kernel when the process dies; a stale file left by a killed run is not
/// held and is simply taken over.
public final class ReportFolderLock: @unchecked Sendable {
    /// The folder, as an absolute path without `.` and `..`.
    public let directory: String
    let lockPath: String
    private var descriptor: Int32
    private let registration: TemporaryCleanup.Registration
    /// The folders above `directory` this lock created, deepest first: removed again on release
    /// when still empty (a run that fails leaves no empty folder behind).
    private let createdFolders: [String]

    /// Takes the lock on `directory`, creating the folder's parent if missing.
    /// - Throws: ``LawfitError`` (input) when another run holds it or the lock file cannot be made.
    public init(_ directory: String) throws {
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        self.directory = url.path
        let parent = url.deletingLastPathComponent().path
        var stem = Substring(url.lastPathComponent)
        while 1 + stem.utf8.count + ".lock".utf8.count > AtomicFile.maximumNameBytes { stem = stem.dropLast() }
        lockPath = parent + "/." + stem + ".lock"
        var missing: [String] = []
        var ancestor = URL(fileURLWithPath: parent)
        while FileKind(path: ancestor.path) == .missing, ancestor.path != "/" {
            missing.append(ancestor.path)
            ancestor = ancestor.deletingLastPathComponent()
        }
        createdFolders = missing
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw LawfitError.input("cannot create the folder \(parent): \(error.localizedDescription)")
        }
        while true {
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else {
                throw LawfitError.input("cannot lock the report folder \(directory): cannot create \(lockPath): \(String(cString: strerror(errno)))")
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                throw LawfitError.input(
                    "another lawfit run is writing the report folder \(directory) (it holds \(lockPath)); wait for it to finish or choose another folder")
            }
            // The holder before us may have removed the file between our open and flock: then we
            // locked an orphan, and must lock the file now at the path.
            var held = stat(), current = stat()
            if fstat(fd, &held) == 0, stat(lockPath, &current) == 0, held.st_dev == current.st_dev, held.st_ino == current.st_ino {
                descriptor = fd
                break
            }
            close(fd)
        }
        registration = TemporaryCleanup.register(lockPath)
    }

    /// Removes the lock file and releases the lock (once; later calls do nothing).
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(lockPath)
        close(descriptor)
        descriptor = -1
        TemporaryCleanup.unregister(registration)
        for folder in createdFolders where rmdir(folder) != 0 { break }
    }

    deinit { release() }
}
