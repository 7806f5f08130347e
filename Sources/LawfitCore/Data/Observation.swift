/// One measured (or to-be-predicted) point of a training log.
///
/// Every quantity is optional because logs differ: a loss curve has `step` and `learningRate`,
/// a scaling-law table has `parameters` (N) and `tokens` (D). A law states which inputs it needs
/// (``LawInput``) and ``ScalingLaw/validate(_:)`` rejects data that lacks them.
///
/// Stored compactly (40 bytes): an absent number is a NaN with a payload no arithmetic produces,
/// so a long log costs no optional tags; a NaN value (which the readers reject, but a caller may
/// set) is kept as it is. The loss, step, learning rate and line are stored inline; N, D, C, U and
/// the extra columns, which a loss curve's rows do not have, in one shared box (copied on write)
/// that exists only where one of them is present.
public struct Observation: Sendable, Hashable {
    /// Marks an absent value (a NaN payload that arithmetic never yields).
    private static let absentBits: UInt64 = 0x7FF8_0000_0000_A0A0
    private static let absent = Double(bitPattern: absentBits)

    private var storedLoss = Observation.absent
    private var storedStep = Int.min
    private var storedLearningRate = Observation.absent
    private var storedLine = Int.min
    private var scale: Scale?

    /// N, D, C, U and the extra columns of a point that has any.
    private final class Scale: @unchecked Sendable {
        var parameters = Observation.absent
        var tokens = Observation.absent
        var compute = Observation.absent
        var uniqueTokens = Observation.absent
        var extra: [String: Double] = [:]

        init() {}

        init(copying other: Scale) {
            parameters = other.parameters
            tokens = other.tokens
            compute = other.compute
            uniqueTokens = other.uniqueTokens
            extra = other.extra
        }
    }

    private static func read(_ value: Double) -> Double? { value.bitPattern == absentBits ? nil : value }
    private static func store(_ value: Double?) -> Double { value ?? absent }

    /// Sets a boxed field, creating the box (or a copy of a shared one) first; an absent value on a
    /// point without the box changes nothing.
    private mutating func setScale(_ field: ReferenceWritableKeyPath<Scale, Double>, _ value: Double?) {
        guard value != nil || scale != nil else { return }
        uniqueScale()[keyPath: field] = Self.store(value)
    }

    private mutating func uniqueScale() -> Scale {
        if scale == nil {
            scale = Scale()
        } else if !isKnownUniquelyReferenced(&scale!) {
            scale = Scale(copying: scale!)
        }
        return scale!
    }

    /// Observed loss; `nil` for a point where only a prediction is wanted.
    public var loss: Double? {
        get { Self.read(storedLoss) }
        set { storedLoss = Self.store(newValue) }
    }
    /// Optimiser step (update index, 1-based as in the logs).
    public var step: Int? {
        get { storedStep == .min ? nil : storedStep }
        set { storedStep = newValue ?? .min }
    }
    /// Learning rate logged at this step.
    public var learningRate: Double? {
        get { Self.read(storedLearningRate) }
        set { storedLearningRate = Self.store(newValue) }
    }
    /// Model size N (parameters).
    public var parameters: Double? {
        get { scale.flatMap { Self.read($0.parameters) } }
        set { setScale(\.parameters, newValue) }
    }
    /// Training tokens D.
    public var tokens: Double? {
        get { scale.flatMap { Self.read($0.tokens) } }
        set { setScale(\.tokens, newValue) }
    }
    /// Training compute C in FLOP (6ND when not logged).
    public var compute: Double? {
        get { scale.flatMap { Self.read($0.compute) } }
        set { setScale(\.compute, newValue) }
    }
    /// Unique tokens U (data-constrained laws).
    public var uniqueTokens: Double? {
        get { scale.flatMap { Self.read($0.uniqueTokens) } }
        set { setScale(\.uniqueTokens, newValue) }
    }
    /// Any further numeric columns, by their header name.
    public var extra: [String: Double] {
        get { scale?.extra ?? [:] }
        set {
            guard !newValue.isEmpty || scale != nil else { return }
            uniqueScale().extra = newValue
        }
    }
    /// The 1-based line of the source file this came from, for error messages.
    public var line: Int? {
        get { storedLine == .min ? nil : storedLine }
        set { storedLine = newValue ?? .min }
    }

    public init(
        loss: Double? = nil, step: Int? = nil, learningRate: Double? = nil,
        parameters: Double? = nil, tokens: Double? = nil, compute: Double? = nil,
        uniqueTokens: Double? = nil, extra: [String: Double] = [:], line: Int? = nil
    ) {
        self.extra = extra
        self.loss = loss
        self.step = step
        self.learningRate = learningRate
        self.parameters = parameters
        self.tokens = tokens
        self.compute = compute
        self.uniqueTokens = uniqueTokens
        self.line = line
    }

    /// Compute C: the logged value, else 6 N D when both are known.
    public var effectiveCompute: Double? {
        if let compute { return compute }
        if let n = parameters, let d = tokens { return 6 * n * d }
        return nil
    }

    /// The value of a law input at this point, if present (`schedule` is a property of the run).
    public func value(of input: LawInput) -> Double? {
        switch input {
        case .parameters: parameters
        case .tokens: tokens
        case .compute: effectiveCompute
        case .uniqueTokens: uniqueTokens
        case .step: step.map(Double.init)
        case .schedule: nil
        }
    }

    /// Equal when every quantity is (absent values are equal, NaN values are not, as with `Double?`).
    public static func == (lhs: Observation, rhs: Observation) -> Bool {
        lhs.loss == rhs.loss && lhs.step == rhs.step && lhs.learningRate == rhs.learningRate
            && lhs.parameters == rhs.parameters && lhs.tokens == rhs.tokens && lhs.compute == rhs.compute
            && lhs.uniqueTokens == rhs.uniqueTokens && lhs.extra == rhs.extra && lhs.line == rhs.line
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(loss)
        hasher.combine(step)
        hasher.combine(learningRate)
        hasher.combine(parameters)
        hasher.combine(tokens)
        hasher.combine(compute)
        hasher.combine(uniqueTokens)
        hasher.combine(extra)
        hasher.combine(line)
    }
}

extension Observation {
    /// `self` with every value that `later` has replaced by the later one (a W&B history that logs
    /// a step's keys in several rows, or a resumed run that logs a step again). Returns how many
    /// values were present in both (the replaced ones).
    mutating func merge(_ later: Observation) -> Int {
        var replaced = 0
        if later.loss != nil || loss == nil { line = later.line }
        func take<T>(_ path: WritableKeyPath<Observation, T?>) {
            guard let value = later[keyPath: path] else { return }
            if self[keyPath: path] != nil { replaced += 1 }
            self[keyPath: path] = value
        }
        take(\.loss)
        take(\.learningRate)
        take(\.parameters)
        take(\.tokens)
        take(\.compute)
        take(\.uniqueTokens)
        for (name, value) in later.extra {
            if extra.updateValue(value, forKey: name) != nil { replaced += 1 }
        }
        return replaced
    }
}
