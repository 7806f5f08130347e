import LawfitCore
import Testing

/// `ScheduleTable.render`, what `lawfit schedule show` prints.
@Suite struct ScheduleTableTests {
    @Test func csvAndTable() throws {
        let s = try ConstantSchedule(peak: 1, warmup: 2, total: 4)  // rates 0, 0.5, 1, 1, 1
        #expect(ScheduleTable.render(schedule: s, steps: stride(from: 0, through: 4, by: 2), format: .csv) ==
            "step,lr,tau\n0,0.0,0.0\n2,1.0,1.5\n4,1.0,3.5\n")
        #expect(ScheduleTable.render(schedule: s, format: .table) == """
            # constant(peak=1, warmup=2, total=4)
            step   lr  tau
               0  0.0  0.0
               1  0.5  0.5
               2  1.0  1.5
               3  1.0  2.5
               4  1.0  3.5

            """)
        // Steps outside 0...total are left out.
        #expect(ScheduleTable.render(schedule: s, steps: stride(from: 3, through: 9, by: 3), format: .csv) == "step,lr,tau\n3,1.0,2.5\n")
    }

    @Test func stepsOption() throws {
        #expect(Array(try ScheduleTable.steps("0:10:5")) == [0, 5, 10])
        #expect(Array(try ScheduleTable.steps("3:3:1")) == [3])
        for bad in ["0:10", "0:10:0", "10:0:1", "a:b:c", "0:10:2.5"] {
            let error = try #require(throws: LawfitError.self) { try ScheduleTable.steps(bad) }
            #expect(error.message == "steps must be FROM:TO:BY with whole numbers, FROM <= TO and BY > 0 (e.g. 0:24000:1000), got '\(bad)'")
        }
    }
}
