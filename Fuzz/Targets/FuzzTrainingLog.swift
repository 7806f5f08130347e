// libFuzzer target: the whole TrainingLogReader.read(data:file:format:) path (parse, map, validate,
// group into runs). The first byte picks the format (even: CSV, odd: JSON Lines) and the required
// fields; the rest is the file. Contract: a log or a LawfitError; never traps, never hangs.
import Foundation
import LawfitCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrainingLog(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let selector = start[0]
    let data = Data(bytes: start + 1, count: count - 1)
    let format: LogFormat = selector & 1 == 0 ? .csv : .jsonLines
    var required: Set<LogField> = [.loss]
    if selector & 2 != 0 { required.insert(.tokens) }
    if selector & 4 != 0 { required.insert(.compute) }
    let reader = TrainingLogReader(required: required)
    do {
        let log = try reader.read(data: data, file: format == .csv ? "fuzz.csv" : "fuzz.jsonl", format: format)
        for run in log.runs {
            for observation in run.observations {
                if let loss = observation.loss, !(loss.isFinite && loss > 0) {
                    fatalError("loss \(loss) was accepted in run \(run.name)")
                }
            }
        }
    } catch is LawfitError {
    } catch {
        fatalError("TrainingLogReader threw a non-LawfitError: \(error)")
    }
    return 0
}
