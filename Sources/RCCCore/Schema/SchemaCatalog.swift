import Crypto
import Foundation
import Yams

/// Everything in `schemas/`, loaded and cross-checked once per run: input specs, code lists,
/// rules, the regional schema and the mappings to it.
public struct SchemaCatalog: Sendable {
    public let root: String
    public let inputs: [InputSpec]
    public let codeLists: [String: CodeList]
    public let rules: [RuleSpec]
    /// Values several Swift rules read (a definition in the DfE's guidance they share, such as who has been
    /// looked after continuously for 12 months): the `parameters:` of a rule file with no `rules:`.
    public let sharedRuleParameters: [String: RuleParameter]
    /// Conditions in the rule language named once and used by name in rules' `check` and `applies`
    /// (`conditions:` of a rule file): `uasc_last_year: coalesce(last(ssda903.header.UASC), '') == '1' or …`.
    public let conditions: [String: String]
    /// The regional tables the profile keeps, each with the columns it keeps: what the warehouse holds.
    public let regionalTables: [RegionalTable]
    /// Every regional table and column, whatever the profile (what the DPO report lists as left out).
    public let allRegionalTables: [RegionalTable]
    /// The mappings into what the profile keeps.
    public let mappings: [Mapping]
    /// Analyst views (`views/NAME.sql`), by name, in name order: SQL both warehouses run. Only views
    /// whose tables and columns the profile keeps.
    public let views: [(name: String, sql: String)]
    /// Views left out because they read what the profile leaves out.
    public let viewsLeftOut: [String]
    /// The DfE's rules per collection (`rules/dfe/`), as reference data for coverage.
    public let dfeRules: [String: DfERuleCatalogue]
    /// Use-case profiles (`regional/profiles/`), by id.
    public let profiles: [String: Profile]
    /// The profile this catalog is cut to (`full` unless `applying(profile:)` chose another).
    public let profile: Profile
    /// A digest of every schema file: the schema version recorded with each load.
    public let version: String

    /// Every mapping and view, before the profile cut them.
    private let allMappings: [Mapping]
    private let uncutViews: [(name: String, sql: String)]

    private init(root: String, inputs: [InputSpec], codeLists: [String: CodeList], rules: [RuleSpec],
                 sharedRuleParameters: [String: RuleParameter], conditions: [String: String], allRegionalTables: [RegionalTable], allMappings: [Mapping], uncutViews: [(name: String, sql: String)],
                 profiles: [String: Profile], profile: Profile, version: String, dfeRules: [String: DfERuleCatalogue]) {
        self.root = root; self.inputs = inputs; self.codeLists = codeLists; self.rules = rules; self.dfeRules = dfeRules
        self.sharedRuleParameters = sharedRuleParameters
        self.conditions = conditions
        self.allRegionalTables = allRegionalTables; self.allMappings = allMappings; self.uncutViews = uncutViews
        self.profiles = profiles; self.profile = profile; self.version = version
        regionalTables = allRegionalTables.filter { profile.keeps(table: $0.table) }.map { table in
            var kept = table
            kept.columns = table.columns.filter { profile.keeps(table: table.table, column: $0.name) }
            kept.indexes = table.indexes?.filter { $0.allSatisfy { profile.keeps(table: table.table, column: $0) } }
            return kept
        }
        mappings = allMappings.filter { profile.keeps(table: $0.target) }.map { mapping in
            var kept = mapping
            kept.columns = mapping.columns.filter { profile.keeps(table: mapping.target, column: $0.column) }
            return kept
        }
        var views: [(name: String, sql: String)] = []
        var leftOut: [String] = []
        for view in uncutViews {
            if Self.viewNeeds(view.sql, tables: allRegionalTables).allSatisfy({ profile.keeps(table: $0.table, column: $0.column) }) {
                views.append(view)
            } else {
                leftOut.append(view.name)
            }
        }
        self.views = views
        viewsLeftOut = leftOut
    }

    /// The built-in profile when `regional/profiles/full.yaml` is absent: everything.
    static let fullProfile = Profile(id: Profile.defaultID, title: "Everything",
                                     description: "Every table and column of the regional schema.", tables: .all)

    public func input(_ id: String) -> InputSpec? { inputs.first { $0.id == id } }
    public func regionalTable(_ name: String) -> RegionalTable? { regionalTables.first { $0.table == name } }
    public func mappings(from source: String) -> [Mapping] { mappings.filter { $0.source == source } }
    public func rules(for table: String) -> [RuleSpec] { rules.filter { $0.table == table } }

    /// Tables whose loaded rows other tables refer to (by foreign key or an `exists-in` rule):
    /// only their keys need keeping while a return loads.
    public var referencedTables: Set<String> {
        Set(inputs.flatMap { $0.foreignKeys?.map(\.reference.table) ?? [] } + rules.compactMap { $0.reference?.table })
    }

    /// Loads `schemas/` from `root`, failing with the file and what is wrong in it.
    public static func load(from root: String) throws -> SchemaCatalog {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw RCCError(.schema, "schemas folder not found: \(root) (give it with --schemas DIR)")
        }
        var hasher = SHA256()

        func files(_ sub: String) throws -> [String] {
            let dir = (root as NSString).appendingPathComponent(sub)
            guard let walker = fm.enumerator(atPath: dir) else { return [] }
            var found: [String] = []
            for case let rel as String in walker where rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") {
                found.append((dir as NSString).appendingPathComponent(rel))
            }
            return found.sorted()
        }
        // rules/dfe/ holds the DfE's own rule list, reference data rather than rules to run.
        let dfeFolder = (root as NSString).appendingPathComponent("rules/dfe") + "/"
        // Every file is read and hashed in this order (the schema version depends on it), then all are
        // decoded at once across the cores: decoding (Yams) is nearly all of a catalog's load time.
        var pending: [(path: String, kind: SchemaFile.Kind, text: String)] = []
        for (sub, kind) in [("inputs", SchemaFile.Kind.input), ("codes", .codeList), ("rules", .rules), ("rules/dfe", .dfeRules),
                            ("regional/tables", .table), ("regional/mappings", .mapping), ("regional/profiles", .profile)] {
            for path in try files(sub) where kind != .rules || !path.hasPrefix(dfeFolder) {
                guard let data = fm.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    throw RCCError(.schema, "cannot read schema file \(path)")
                }
                hasher.update(data: Data(path.dropFirst(root.count).utf8))
                hasher.update(data: data)
                pending.append((path, kind, text))
            }
        }
        let decoded = SchemaFile.decodeAll(pending.map { ($0.kind, $0.text) })
        var inputs: [InputSpec] = [], codeLists: [String: CodeList] = [:], rules: [RuleSpec] = []
        var shared: [String: RuleParameter] = [:], conditions: [String: String] = [:], dfeRules: [String: DfERuleCatalogue] = [:]
        var tables: [RegionalTable] = [], mappings: [Mapping] = [], profiles: [String: Profile] = [:]
        for (file, result) in zip(pending, decoded) {
            let path = file.path
            let content: SchemaFile
            do {
                content = try result.get()
            } catch {
                throw RCCError(.schema, "schema file \(path) is not valid: \(error)")
            }
            switch content {
            case .input(let input):
                inputs.append(input)
            case .codeList(let list):
                guard codeLists[list.id] == nil else {
                    throw RCCError(.schema, "code list \(list.id) is defined twice (second in \(path))")
                }
                codeLists[list.id] = list
            case .rules(let file):
                rules += file.rules ?? []
                for (name, value) in file.parameters ?? [:] {
                    guard shared.updateValue(value, forKey: name) == nil else {
                        throw RCCError(.schema, "shared rule parameter \(name) is given twice (second in \(path))")
                    }
                }
                for (name, text) in file.conditions ?? [:] {
                    guard conditions.updateValue(text, forKey: name) == nil else {
                        throw RCCError(.schema, "named condition \(name) is defined twice (second in \(path))")
                    }
                    if let input = inputs.first(where: { $0.index(of: name) != nil }) {
                        throw RCCError(.schema, "named condition \(name) (in \(path)) has the name of a field of \(input.id): name it otherwise")
                    }
                }
            case .dfeRules(let catalogue):
                dfeRules[catalogue.collection, default: DfERuleCatalogue(collection: catalogue.collection, source: catalogue.source, rules: [])]
                    .rules += catalogue.rules
            case .table(let table):
                tables.append(table)
            case .mapping(let mapping):
                mappings.append(mapping)
            case .profile(let profile):
                guard profiles[profile.id] == nil else {
                    throw RCCError(.schema, "profile \(profile.id) is defined twice (second in \(path))")
                }
                profiles[profile.id] = profile
            }
        }
        if profiles[Profile.defaultID] == nil { profiles[Profile.defaultID] = fullProfile }
        var views: [(name: String, sql: String)] = []
        let viewFolder = (root as NSString).appendingPathComponent("views")
        for file in ((try? fm.contentsOfDirectory(atPath: viewFolder)) ?? []).sorted() where file.hasSuffix(".sql") {
            let path = (viewFolder as NSString).appendingPathComponent(file)
            guard let data = fm.contents(atPath: path) else { throw RCCError(.schema, "cannot read view \(path)") }
            hasher.update(data: Data(file.utf8))
            hasher.update(data: data)
            let name = String(file.dropLast(4))
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw RCCError(.schema, "view file \(path): a view name takes letters, digits and underscores only")
            }
            views.append((name, String(decoding: data, as: UTF8.self)))
        }
        let digest = Hex.string(hasher.finalize())

        let catalog = SchemaCatalog(root: root, inputs: inputs, codeLists: codeLists, rules: rules,
                                    sharedRuleParameters: shared, conditions: conditions, allRegionalTables: tables, allMappings: mappings, uncutViews: views,
                                    profiles: profiles, profile: profiles[Profile.defaultID]!,
                                    version: "sha256:" + digest.prefix(16), dfeRules: dfeRules)
        try catalog.check()
        return catalog
    }

    /// This catalog cut to the profile `id`: its regional tables, columns, mappings and views are
    /// those the profile keeps. Inputs, code lists and rules stay whole (validation needs them all).
    public func applying(profile id: String) throws -> SchemaCatalog {
        guard let profile = profiles[id] else {
            throw RCCError(.usage, "no profile \"\(id)\" in \((root as NSString).appendingPathComponent("regional/profiles")) (there are: \(profiles.keys.sorted().joined(separator: ", ")))")
        }
        return SchemaCatalog(root: root, inputs: inputs, codeLists: codeLists, rules: rules,
                             sharedRuleParameters: sharedRuleParameters, conditions: conditions, allRegionalTables: allRegionalTables, allMappings: allMappings, uncutViews: uncutViews,
                             profiles: profiles, profile: profile, version: version, dfeRules: dfeRules)
    }

    /// The regional tables and columns a view's SQL names: a table by its name, a column by its name
    /// where the view also names its table. Read from the SQL's words, so it errs towards needing more.
    static func viewNeeds(_ sql: String, tables: [RegionalTable]) -> [(table: String, column: String)] {
        var words = Set<Substring>()
        var start: String.Index?
        for i in sql.indices {
            let c = sql[i]
            if c.isLetter || c.isNumber || c == "_" {
                if start == nil { start = i }
            } else if let s = start {
                words.insert(sql[s..<i].lowercased()[...])
                start = nil
            }
        }
        if let s = start { words.insert(sql[s...].lowercased()[...]) }
        var needs: [(table: String, column: String)] = []
        for table in tables where words.contains(Substring(table.table)) {
            needs.append((table.table, ""))
            for column in table.columns where words.contains(Substring(column.name)) { needs.append((table.table, column.name)) }
        }
        return needs
    }

    /// Cross-checks references between schema files so that a typo fails at start-up, not mid-load.
    func check() throws {
        var ids = Set<String>()
        for spec in inputs {
            guard ids.insert(spec.id).inserted else { throw RCCError(.schema, "input spec \(spec.id) is defined twice") }
            let names = Set(spec.fields.map(\.name))
            for field in spec.fields {
                if let list = field.codelist, codeLists[list] == nil {
                    throw RCCError(.schema, "\(spec.id).\(field.name) names unknown code list \(list)")
                }
                if field.type == .code && field.codelist == nil {
                    throw RCCError(.schema, "\(spec.id).\(field.name) is a code field without a codelist")
                }
                if let pattern = field.constraints?.pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
                    throw RCCError(.schema, "\(spec.id).\(field.name) has an invalid pattern")
                }
            }
            for key in spec.primaryKey ?? [] where !names.contains(key) {
                throw RCCError(.schema, "\(spec.id) primary key names unknown field \(key)")
            }
            if let latest = spec.latestBy, spec.fields.first(where: { $0.name == latest })?.type != .date {
                throw RCCError(.schema, "\(spec.id) latestBy must name a date field of the table (\(latest))")
            }
            for fk in spec.foreignKeys ?? [] {
                guard let target = input(fk.reference.table) else {
                    throw RCCError(.schema, "\(spec.id) foreign key references unknown table \(fk.reference.table)")
                }
                for f in fk.fields where !names.contains(f) {
                    throw RCCError(.schema, "\(spec.id) foreign key names unknown field \(f)")
                }
                for f in fk.reference.fields where target.index(of: f) == nil {
                    throw RCCError(.schema, "\(spec.id) foreign key references unknown field \(target.id).\(f)")
                }
            }
        }
        var ruleIDs = Set<String>()
        for rule in rules {
            guard ruleIDs.insert(rule.id).inserted else { throw RCCError(.schema, "rule \(rule.id) is defined twice") }
            guard let spec = input(rule.table) else {
                throw RCCError(.schema, "rule \(rule.id) names unknown table \(rule.table)")
            }
            let named = rule.fields + [rule.left, rule.right, rule.field, rule.when].compactMap { $0 }
            for f in named where spec.index(of: f) == nil {
                throw RCCError(.schema, "rule \(rule.id) names unknown field \(rule.table).\(f)")
            }
            if let ref = rule.reference, input(ref.table) == nil {
                throw RCCError(.schema, "rule \(rule.id) references unknown table \(ref.table)")
            }
            if rule.kind == .aggregate {
                guard let counts = rule.counts, !counts.isEmpty, rule.check != nil else {
                    throw RCCError(.schema, "rule \(rule.id): an aggregate rule needs `counts` and a `check` over them")
                }
                for (name, count) in counts.sorted(by: { $0.key < $1.key }) {
                    guard let table = input(count.table) else {
                        throw RCCError(.schema, "rule \(rule.id): count \(name) names unknown table \(count.table)")
                    }
                    for f in [count.distinct, count.most].compactMap({ $0 }) where table.index(of: f) == nil {
                        throw RCCError(.schema, "rule \(rule.id): count \(name) names unknown field \(count.table).\(f)")
                    }
                }
            }
        }
        for mapping in allMappings {
            guard let spec = input(mapping.source) else {
                throw RCCError(.schema, "mapping to \(mapping.target) names unknown input \(mapping.source)")
            }
            guard let table = allRegionalTables.first(where: { $0.table == mapping.target }) else {
                throw RCCError(.schema, "mapping from \(mapping.source) names unknown regional table \(mapping.target)")
            }
            for column in mapping.columns {
                guard table.columns.contains(where: { $0.name == column.column }) else {
                    throw RCCError(.schema, "mapping \(mapping.source) → \(mapping.target) fills unknown column \(column.column)")
                }
                for source in column.from {
                    let parts = source.split(separator: ".")
                    if parts.count == 1 {
                        guard spec.index(of: source) != nil else {
                            throw RCCError(.schema, "mapping \(mapping.source) → \(mapping.target) reads unknown field \(source)")
                        }
                    } else {
                        let tableID = parts.dropLast().joined(separator: ".")
                        guard let other = input(tableID), other.index(of: String(parts.last!)) != nil,
                              spec.foreignKeys?.contains(where: { $0.reference.table == tableID }) == true else {
                            throw RCCError(.schema, "mapping \(mapping.source) → \(mapping.target) reads \(source), which is not a field of a table \(mapping.source) references")
                        }
                    }
                }
            }
        }
        for profile in profiles.values.sorted(by: { $0.id < $1.id }) {
            guard case .only(let selection) = profile.tables else { continue }
            for (name, choice) in selection {
                guard let table = allRegionalTables.first(where: { $0.table == name }) else {
                    throw RCCError(.schema, "profile \(profile.id) keeps unknown regional table \(name)")
                }
                for column in choice.exclude ?? [] where !table.columns.contains(where: { $0.name == column }) {
                    throw RCCError(.schema, "profile \(profile.id) leaves out unknown column \(name).\(column)")
                }
            }
        }
        for table in allRegionalTables {
            for column in table.columns {
                if column.treatment == .pseudonymised && column.namespace == nil {
                    throw RCCError(.schema, "regional column \(table.table).\(column.name) is pseudonymised without a namespace")
                }
                if let list = column.codelist, codeLists[list] == nil {
                    throw RCCError(.schema, "regional column \(table.table).\(column.name) names unknown code list \(list)")
                }
            }
        }
    }
}
