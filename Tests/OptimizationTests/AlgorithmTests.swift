import Optimization
import Testing

/// Algorithm names, properties and the list this NLopt build offers.
@Suite struct AlgorithmTests {
    @Test func namesAreCaseInsensitive() throws {
        let lower = try Algorithm("ld_lbfgs")
        #expect(lower.name == "LD_LBFGS")
        #expect(lower == .lbfgs)
        #expect(try Algorithm("Gn_Crs2_Lm") == .crs2)
        #expect(lower.summary == "Limited-memory BFGS (L-BFGS) (local, derivative-based)")
    }

    @Test func availableMatchesDebiansBuild() {
        let available = Algorithm.available
        #expect(available.contains("LD_LBFGS"))
        for name in ["LN_BOBYQA", "LN_NELDERMEAD", "LN_SBPLX", "GN_CRS2_LM", "GN_ISRES", "G_MLSL_LDS", "LD_SLSQP"] {
            #expect(available.contains(name), "\(name)")
        }
        // NLopt 2.7.1 names 44 algorithms; Debian builds it without StoGO (2), Nocedal's L-BFGS and AGS.
        for name in ["GD_STOGO", "GD_STOGO_RAND", "LD_LBFGS_NOCEDAL", "GN_AGS"] {
            #expect(!available.contains(name), "\(name)")
        }
        #expect(available.count == 40)
        #expect(Set(available).count == available.count)
        // Every name listed can be made.
        #expect(available.allSatisfy { (try? Algorithm($0)) != nil })
    }

    @Test func properties() throws {
        #expect(Algorithm.lbfgs.usesGradient && !Algorithm.lbfgs.isGlobal)
        #expect(!Algorithm.bobyqa.usesGradient && !Algorithm.bobyqa.isGlobal)
        #expect(Algorithm.crs2.isGlobal && !Algorithm.crs2.usesGradient)
        #expect(Algorithm.mlslLDS.isGlobal && Algorithm.mlslLDS.needsLocalOptimizer)
        #expect(try Algorithm("GD_MLSL_LDS").usesGradient)
        #expect(!Algorithm.isres.needsLocalOptimizer)
    }
}
