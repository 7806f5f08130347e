/// The names a ``PluginRegistry`` accepts, so that every registered name can be used.
///
/// - A schedule or kernel name is what the spec grammar reads as a name (``ScheduleSpec``): an ASCII
///   letter or `_`, then ASCII letters, digits or `_` (`rex`, `wsd`, `one_cycle`). `rsqrt-cd` would be
///   listed but could never be written in a spec (`rsqrt(` is read up to the dash).
/// - A law name is lower-case words of ASCII letters and digits joined by single dashes, starting
///   with a letter (`chinchilla`, `multi-power`, `bnsl-2`), so that it can be given to `--law` and in
///   comma-separated lists.
public enum RegistryName {
    /// Whether `name` is a valid name for `kind` (`law`, `schedule` or `kernel`).
    public static func isValid(_ name: String, kind: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first else { return false }
        func letter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) }
        func digit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        if kind == "law" {
            let words = name.split(separator: "-", omittingEmptySubsequences: false)
            return first >= 0x61 && first <= 0x7A
                && words.allSatisfy { word in !word.isEmpty && word.utf8.allSatisfy { (c: UInt8) in (c >= 0x61 && c <= 0x7A) || digit(c) } }
        }
        return (letter(first) || first == 0x5F) && bytes.allSatisfy { letter($0) || digit($0) || $0 == 0x5F }
    }

    /// - Throws: ``LawfitError`` (input) naming the rule when `name` is not valid for `kind`.
    public static func validate(_ name: String, kind: String, origin: String) throws {
        guard !isValid(name, kind: kind) else { return }
        let rule = kind == "law"
            ? "a law name is lower-case letters and digits in words joined by single dashes, starting with a letter (e.g. multi-power)"
            : "a \(kind) name is a spec name: a letter or '_', then letters, digits or '_' (e.g. one_cycle)"
        throw LawfitError.input("cannot register the \(kind) '\(name)' from \(origin): \(rule)")
    }
}
