import ArgumentParser
import Extract
import Foundation
import Pipeline
import RCCCore
import Transform

/// Settings a command takes from its flags, the environment and the configuration file (`rcc.yaml`),
/// in that order of precedence: a flag overrides the environment (`RCC_KEY`, `RCC_SCHEMAS`), which
/// overrides the file.
extension RCCConfig {
    /// The configuration file's settings (none when there is no file); a problem with the file ends rcc
    /// with status 64, naming the file and what is wrong.
    static func forCommand(_ option: String?) throws -> RCCConfig {
        do { return try RCCConfig.resolve(option: option) } catch {
            printError("rcc: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
    }

    /// Whether a key can be had at all: `--key-file`, `RCC_KEY` or `key_file` in the file.
    func hasKey(flag: String?) -> Bool {
        flag != nil || ProcessInfo.processInfo.environment[PseudonymKey.environmentVariable] != nil || keyFile != nil
    }

    /// The key from `--key-file`, else `RCC_KEY`, else the file's `key_file`.
    func key(flag: String?) throws -> PseudonymKey {
        if let flag { return try PseudonymKey.load(file: flag) }
        if let key = try PseudonymKey.fromEnvironment() { return key }
        if let keyFile { return try PseudonymKey.load(file: keyFile) }
        throw RCCError(.key, "no pseudonymisation key: \(PseudonymKey.howToMakeOne)")
    }

    /// The schemas folder: `--schemas`, else `RCC_SCHEMAS`, else the file's `schemas`, else where `SchemaLocator` finds one.
    func schemasFolder(flag: String?) -> String {
        if flag == nil, ProcessInfo.processInfo.environment["RCC_SCHEMAS"] == nil, let schemas { return schemas }
        return SchemaLocator.locate(flag)
    }

    func limits(maxExpansionRatio: Double?, maxTotalBytes: Int64?, maxFieldBytes: Int?) -> ExtractionLimits {
        ExtractionLimits(maxExpansionRatio: maxExpansionRatio ?? self.maxExpansionRatio ?? ExtractionLimits.default.maxExpansionRatio,
                         maxTotalBytes: maxTotalBytes ?? self.maxTotalBytes ?? ExtractionLimits.default.maxTotalBytes,
                         maxFieldBytes: maxFieldBytes ?? self.maxFieldBytes ?? ExtractionLimits.default.maxFieldBytes)
    }

    /// `(from FILE)` after a setting the file gave, for messages.
    func origin(_ fromFlag: Bool) -> String {
        fromFlag ? "" : file.map { " (from \($0))" } ?? ""
    }
}

/// The extraction limits every command that reads returns takes; a flag overrides `limits` in rcc.yaml,
/// which overrides the defaults.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-expansion-ratio"), help: "Refuse an archive member or gzip stream that inflates more than this many times its size (default: \(Int(ExtractionLimits.default.maxExpansionRatio)), or limits in rcc.yaml).")
    var maxExpansionRatio: Double?

    @Option(name: .customLong("max-total-bytes"), help: "Refuse an input file that inflates to more than this many bytes in all (default: \(ExtractionLimits.default.maxTotalBytes)).")
    var maxTotalBytes: Int64?

    @Option(name: .customLong("max-field-bytes"), help: "Refuse a delimited file with a field longer than this many bytes (default: \(ExtractionLimits.default.maxFieldBytes)).")
    var maxFieldBytes: Int?

    func resolved(_ settings: RCCConfig?) -> ExtractionLimits {
        settings?.limits(maxExpansionRatio: maxExpansionRatio, maxTotalBytes: maxTotalBytes, maxFieldBytes: maxFieldBytes)
            ?? ExtractionLimits(maxExpansionRatio: maxExpansionRatio ?? ExtractionLimits.default.maxExpansionRatio,
                                maxTotalBytes: maxTotalBytes ?? ExtractionLimits.default.maxTotalBytes,
                                maxFieldBytes: maxFieldBytes ?? ExtractionLimits.default.maxFieldBytes)
    }
}

/// Which return every input belongs to, when folders and file names do not say (or say it wrongly).
struct IdentityOptions: ParsableArguments {
    @Option(help: "The LA code (three digits) of every input, overriding folder names.")
    var la: String?

    @Option(help: "The collection year (the year it ends: 2025 for 2024-25) of every input.")
    var year: Int?

    @Option(help: "The collection of every input (ssda903, cin, ssd); a source holding another collection's tables is refused.")
    var collection: String?

    func validate() throws {
        if let la, la.count != 3 || !la.allSatisfy(\.isNumber) {
            throw ValidationError("--la takes a three-digit LA code, e.g. 352")
        }
        if let year, !(2000...2099).contains(year) {
            throw ValidationError("--year takes the year a collection ends, e.g. 2025 for 2024-25")
        }
    }
}
