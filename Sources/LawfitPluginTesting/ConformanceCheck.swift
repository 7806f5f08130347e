import LawfitCore

/// The outcome of one conformance check of a registered law, schedule or kernel.
public struct ConformanceCheck: Sendable, Equatable, CustomStringConvertible {
    /// What was checked, as `kind name` (`schedule rex`, `law my-law`).
    public var subject: String
    /// The property checked (`rates finite and >= 0`).
    public var property: String
    /// What was exercised when it passed, or why it failed.
    public var detail: String
    public var passed: Bool
    // Made by the checks only: Swift's memberwise init (internal) serves them.

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
        checks.append(ConformanceCheck(subject: subject, property: property, detail: detail, passed: true))
    }

    mutating func fail(_ property: String, _ detail: String) {
        checks.append(ConformanceCheck(subject: subject, property: property, detail: detail, passed: false))
    }

    /// Records `property` as passed with `detail`, or failed with the message `body` throws.
    mutating func check(_ property: String, _ body: () throws -> String) {
        do { pass(property, try body()) } catch { fail(property, "\(error)") }
    }

    /// The checks of `factory`, a `kind` (`schedule`, `kernel`), so far: whether it has an example
    /// spec and whether `parse` parses it, and what it parses to (`nil` when either fails: the
    /// factory's entries cannot then be exercised).
    ///
    /// - Parameters:
    ///   - factoryType: the factory's type name, for the hint (`ScheduleFactory`, ...).
    ///   - entries: what the factory makes, plural (`schedules`, ...).
    static func parsingExample<Entry>(
        of factory: SpecFactory<Entry>, kind: String, factoryType: String, entries: String, _ parse: (String) throws -> Entry
    ) -> (list: CheckList, entry: Entry?) {
        var list = CheckList(subject: "\(kind) \(factory.name)")
        let entry = list.parseExample(factory.example, of: factory.name, factoryType: factoryType, entries: entries, parse)
        return (list, entry)
    }

    private mutating func parseExample<Entry>(
        _ example: String?, of factoryName: String, factoryType: String, entries: String, _ parse: (String) throws -> Entry
    ) -> Entry? {
        guard let example else {
            fail("example spec", "the factory gives no example (\(factoryType)(..., example: \"\(factoryName)(...)\")), so its \(entries) cannot be exercised")
            return nil
        }
        do {
            let entry = try parse(example)
            pass("example spec parses", example)
            return entry
        } catch {
            fail("example spec parses", "\(example): \(error)")
            return nil
        }
    }
}

/// A failed check's reason, thrown inside ``CheckList/check(_:_:)``.
struct CheckFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
