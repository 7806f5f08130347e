import LawfitCore
import Testing

/// Spec-string syntax and binding errors: each names what is wrong and where.
@Suite struct SpecParserTests {
    static let registry: PluginRegistry = {
        let registry = PluginRegistry()
        try! BuiltinSchedules.register(into: registry)
        return registry
    }()

    static func message(_ spec: String) throws -> String {
        let error = try #require(throws: LawfitError.self, "\(spec)") { try ScheduleSpec.parse(spec, registry: registry) }
        #expect(error.kind == .input)
        return error.message
    }

    @Test func unknownScheduleListsTheKnownOnes() throws {
        #expect(try Self.message("cosin(peak=1, total=10)") ==
            "unknown schedule 'cosin'; known schedules: constant, cosine, exponential, fork, invsqrt, linear, multistep, piecewise, step, table, twostage, warmup, wsd")
    }

    @Test func unknownParameterListsTheAcceptedOnes() throws {
        #expect(try Self.message("cosine(peak=3e-4, peek=1, total=10)") ==
            "cosine: unknown parameter 'peek' at character 19 of spec 'cosine(peak=3e-4, peek=1, total=10)'; it accepts peak, floor, warmup, total, warmup_from, warmup_shape")
    }

    @Test func missingParameterListsTheAcceptedOnes() throws {
        #expect(try Self.message("cosine(peak=3e-4)") == "cosine: missing parameter 'total'; it accepts peak, floor, warmup, total, warmup_from, warmup_shape")
        #expect(try Self.message("wsd(peak=1, total=10)").hasPrefix("wsd: missing parameter 'decay_start' (a step) or 'decay_fraction'; it accepts peak, warmup, decay_start"))
    }

    @Test func badNumberGivesItsPosition() throws {
        #expect(try Self.message("cosine(peak=3e-4x, total=10)") == "bad number '3e-4x' at character 13 of spec 'cosine(peak=3e-4x, total=10)'")
        #expect(try Self.message("constant(peak=1e999, total=10)") == "bad number '1e999' at character 15 of spec 'constant(peak=1e999, total=10)'")
        #expect(try Self.message("piecewise(0:3e-4, 8000:x, end=10)") == "bad pair '8000:x' (expected step:value, two numbers) at character 19 of spec 'piecewise(0:3e-4, 8000:x, end=10)'")
    }

    @Test func unbalancedParenthesesAndTrailingJunk() throws {
        #expect(try Self.message("cosine(peak=3e-4, total=10") == "unbalanced parentheses: the '(' at character 7 of spec 'cosine(peak=3e-4, total=10' is never closed")
        #expect(try Self.message("cosine(peak=1, total=10))") == "unbalanced parentheses: unexpected ')' at character 25 of spec 'cosine(peak=1, total=10))'")
        #expect(try Self.message("cosine(peak=1, total=10) x") == "unexpected text 'x' after the closing ')' at character 26 of spec 'cosine(peak=1, total=10) x'")
        #expect(try Self.message("cosine(peak=1 total=10)") == "expected ',' or ')', found 't' at character 15 of spec 'cosine(peak=1 total=10)'")
        #expect(try Self.message("cosine") == "expected '(' after 'cosine' (write cosine(...)) at character 7 of spec 'cosine'")
        #expect(try Self.message("  ") == "empty spec: expected a name such as cosine(peak=3e-4, total=24000) at character 3 of spec '  '")
        #expect(try Self.message("table(path=\"lr.csv)") == "unterminated quoted text at character 12 of spec 'table(path=\"lr.csv)'")
    }

    @Test func repeatedAndUnnamedValues() throws {
        #expect(try Self.message("constant(peak=1, peak=2, total=10)") == "constant: parameter 'peak' is given twice (again at character 18 of spec 'constant(peak=1, peak=2, total=10)')")
        #expect(try Self.message("cosine(3e-4, total=10)") == "cosine: unnamed value '0.0003' at character 8 of spec 'cosine(3e-4, total=10)'; name it, e.g. peak=0.0003; it accepts peak, floor, warmup, total, warmup_from, warmup_shape")
    }

    @Test func nestedSpecErrorsKeepTheirPosition() throws {
        #expect(try Self.message("warmup(steps=10, schedule=cosine(peak=1, total=1x))") == "bad number '1x' at character 48 of spec 'warmup(steps=10, schedule=cosine(peak=1, total=1x))'")
        #expect(try Self.message("warmup(steps=10, schedule=nope(a=1))") ==
            "unknown schedule 'nope'; known schedules: constant, cosine, exponential, fork, invsqrt, linear, multistep, piecewise, step, table, twostage, warmup, wsd")
    }

    @Test func wordsQuotesAndSpacing() throws {
        let s = try ScheduleSpec.parse("  wsd ( peak = 1 , decay_start = 5 , total = 10 , floor = 0.1 , shape = 1-sqrt )  ", registry: Self.registry)
        #expect(s.spec == "wsd(peak=1, warmup=0, decay_start=5, total=10, floor=0.1, shape=1-sqrt)")
        let quoted = try ScheduleSpec.parse("wsd(peak=1, decay_start=5, total=10, shape='cosine')", registry: Self.registry)
        #expect(quoted.spec.hasSuffix("shape=cosine)"))
        let path = try #require(throws: LawfitError.self) { try ScheduleSpec.parse("table(path=./a)", registry: Self.registry) }
        #expect(path.location?.file == "./a")  // read as a path (the file is missing), not a bad number
    }
}
