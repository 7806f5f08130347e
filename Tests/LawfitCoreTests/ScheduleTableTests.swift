import LawfitCore
import Testing

/// `ScheduleTable.render`, what `lawfit schedule show` prints.
@Suite struct ScheduleTableTests {
    @Test func csvAndTable() throws {
        let s = try ConstantSchedule(peak: 1, warmup: 2, total: 4)  // rates 0, 0.5, 1, 1, 1
        #expect(try ScheduleTable.render(schedule: s, steps: ScheduleTable.steps("0:4:2"), format: .csv) ==
            "step,lr,tau\n0,0.0,0.0\n2,1.0,1.5\n4,1.0,3.5\n")
        #expect(try ScheduleTable.render(schedule: s, format: .table) == """
            # constant(peak=1, warmup=2, total=4)
            step   lr  tau
               0  0.0  0.0
               1  0.5  0.5
               2  1.0  1.5
               3  1.0  2.5
               4  1.0  3.5

            """)
        // Steps beyond the last are an error, not cut silently.
        let beyond = try #require(throws: LawfitError.self) { try ScheduleTable.render(schedule: s, steps: ScheduleTable.steps("3:9:3"), format: .csv) }
        #expect(beyond.message == "--steps 3:9:3 reaches beyond the schedule's last step 4; give TO <= 4")
        #expect(try ScheduleTable.render(schedule: s, steps: ScheduleTable.steps("3:4:3"), format: .csv) == "step,lr,tau\n3,1.0,2.5\n")
    }

    @Test("a rate that overflows is an error naming the step; a long schedule streams only what it needs")
    func rateChecks() throws {
        let overflow = try StepSchedule(peak: 1, factor: 1e300, every: 1, warmup: 0, total: 10)  // 1, 1e300, inf, ...
        let error = try #require(throws: LawfitError.self) { try ScheduleTable.render(schedule: overflow, format: .csv) }
        #expect(error.message == "schedule 'step(peak=1, factor=1e+300, every=1, warmup=0, total=10)': the rate at step 2 is inf; a learning rate must be a finite number >= 0")
        // Only steps up to the last shown are evaluated: the overflow at step 2 is not reached.
        #expect(try ScheduleTable.render(schedule: overflow, steps: ScheduleTable.steps("0:1:1"), format: .csv) == "step,lr,tau\n0,1.0,0.0\n1,1e+300,1e+300\n")
        let tau = try #require(throws: LawfitError.self) { try DenseSchedule(ConstantSchedule(peak: 1e308, warmup: 0, total: 3)).requireFiniteRates() }
        #expect(tau.message.hasSuffix("the intrinsic time (the sum of the rates) overflows to inf at step 2; the rates are too large"))
        var lines = 0
        let long = try ConstantSchedule(peak: 1, warmup: 0, total: 100_000_000)
        try ScheduleTable.write(schedule: long, steps: ScheduleTable.steps("0:2:1"), format: .csv) { _ in lines += 1 }
        #expect(lines == 4)
    }

    @Test func stepsOption() throws {
        #expect(Array(try ScheduleTable.steps("0:10:5")) == [0, 5, 10])
        #expect(Array(try ScheduleTable.steps("3:3:1")) == [3])
        for bad in ["0:10", "0:10:0", "10:0:1", "a:b:c", "0:10:2.5", "-5:10:1"] {
            let error = try #require(throws: LawfitError.self) { try ScheduleTable.steps(bad) }
            #expect(error.message == "steps must be FROM:TO:BY with whole numbers, 0 <= FROM <= TO and BY > 0 (e.g. 0:24000:1000), got '\(bad)'")
        }
    }
}
