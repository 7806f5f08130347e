import ArgumentParser
import LawfitCore

// The typed values of the command-line options. A closed set is a CaseIterable enum, so that
// `--help` lists its values and a bad value is refused while parsing with a message that names the
// option, the value and the values allowed (swift-argument-parser's `Examples/math`); a value with
// a syntax (`huber:DELTA`, `grid|N`, `blocks:LENGTH`) is parsed into its type here, and its ranges
// are checked in the `validate()` of the options that use it, with the documented limits
// (``OptionChecks``).

extension LossSpace: ExpressibleByArgument {}
extension HeldOutMetric: ExpressibleByArgument {}
extension RepeatedStepPolicy: ExpressibleByArgument {}
extension ScheduleFamily: ExpressibleByArgument {}
extension ScheduleTable.Format: ExpressibleByArgument {}

extension ReportFormat: ExpressibleByArgument {
    /// `json`, `markdown` (or `md`) or `html`, in any case.
    public init?(argument: String) {
        let name = argument.lowercased()
        self.init(rawValue: name == "md" ? "markdown" : name)
    }
}

/// `--format` of the commands that print one result (`fit`, `optimal`): readable text or JSON.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json
}

/// `--schedule-from`: the logged column a run's schedule is tabulated from (the learning rate).
enum ScheduleSource: String, CaseIterable, ExpressibleByArgument {
    case lr
}

/// `--penalty` (deprecated spelling of `--objective`'s kind).
enum Penalty: String, CaseIterable, ExpressibleByArgument {
    case huber, squared
}

extension StartPlan: ExpressibleByArgument {
    /// `grid` (the law's default start grid) or a whole number N of low-discrepancy starts; N's
    /// range (1 ... ``OptionChecks/maximumStarts``) is checked by ``StartOptions/validate()``.
    public init?(argument: String) {
        if argument == "grid" {
            self = .grid
        } else if let count = Int(argument) {
            self = .count(count)
        } else {
            return nil
        }
    }

    public var defaultValueDescription: String {
        switch self {
        case .grid: "grid"
        case .count(let n): "\(n)"
        case .points(let points): "\(points.count) points"
        }
    }
}

extension ResidualLoss: ExpressibleByArgument {
    /// `squared` or `huber:DELTA`; DELTA must be finite and positive (``ObjectiveOptions/validate()``).
    public init?(argument: String) {
        if argument == "squared" {
            self = .squared
        } else if argument.hasPrefix("huber:"), let delta = Double(argument.dropFirst(6)) {
            self = .huber(delta: delta)
        } else {
            return nil
        }
    }

    public var defaultValueDescription: String {
        switch self {
        case .huber(let delta): "huber:\(delta)"
        case .squared: "squared"
        }
    }
}

/// `--bootstrap-unit`: `points`, `runs`, `blocks` or `blocks:LENGTH` (moving blocks of LENGTH points).
struct BootstrapUnitChoice: ExpressibleByArgument, Hashable {
    /// The longest block `blocks:LENGTH` may ask for.
    static let maximumBlockLength = 1_000_000

    var unit: BootstrapUnit
    var blockLength: Int?
    /// The text given, for messages.
    var text: String

    init?(argument: String) {
        text = argument
        if argument.hasPrefix("blocks:") {
            guard let length = Int(argument.dropFirst(7)) else { return nil }
            (unit, blockLength) = (.blocks, length)
        } else {
            guard let unit = BootstrapUnit(rawValue: argument) else { return nil }
            (self.unit, blockLength) = (unit, nil)
        }
    }

    /// A block length outside 1 ... ``maximumBlockLength``. - Throws: `ValidationError`.
    func validate() throws {
        if let blockLength, !(1...Self.maximumBlockLength).contains(blockLength) {
            throw ValidationError("--bootstrap-unit blocks:LENGTH needs a block length from 1 to \(Self.maximumBlockLength) points, got '\(text)'")
        }
    }
}

/// `fit --method`: `auto`, `lm`, `lbfgs`, `varpro` (any case), or an NLopt algorithm by name,
/// checked by ``FitCommand/validate()``.
enum FitMethod: ExpressibleByArgument, Hashable {
    case auto, levenbergMarquardt, lbfgs, variableProjection
    case nlopt(String)

    init?(argument: String) {
        switch argument.lowercased() {
        case "auto": self = .auto
        case "lm": self = .levenbergMarquardt
        case "lbfgs": self = .lbfgs
        case "varpro": self = .variableProjection
        default: self = .nlopt(argument)
        }
    }

    var defaultValueDescription: String {
        switch self {
        case .auto: "auto"
        case .levenbergMarquardt: "lm"
        case .lbfgs: "lbfgs"
        case .variableProjection: "varpro"
        case .nlopt(let name): name
        }
    }
}
