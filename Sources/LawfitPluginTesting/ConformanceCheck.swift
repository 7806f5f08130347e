/// The outcome of one conformance check of a registered law, schedule or kernel.
public struct ConformanceCheck: Sendable, Equatable, CustomStringConvertible {
    /// What was checked, as `kind name` (`schedule rex`, `law my-law`).
    public var subject: String
    /// The property checked (`rates finite and >= 0`).
    public var property: String
    /// What was exercised when it passed, or why it failed.
    public var detail: String
    public var passed: Bool

    public init(subject: String, property: String, passed: Bool, detail: String) {
        self.subject = subject
        self.property = property
        self.passed = passed
        self.detail = detail
    }

    /// `ok   schedule rex: rates finite and >= 0 (65 steps of rex(peak=0.0003, total=24000))`, or `FAIL ...: why`.
    public var description: String {
        passed ? "ok   \(subject): \(property) (\(detail))" : "FAIL \(subject): \(property): \(detail)"
    }
}

/// Collects the checks of one subject.
struct CheckList {
    let subject: String
    var checks: [ConformanceCheck] = []

    mutating func pass(_ property: String, _ detail: String) {
        checks.append(ConformanceCheck(subject: subject, property: property, passed: true, detail: detail))
    }

    mutating func fail(_ property: String, _ detail: String) {
        checks.append(ConformanceCheck(subject: subject, property: property, passed: false, detail: detail))
    }

    /// Records `property` as passed with `detail`, or failed with the message `body` throws.
    mutating func check(_ property: String, _ body: () throws -> String) {
        do { pass(property, try body()) } catch { fail(property, "\(error)") }
    }
}

/// A failed check's reason, thrown inside ``CheckList/check(_:_:)``.
struct CheckFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
