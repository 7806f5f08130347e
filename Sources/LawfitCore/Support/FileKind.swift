import Foundation

/// What a path names, from `stat(2)`/`lstat(2)`: used to say what a path is when it is not what an
/// option expects (a folder given as `--data`, a device given as `--output`).
public enum FileKind: Sendable, Equatable, CustomStringConvertible {
    case regular
    case folder
    case characterDevice
    case blockDevice
    case fifo
    case socket
    case symbolicLink
    case missing

    /// The kind of `path`, following a symbolic link unless `followingLinks` is false.
    public init(path: String, followingLinks: Bool = true) {
        var info = stat()
        let result = followingLinks ? stat(path, &info) : lstat(path, &info)
        self = result == 0 ? FileKind(mode: info.st_mode) : .missing
    }

    /// The kind a `st_mode` field describes.
    public init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .folder
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFLNK: self = .symbolicLink
        default: self = .missing
        }
    }

    /// Devices, FIFOs and sockets: paths that must never be replaced by an output file.
    public var isSpecial: Bool { [.characterDevice, .blockDevice, .fifo, .socket].contains(self) }

    public var description: String {
        switch self {
        case .regular: "a regular file"
        case .folder: "a folder"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .fifo: "a FIFO (named pipe)"
        case .socket: "a socket"
        case .symbolicLink: "a symbolic link"
        case .missing: "missing"
        }
    }

    /// The device and inode of `path` (following links), or nil when it does not exist: two paths
    /// with the same identity are the same file, whatever links or `..` lead there.
    public static func identity(of path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

/// A file's device and inode numbers.
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
}
