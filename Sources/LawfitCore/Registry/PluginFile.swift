#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where `--plugin NAME` finds a plugin library, resolved by Lawfit itself (never by `dlopen`'s
/// search of the system library path).
///
/// A name with a `/` is a path, relative to the current folder or absolute. A bare file name
/// (`libMyPlugin.so`) is looked up in the current folder, then in each folder of
/// `LAWFIT_PLUGIN_PATH` (colon-separated, like `PATH`). The result is the canonical absolute path
/// (symbolic links resolved), which must be a regular file: a folder, FIFO, socket or device is
/// refused before it is opened (opening a FIFO would block).
public struct PluginFile: Sendable, Equatable {
    /// The canonical absolute path, what `dlopen` is given.
    public var path: String
    /// Security warnings: the file, or the folder holding it, is writable by other users.
    public var warnings: [String]

    /// The environment variable with extra plugin folders.
    public static let searchPathVariable = "LAWFIT_PLUGIN_PATH"

    /// Resolves `name` as described above.
    /// - Parameters:
    ///   - currentFolder: the folder relative names start from (the process's current folder).
    ///   - searchPath: the value of `LAWFIT_PLUGIN_PATH` (from the environment when nil).
    /// - Throws: ``LawfitError`` (input) when nothing is found (naming the folders searched) or the
    ///   path is not a regular file (naming what it is).
    public static func resolve(
        _ name: String, currentFolder: String = FileManager.default.currentDirectoryPath,
        searchPath: String? = ProcessInfo.processInfo.environment[searchPathVariable]
    ) throws -> PluginFile {
        let location = SourceLocation(file: name)
        guard !name.isEmpty else { throw LawfitError.input("--plugin needs a file name") }
        let candidate: String
        if name.contains("/") {
            candidate = name.hasPrefix("/") ? name : currentFolder + "/" + name
        } else {
            let folders = [currentFolder] + (searchPath ?? "").split(separator: ":").map(String.init)
            guard let found = folders.map({ $0 + "/" + name }).first(where: { exists($0) }) else {
                let searched = searchPath.map { _ in "the current folder and \(searchPathVariable) (\(folders.dropFirst().joined(separator: ":")))" }
                    ?? "the current folder (set \(searchPathVariable) to search more folders)"
                throw LawfitError.input("plugin file not found in \(searched); give a path with a '/' to load from elsewhere", at: location)
            }
            candidate = found
        }
        guard exists(candidate) else { throw LawfitError.input("plugin file not found", at: location) }
        guard let resolved = realpath(candidate, nil) else {
            throw LawfitError.input("cannot resolve the plugin path: \(String(cString: strerror(errno)))", at: location)
        }
        let path = String(cString: resolved)
        free(resolved)
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw LawfitError.input("cannot read the plugin file: \(String(cString: strerror(errno)))", at: location)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw LawfitError.input("the plugin path is \(kindName(info.st_mode)), not a regular file (a plugin is a shared library file such as libMyPlugin.so)", at: location)
        }
        var warnings: [String] = []
        if info.st_mode & S_IWOTH != 0 {
            warnings.append("plugin \(path) is writable by every user (chmod o-w it): anyone could change the code Lawfit runs")
        }
        let folder = (path as NSString).deletingLastPathComponent
        var folderInfo = stat()
        if stat(folder, &folderInfo) == 0, folderInfo.st_mode & S_IWOTH != 0, folderInfo.st_mode & S_ISVTX == 0 {
            warnings.append("the folder of plugin \(path) is writable by every user (chmod o-w \(folder)): anyone could replace the plugin")
        }
        return PluginFile(path: path, warnings: warnings)
    }

    /// Whether anything (following links) is at `path`, without opening it.
    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    private static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "not a regular file"
        }
    }
}
