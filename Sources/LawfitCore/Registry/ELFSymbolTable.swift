import Foundation

/// The dynamic symbol table of an ELF shared library, read from the file without loading it.
///
/// ``DynamicPluginLoader`` reads it before `dlopen`, so that a file which is not a 64-bit ELF shared
/// library, or which lacks the plugin's entry points or exports them as data rather than functions,
/// is refused before any of its code (constructors included) runs. Only what the loader needs is read:
/// the ELF header, the section headers, `.dynsym` and its string table (ELF-64 Object File Format,
/// version 1.5, sections 2-5), every offset and size checked against the file size.
struct ELFSymbolTable {
    /// What a defined dynamic symbol is (`STT_*` of its `st_info`).
    enum Kind: Equatable {
        case function
        case data
        case other(UInt8)
    }

    /// Defined (not undefined) global or weak dynamic symbols by name.
    private(set) var symbols: [String: Kind] = [:]

    /// Reads `path`. - Throws: ``LawfitError`` (input) at `location`, naming what the file is instead.
    init(path: String, location: SourceLocation) throws {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw LawfitError.input("cannot read the plugin file", at: location)
        }
        defer { try? file.close() }
        let size = try file.seekToEnd()
        func read(_ offset: UInt64, _ count: UInt64) throws -> [UInt8] {
            guard count <= 1 << 30, offset <= size, count <= size - offset else {
                throw LawfitError.input("not a plugin library: a truncated or malformed ELF file", at: location)
            }
            try file.seek(toOffset: offset)
            let bytes = [UInt8](try file.read(upToCount: Int(count)) ?? Data())
            guard bytes.count == Int(count) else {
                throw LawfitError.input("not a plugin library: a truncated ELF file", at: location)
            }
            return bytes
        }
        guard size >= 64 else { throw LawfitError.input("not a plugin library: the file is too short to be an ELF shared library", at: location) }
        let header = try read(0, 64)
        guard header[0..<4] == [0x7F, 0x45, 0x4C, 0x46] else {
            throw LawfitError.input("not a plugin library: the file is not an ELF shared library (no ELF header)", at: location)
        }
        guard header[4] == 2, header[5] == 1 else {
            throw LawfitError.input("not a plugin library: only 64-bit little-endian ELF libraries can be loaded", at: location)
        }
        guard Self.integer(header, 16, 2) == 3 else {
            throw LawfitError.input("not a plugin library: the ELF file is not a shared library (ET_DYN)", at: location)
        }
        let sectionOffset = Self.integer(header, 40, 8)
        let entrySize = Self.integer(header, 58, 2), sectionCount = Self.integer(header, 60, 2)
        guard entrySize >= 64, sectionCount > 0 else {
            throw LawfitError.input("not a plugin library: the ELF file has no section table", at: location)
        }
        let sections = try read(sectionOffset, entrySize * sectionCount)
        func field(_ section: UInt64, _ offset: Int, _ width: Int) -> UInt64 {
            Self.integer(sections, Int(section * entrySize) + offset, width)
        }
        for section in 0..<sectionCount where field(section, 4, 4) == 11 {  // SHT_DYNSYM
            let link = field(section, 40, 4)
            guard link < sectionCount else { continue }
            let table = try read(field(section, 24, 8), field(section, 32, 8))
            let strings = try read(field(link, 24, 8), field(link, 32, 8))
            for start in stride(from: 0, through: table.count - 24, by: 24) {
                let nameOffset = Int(Self.integer(table, start, 4))
                let info = table[start + 4], sectionIndex = Self.integer(table, start + 6, 2)
                guard sectionIndex != 0, [1, 2].contains(info >> 4), nameOffset < strings.count else { continue }
                let name = String(decoding: strings[nameOffset...].prefix { $0 != 0 }, as: UTF8.self)
                switch info & 0xF {
                case 2, 10: symbols[name] = .function  // STT_FUNC, STT_GNU_IFUNC
                case 1: symbols[name] = .data  // STT_OBJECT
                case let other: symbols[name] = .other(other)
                }
            }
        }
    }

    /// The little-endian unsigned integer of `width` bytes at `offset`.
    private static func integer(_ bytes: [UInt8], _ offset: Int, _ width: Int) -> UInt64 {
        (0..<width).reduce(UInt64(0)) { value, i in value | UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
    }
}
