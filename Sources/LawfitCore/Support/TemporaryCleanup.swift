import Foundation

/// Removes Lawfit's temporary files and folders when the process is interrupted.
///
/// ``AtomicFile`` and ``ReportWriter`` register each temporary path here while it exists. The first
/// registration installs handlers for SIGINT, SIGTERM and SIGHUP that unlink the registered files,
/// remove the registered (then empty) folders, restore the default action and re-raise the signal,
/// so the process still dies of it (exit status 128 + signal for a shell). The handler only calls
/// async-signal-safe functions (`unlink`, `rmdir`, `signal`, `raise`) on C strings stored in advance.
public enum TemporaryCleanup {
    /// How many temporary paths may be registered at once (a report set needs 4: the folder and its files).
    static let capacity = 64

    /// The registered paths (C strings owned here), `nil` for a free slot.
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        return slots
    }()
    /// Whether each slot holds a folder (removed after the files).
    nonisolated(unsafe) private static let folders: UnsafeMutablePointer<Bool> = {
        let folders = UnsafeMutablePointer<Bool>.allocate(capacity: capacity)
        folders.initialize(repeating: false, count: capacity)
        return folders
    }()
    private static let lock = NSLock()
    nonisolated(unsafe) private static var installed = false

    /// A registered path; pass it to ``unregister(_:)`` once the path is renamed or removed.
    public struct Registration: Sendable {
        fileprivate let slot: Int?
    }

    /// Registers `path` for removal on SIGINT, SIGTERM or SIGHUP (a file, or with `folder` an
    /// empty-by-then folder). When every slot is taken the path is not registered (nothing fails).
    public static func register(_ path: String, folder: Bool = false) -> Registration {
        lock.lock()
        defer { lock.unlock() }
        if !installed {
            installed = true
            for signal in [SIGINT, SIGTERM, SIGHUP] {
                _ = Glibc.signal(signal, cleanupHandler)
            }
        }
        guard let slot = (0..<capacity).first(where: { slots[$0] == nil }) else { return Registration(slot: nil) }
        folders[slot] = folder
        slots[slot] = strdup(path)
        return Registration(slot: slot)
    }

    /// Forgets a registration (the path was renamed into place or removed).
    public static func unregister(_ registration: Registration) {
        guard let slot = registration.slot else { return }
        lock.lock()
        defer { lock.unlock() }
        let path = slots[slot]
        slots[slot] = nil
        free(path)
    }

    /// Removes every registered path: files first, then folders. Async-signal-safe.
    fileprivate static func removeAll() {
        for slot in 0..<capacity where !folders[slot] {
            if let path = slots[slot] { unlink(path) }
        }
        for slot in 0..<capacity where folders[slot] {
            if let path = slots[slot] { rmdir(path) }
        }
    }
}

/// The signal handler: clean up, then die of the signal with its default action.
private let cleanupHandler: @convention(c) (Int32) -> Void = { signal in
    TemporaryCleanup.removeAll()
    _ = Glibc.signal(signal, SIG_DFL)
    raise(signal)
}
