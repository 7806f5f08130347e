import Optimization
import Testing

/// Bad algorithms, dimensions, bounds and starts are rejected with a clear `OptimizationError` before
/// the objective is ever called.
@Suite struct InvalidArgumentTests {
    /// The message of an `invalidArguments` error, or nil (with an issue recorded) for anything else.
    private func invalidArgumentsMessage(_ body: () throws -> OptimizationResult) -> String? {
        do {
            let result = try body()
            Issue.record("expected invalidArguments, got \(result)")
        } catch OptimizationError.invalidArguments(let message) {
            return message
        } catch {
            Issue.record("expected invalidArguments, got \(error)")
        }
        return nil
    }

    private func neverCalled(_ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        Issue.record("the objective was called at \(Array(x))")
        return 0
    }

    @Test func unknownAlgorithmListsTheAvailableOnes() {
        #expect {
            _ = try Algorithm("LD_NEWTON_MAGIC")
        } throws: { error in
            guard case OptimizationError.unknownAlgorithm(let name) = error else { return false }
            let text = String(describing: error)
            return name == "LD_NEWTON_MAGIC" && text.contains("LD_NEWTON_MAGIC") && text.contains("LD_LBFGS")
                && text.contains("LN_BOBYQA") && text.contains("G_MLSL_LDS") && !text.contains("GD_STOGO")
        }
    }

    /// Debian's NLopt 2.7.1 names StoGO, AGS and Nocedal's L-BFGS but was built without them.
    @Test(arguments: ["GD_STOGO", "GD_STOGO_RAND", "GN_AGS", "LD_LBFGS_NOCEDAL"])
    func algorithmsNotCompiledAreUnknown(name: String) {
        #expect(throws: OptimizationError.self) { try Algorithm(name) }
    }

    @Test func wrongStartDimension() throws {
        let optimizer = try Optimizer(algorithm: .lbfgs, dimension: 2)
        let message = invalidArgumentsMessage { try optimizer.minimize(from: [1, 2, 3], objective: neverCalled) }
        #expect(message == "the start has 3 coordinates, the problem 2")
        // Through a Minimizer the dimension comes from the start, so bounds of another size are the error.
        let minimizer = Minimizer(algorithm: .bobyqa, lowerBounds: [0, 0], upperBounds: [1, 1])
        let boundsMessage = invalidArgumentsMessage { try minimizer.minimize(from: [0.5, 0.5, 0.5], objective: neverCalled) }
        #expect(boundsMessage == "bounds need 3 values, got 2 and 2")
    }

    @Test func lowerAboveUpper() {
        let minimizer = Minimizer(algorithm: .bobyqa, lowerBounds: [0, 2], upperBounds: [1, 1])
        let message = invalidArgumentsMessage { try minimizer.minimize(from: [0.5, 1], objective: neverCalled) }
        #expect(message == "lower bound 2.0 exceeds upper bound 1.0 in coordinate 1")
        let nan = Minimizer(algorithm: .bobyqa, lowerBounds: [.nan], upperBounds: [1])
        #expect(invalidArgumentsMessage { try nan.minimize(from: [0.5], objective: neverCalled) } != nil)
    }

    @Test(arguments: ["GN_CRS2_LM", "GN_ISRES", "G_MLSL_LDS", "GN_DIRECT_L"])
    func globalAlgorithmNeedsFiniteBounds(name: String) throws {
        let algorithm = try Algorithm(name)
        let expected = "\(name) is a global algorithm and needs finite lower and upper bounds in every coordinate"
        let unbounded = Minimizer(algorithm: algorithm)
        #expect(invalidArgumentsMessage { try unbounded.minimize(from: [0, 0], objective: neverCalled) } == expected)
        let halfBounded = Minimizer(algorithm: algorithm, lowerBounds: [-1, -1])
        #expect(invalidArgumentsMessage { try halfBounded.minimize(from: [0, 0], objective: neverCalled) } == expected)
        let infinite = Minimizer(algorithm: algorithm, lowerBounds: [-1, -1], upperBounds: [1, .infinity])
        #expect(invalidArgumentsMessage { try infinite.minimize(from: [0, 0], objective: neverCalled) } == expected)
    }

    @Test func dimensionZero() {
        #expect(throws: OptimizationError.self) { try Optimizer(algorithm: .lbfgs, dimension: 0) }
        let message = invalidArgumentsMessage { try Minimizer(algorithm: .lbfgs).minimize(from: [], objective: neverCalled) }
        #expect(message == "dimension must be at least 1, got 0")
    }

    /// NLopt 2.7.1 refuses a start outside the bounds (INVALID_ARGS, "bounds 0 fail -1 <= 2 <= 1");
    /// the wrapper refuses it first, naming the coordinate, and never clamps.
    @Test func startOutsideTheBounds() {
        let minimizer = Minimizer(algorithm: .bobyqa, lowerBounds: [-1, -1], upperBounds: [1, 1])
        let message = invalidArgumentsMessage { try minimizer.minimize(from: [0, 2], objective: neverCalled) }
        #expect(message == "start coordinate 1 = 2.0 lies outside its bounds [-1.0, 1.0]")
        // On the bound is inside.
        #expect(throws: Never.self) { try minimizer.minimize(from: [1, -1]) { x, _ in x[0] * x[0] + x[1] * x[1] } }
    }

    @Test func startNotFinite() {
        let message = invalidArgumentsMessage { try Minimizer(algorithm: .lbfgs).minimize(from: [0, .nan], objective: neverCalled) }
        #expect(message == "start coordinate 1 is nan, not a finite number")
    }
}
