// libFuzzer target: JSONLinesReader.read(_:file:) on arbitrary bytes.
// Contract: returns a table or throws LawfitError; never traps, never hangs.
import Foundation
import LawfitCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONL(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    do {
        let table = try JSONLinesReader.read(data, file: "fuzz.jsonl")
        for record in table.records { _ = record }
    } catch is LawfitError {
    } catch {
        fatalError("JSONLinesReader threw a non-LawfitError: \(error)")
    }
    return 0
}
