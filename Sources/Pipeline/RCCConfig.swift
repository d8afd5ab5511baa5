import Foundation
import RCCCore
import Yams

/// Settings from a configuration file (`rcc.yaml`), so that a server's scheduled `rcc inbox` (and any
/// `rcc ingest`) need not carry them on the command line. Command-line flags override the file.
///
/// ```yaml
/// inbox: /srv/rcc/inbox
/// warehouse: /var/lib/rcc/warehouse.sqlite     # or postgres://rcc@db.region.internal:5432/rcc
/// key_file: /etc/rcc/region.key                # never the key itself
/// profile: full
/// schemas: /usr/local/share/rcc/schemas
/// settle_seconds: 60
/// run_dir: /var/lib/rcc/runs                   # each run gets its own folder RUN-ID/ under it
/// limits: {max_expansion_ratio: 200, max_total_bytes: 8589934592, max_field_bytes: 1048576}
/// ```
///
/// Relative paths are read from the file's own folder. A key the file does not know is an error that
/// names it: a misspelt setting must not be silently ignored.
public struct RCCConfig: Sendable, Equatable {
    /// The file the settings came from; nil when there is none.
    public var file: String?
    public var inbox: String?
    public var warehouse: String?
    public var keyFile: String?
    public var profile: String?
    public var schemas: String?
    public var settleSeconds: Double?
    /// The folder under which each run gets its own folder (`RUN-ID/`: quarantined rows, summary).
    public var runDir: String?
    /// The reference data folder (`reference:`): previous years' returns the DfE rules compare with.
    public var reference: String?
    public var maxExpansionRatio: Double?
    public var maxTotalBytes: Int64?
    public var maxFieldBytes: Int?

    public init(file: String? = nil) { self.file = file }

    /// The environment variable naming a configuration file.
    public static let environmentVariable = "RCC_CONFIG"
    /// Where a configuration file is looked for when neither `--config` nor `RCC_CONFIG` names one.
    public static let defaultFiles = ["rcc.yaml", "/etc/rcc/rcc.yaml"]
    public static let keys = ["inbox", "warehouse", "key_file", "profile", "schemas", "settle_seconds", "run_dir", "reference", "limits"]
    public static let limitKeys = ["max_expansion_ratio", "max_total_bytes", "max_field_bytes"]

    /// The configuration file to read: `--config FILE`, else `RCC_CONFIG`, else `./rcc.yaml`, else
    /// `/etc/rcc/rcc.yaml`; nil when none of the last two exists. A file named by the option or the
    /// environment must exist.
    public static func locate(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let option {
            guard FileManager.default.fileExists(atPath: option) else {
                throw RCCError(.usage, "config file \(option) (given with --config) does not exist")
            }
            return option
        }
        if let named = environment[environmentVariable], !named.isEmpty {
            guard FileManager.default.fileExists(atPath: named) else {
                throw RCCError(.usage, "config file \(named) (named by \(environmentVariable)) does not exist")
            }
            return named
        }
        return defaultFiles.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The settings to use: those of the file `locate` finds, or none.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RCCConfig {
        guard let file = try locate(option: option, environment: environment) else { return RCCConfig() }
        return try load(file: file)
    }

    public static func load(file: String) throws -> RCCConfig {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RCCError(.usage, "config file \(file) cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: file)
    }

    /// Reads the text of a configuration file; `file` names it in messages and anchors relative paths.
    public static func parse(_ text: String, file: String) throws -> RCCConfig {
        var config = RCCConfig(file: file)
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw RCCError(.usage, "config file \(file) is not valid YAML (\(Self.yamlProblem(error)))")
        }
        guard let node else { return config }   // an empty file sets nothing
        guard let mapping = node.mapping else {
            throw RCCError(.usage, "config file \(file) must be a mapping of settings (inbox: …, warehouse: …)")
        }
        let folder = (file as NSString).deletingLastPathComponent
        func path(_ value: String) -> String {
            value.hasPrefix("/") || value.contains("://") || folder.isEmpty ? value : (folder as NSString).appendingPathComponent(value)
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? "\(keyNode)"
            if key == "key" {
                throw RCCError(.usage, "config file \(file) holds `key`: the pseudonymisation key never goes in a config file; "
                    + "keep it in a file of its own (mode 0600, made by `rcc keygen --out FILE`) and give `key_file: FILE`")
            }
            if value.null != nil { continue }   // `profile:` with nothing after it sets nothing
            switch key {
            case "inbox": config.inbox = path(try string(value, key, file))
            case "warehouse": config.warehouse = path(try string(value, key, file))
            case "key_file": config.keyFile = path(try string(value, key, file))
            case "profile": config.profile = try string(value, key, file)
            case "schemas": config.schemas = path(try string(value, key, file))
            case "run_dir": config.runDir = path(try string(value, key, file))
            case "reference": config.reference = path(try string(value, key, file))
            case "settle_seconds":
                guard let seconds = value.scalar.flatMap({ Double($0.string) }), seconds >= 0, seconds.isFinite else {
                    throw RCCError(.usage, "config file \(file): settle_seconds takes a number of seconds, e.g. 60")
                }
                config.settleSeconds = seconds
            case "limits":
                guard let limits = value.mapping else {
                    throw RCCError(.usage, "config file \(file): limits takes a mapping of \(limitKeys.joined(separator: ", "))")
                }
                for (limitKeyNode, limit) in limits {
                    let limitKey = limitKeyNode.string ?? "\(limitKeyNode)"
                    let text = limit.scalar?.string ?? ""
                    switch limitKey {
                    case "max_expansion_ratio":
                        guard let ratio = Double(text), ratio > 0, ratio.isFinite else {
                            throw RCCError(.usage, "config file \(file): limits.max_expansion_ratio takes a number, e.g. 200")
                        }
                        config.maxExpansionRatio = ratio
                    case "max_total_bytes":
                        guard let bytes = Int64(text), bytes > 0 else {
                            throw RCCError(.usage, "config file \(file): limits.max_total_bytes takes a whole number of bytes, e.g. 8589934592")
                        }
                        config.maxTotalBytes = bytes
                    case "max_field_bytes":
                        guard let bytes = Int(text), bytes > 0 else {
                            throw RCCError(.usage, "config file \(file): limits.max_field_bytes takes a whole number of bytes, e.g. 1048576")
                        }
                        config.maxFieldBytes = bytes
                    default:
                        throw RCCError(.usage, "config file \(file): unknown key `limits.\(limitKey)` (limits takes "
                            + limitKeys.joined(separator: ", ") + ")")
                    }
                }
            default:
                throw RCCError(.usage, "config file \(file): unknown key `\(key)` (known keys: \(keys.joined(separator: ", ")))")
            }
        }
        return config
    }

    private static func string(_ node: Node, _ key: String, _ file: String) throws -> String {
        guard let scalar = node.scalar, !scalar.string.isEmpty else {
            throw RCCError(.usage, "config file \(file): \(key) takes a single value")
        }
        return scalar.string
    }

    /// Where a YAML error is, without quoting the text (a config file should hold no secrets, but say little).
    private static func yamlProblem(_ error: any Error) -> String {
        if let error = error as? YamlError, case .scanner(_, let problem, let mark, _) = error {
            return "\(problem) at line \(mark.line)"
        }
        if let error = error as? YamlError, case .parser(_, let problem, let mark, _) = error {
            return "\(problem) at line \(mark.line)"
        }
        return "it does not parse"
    }
}
