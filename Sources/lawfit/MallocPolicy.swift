import Foundation

/// How `lawfit` has glibc's malloc serve large blocks, chosen by the size of the input.
///
/// glibc serves a block of 128 kB or more by mmap, and raises that threshold to the size of each
/// such block freed (up to 32 MB); later blocks below it come from a heap that keeps freed memory
/// for reuse.
/// - On large inputs (``largeInputBytes`` or more), the kept memory is the reader's freed buffers:
///   `lawfit fit --law multi-power` on a 1e6-row log (33 MB of CSV) peaked at 153-156 MB, against
///   143-145 MB with the threshold fixed at 128 kB, and the long-log goal is 150 bytes a row.
/// - On everything else, the kept memory is what a fit allocates and frees at every evaluation or
///   start: multi-power's 200 kB of eta^-gamma factors on the 124M W&B logs, NLopt's workspaces.
///   With the threshold fixed, each was a fresh mmap, zero-filled page by page: a 200-resample
///   `compare` of three laws on those logs spent 3.1-3.3 s of system CPU (12.1-12.4 s wall with
///   glibc's default against 13.6-14.3 s fixed; the same report bytes).
enum MallocPolicy {
    /// Inputs of at least this many bytes (about 500,000 rows of `step,lr,loss`) get the fixed threshold.
    static let largeInputBytes = 16 << 20

    /// Fixes glibc's mmap threshold at 128 kB, once `bytes` of input reach ``largeInputBytes``
    /// (before they are read); below that glibc keeps its default. A fixed threshold stays fixed.
    static func prepare(forInputBytes bytes: Int) {
        guard bytes >= largeInputBytes else { return }
        #if os(Linux)
        // `mallopt` is looked up at run time: Swift's Glibc module does not export malloc.h.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in glibc's malloc.h
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 128 * 1024)
        #endif
    }

    /// The bytes of the files at `paths` (a path that cannot be read counts 0: its reader reports it).
    static func fileBytes(_ paths: [String]) -> Int {
        paths.reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }
}
