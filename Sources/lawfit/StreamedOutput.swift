import Foundation
import LawfitCore

/// Where a command streams its CSV: `--output`'s file, written atomically (blocks go to a temporary
/// beside it, renamed into place when `produce` returns, removed when it throws), or standard output,
/// where blocks already written stay printed if `produce` later throws.
enum StreamedOutput {
    static func write(to output: String?, _ produce: (BlockWriter) throws -> Void) throws {
        if let output {
            try AtomicFile.write(to: output, produce)
        } else {
            let writer = BlockWriter(descriptor: STDOUT_FILENO, path: "standard output")
            try produce(writer)
            try writer.flush()
        }
    }
}
