import BuiltinPlugins
import Foundation
import LawfitCore
import Testing
import TestSupport

/// Numerical guards (issue 9): every built-in law's predictions and Jacobian stay finite over its
/// declared parameter bounds at typical inputs, or the law refuses the inputs with a LawfitError.
///
/// The test lives here because this is the test target that can see every plugin (through the
/// `lawfit` executable's dependency on BuiltinPlugins).
@Suite("Law guards")
struct LawGuardTests {
    /// Random parameter vectors per law.
    static let samples = 200

    /// Points spanning typical inputs: N in 1e6...1e12, D in 1e8...1e13 (log-uniform), C = 6ND,
    /// U = D times a fraction in [0.05, 1], and one short cosine-schedule run (warmup 20, 200 steps)
    /// observed at five steps, so schedule laws have what they need too.
    static func typicalRuns(seed: UInt64) throws -> [Run] {
        var random = SeededUniform(seed: seed)
        func logUniform(_ low: Double, _ high: Double) -> Double { exp(log(low) + random.next() * (log(high) - log(low))) }
        let schedule = DenseSchedule(try CosineSchedule(peak: 3e-4, floor: 3e-5, warmup: 20, total: 200))
        var observations: [Observation] = []
        // The ends of the ranges first, so the extremes are always covered.
        let corners: [(Double, Double)] = [(1e6, 1e8), (1e12, 1e13), (1e6, 1e13), (1e12, 1e8)]
        for (index, step) in [10, 50, 100, 150, 200].enumerated() {
            let (n, d) = index < corners.count ? corners[index] : (logUniform(1e6, 1e12), logUniform(1e8, 1e13))
            var observation = Observation(loss: 3)
            observation.step = step
            observation.learningRate = schedule.rates[step]
            observation.parameters = n
            observation.tokens = d
            observation.compute = 6 * n * d
            observation.uniqueTokens = d * (0.05 + 0.95 * random.next())
            observation.line = index + 2
            observations.append(observation)
        }
        return [Run(name: "typical", observations: observations, schedule: schedule, source: "typical.csv")]
    }

    /// A finite sampling box for one parameter: the declared bounds, with an infinite or (for a log
    /// parameter) non-positive end replaced by three orders of magnitude (or 10 units) beyond the
    /// start values.
    static func box(_ parameter: Parameter) -> (low: Double, high: Double) {
        let starts = parameter.startValues
        let smallest = starts.min()!, largest = starts.max()!
        switch parameter.transform {
        case .log:
            let low = parameter.lowerBound > 0 && parameter.lowerBound.isFinite ? parameter.lowerBound : max(smallest, 1e-300) / 1e3
            let high = parameter.upperBound.isFinite ? parameter.upperBound : max(largest, low) * 1e3
            return (low, high)
        case .identity:
            let span = max(1, abs(smallest), abs(largest))
            let low = parameter.lowerBound.isFinite ? parameter.lowerBound : smallest - 10 * span
            let high = parameter.upperBound.isFinite ? parameter.upperBound : largest + 10 * span
            return (low, high)
        }
    }

    /// A parameter vector drawn from the boxes: log-uniform for log-transformed parameters, else uniform.
    static func sample(_ space: ParameterSpace, _ random: inout SeededUniform) -> [Double] {
        space.parameters.map { parameter in
            let (low, high) = box(parameter)
            let u = random.next()
            switch parameter.transform {
            case .log: return min(max(exp(log(low) + u * (log(high) - log(low))), low), high)
            case .identity: return min(max(low + u * (high - low), low), high)
            }
        }
    }

    @Test("the sampling boxes are finite and inside the declared bounds")
    func boxesAreFinite() throws {
        let registry = try BuiltinPlugins.makeRegistry()
        for law in registry.laws {
            for parameter in law.parameterSpace.parameters {
                let (low, high) = Self.box(parameter)
                #expect(low.isFinite && high.isFinite && low <= high, "\(law.name).\(parameter.name): box \(low)...\(high)")
                #expect(low >= parameter.lowerBound && high <= parameter.upperBound, "\(law.name).\(parameter.name)")
                if parameter.transform == .log { #expect(low > 0, "\(law.name).\(parameter.name) is log-transformed") }
            }
        }
    }

    @Test("predictions and Jacobians are finite over every law's bounds", arguments: try BuiltinPlugins.makeRegistry().laws.map(\.name))
    func finiteOverBounds(lawName: String) throws {
        let law = try BuiltinPlugins.makeRegistry().law(named: lawName)
        let runs = try Self.typicalRuns(seed: 9)
        let evaluator: any LawEvaluator
        do {
            try law.validate(runs)
            evaluator = try law.makeEvaluator(for: runs)
        } catch let error as LawfitError {
            // Refusing the inputs with a located error is allowed; anything else is not.
            #expect(error.kind == .input, "\(lawName): \(error)")
            return
        }
        #expect(evaluator.count == runs[0].observations.count)
        guard let known = Self.knownNonFinite[lawName] else {
            try checkFinite(law, evaluator)
            return
        }
        // Fails (as "known issue not recorded") once the law is fixed: then drop it from the list.
        withKnownIssue(Comment(rawValue: known)) { try checkFinite(law, evaluator) }
    }

    /// Laws that currently leave finite values inside their own bounds, with the first sample that
    /// shows it (issue 9 findings for the law owners; remove an entry when its law is fixed).
    static let knownNonFinite: [String: String] = [:]

    private func checkFinite(_ law: any ScalingLaw, _ evaluator: any LawEvaluator) throws {
        let lawName = law.name
        // FNV-1a of the name: a fixed seed per law, independent of registration order.
        var random = SeededUniform(seed: lawName.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 })
        for sample in 0..<Self.samples {
            let theta = Self.sample(law.parameterSpace, &random)
            let (predictions, jacobian) = evaluator.predictWithJacobian(theta)
            try #require(predictions.count == evaluator.count)
            try #require(jacobian.count == evaluator.count * evaluator.parameterCount)
            let badPrediction = predictions.firstIndex { !$0.isFinite }
            let badDerivative = jacobian.firstIndex { !$0.isFinite }
            try #require(badPrediction == nil && badDerivative == nil, """
                \(lawName) sample \(sample) \(law.parameterSpace.named(theta)): \
                prediction \(badPrediction.map { "\(predictions[$0]) at point \($0 + 1)" } ?? "finite"), \
                derivative \(badDerivative.map { "\(jacobian[$0]) at point \($0 / evaluator.parameterCount + 1), parameter \(law.parameterSpace.names[$0 % evaluator.parameterCount])" } ?? "finite")
                """)
        }
    }

    @Test("an unknown law name is an input error listing every registered law")
    func unknownLaw() throws {
        let registry = try BuiltinPlugins.makeRegistry()
        let error = try #require(throws: LawfitError.self) { try registry.law(named: "chinchila") }
        #expect(error.kind == .input)
        let known = registry.laws.map(\.name)
        #expect(error.message == "unknown law 'chinchila'; known laws: \(known.joined(separator: ", "))")
        #expect(known.count >= 10)
    }

    @Test("every law refuses data without its required inputs, naming the law, input, run, file, line and column")
    func missingRequiredInputs() throws {
        // Only step and loss: no N, D, C, U and no schedule.
        let bare = Run(
            name: "bare", observations: [Observation(loss: 3, step: 1, line: 2), Observation(loss: 2.9, step: 2, line: 3)],
            source: "bare.csv")
        var checked = 0
        for law in try BuiltinPlugins.makeRegistry().laws {
            let missing = law.missingInputs(in: [bare])
            let error = try #require(throws: LawfitError.self, "\(law.name)") { try law.makeEvaluator(for: [bare]) }
            #expect(error.kind == .input, "\(law.name)")
            let needsMoreThanSteps = !law.requiredInputs.isSubset(of: [.step])
            #expect(needsMoreThanSteps && !missing.isEmpty, "\(law.name) needs \(law.requiredInputs)")
            #expect(error.message.hasPrefix("law '\(law.name)' needs"), "\(law.name): \(error.message)")
            if missing.contains(.schedule) {
                #expect(error.location?.file == "bare.csv")
            } else {
                let first = law.requiredInputs.sorted().first { missing.contains($0) }!
                #expect(error.message == "law '\(law.name)' needs input \(first.rawValue), which run 'bare' lacks")
                #expect(error.location == SourceLocation(file: "bare.csv", line: 2, column: first.rawValue))
            }
            checked += 1
        }
        #expect(checked >= 10)
    }

    @Test("every law refuses a zero N, D, C or U given in code, naming the input and the line")
    func nonPositiveInputs() throws {
        var checked = 0
        for law in try BuiltinPlugins.makeRegistry().laws {
            guard let input = law.requiredInputs.sorted().first(where: { [.parameters, .tokens, .compute, .uniqueTokens].contains($0) }) else { continue }
            var runs = try Self.typicalRuns(seed: 9)
            let field: WritableKeyPath<Observation, Double?> = switch input {
            case .parameters: \.parameters
            case .tokens: \.tokens
            case .compute: \.compute
            default: \.uniqueTokens
            }
            runs[0].observations[1][keyPath: field] = 0
            let error = try #require(throws: LawfitError.self, "\(law.name)") { try law.makeEvaluator(for: runs) }
            #expect(error.kind == .input)
            #expect(error.message == "law '\(law.name)' needs a positive, finite \(input.rawValue); got 0.0", "\(law.name)")
            #expect(error.location == SourceLocation(file: "typical.csv", line: 3, column: input.rawValue), "\(law.name)")
            checked += 1
        }
        #expect(checked >= 10)
    }
}
