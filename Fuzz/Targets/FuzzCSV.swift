// libFuzzer target: CSVReader.read(_:file:) on arbitrary bytes.
// Contract: returns a table or throws LawfitError; never traps, never hangs.
import Foundation
import LawfitCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    do {
        let table = try CSVReader.read(data, file: "fuzz.csv")
        for record in table.records { _ = record }
    } catch is LawfitError {
    } catch {
        fatalError("CSVReader threw a non-LawfitError: \(error)")
    }
    return 0
}
