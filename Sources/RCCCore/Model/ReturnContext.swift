/// What one return's stages learn as its tables stream past: the keys of loaded rows (for
/// cross-table checks), key sets for uniqueness, and the few raw fields other tables look up
/// (a child's DOB, to compute ages at episode dates). Lives only for the run, in memory.
public final class ReturnContext {
    public let key: ReturnKey
    /// Per input table: which fields other tables look up, by field name.
    private let retained: [String: [String]]
    /// Tables whose loaded keys are kept (those others refer to); nil keeps every table's.
    private let referenced: Set<String>?
    /// The tables others refer to of which a row has loaded.
    public var tablesLoaded: Set<String> { Set(tables.filter(\.loaded).map(\.name)) }
    private let spillFolder: String?
    private let spillThreshold: Int?
    /// What is kept of each table, and each uniqueness rule's keys (by the rule's id), found by looking
    /// through a few names: every row registers, and every cross-table rule and look-up reads, by name, and
    /// hashing the name each time (several times a row) cost more than the look-up of the key itself.
    private var tables: [Table] = []
    private var scopes: [(name: String, keys: KeySet)] = []

    /// What is kept of one table's loaded rows.
    private final class Table {
        let name: String
        /// Whether its loaded rows' keys are kept at all (`keepsKeys(of:)`).
        let kept: Bool
        /// Its fields other tables look up (nil: none), and where they sit in its rows (when first registered).
        let retained: [String]?
        var retainedIndexes: [Int?]?
        /// Its loaded rows' keys: in `lookup` with the retained fields where it has any, else in `keys`.
        var keys: KeySet?
        var lookup: LookupStore?
        var loaded = false

        init(name: String, kept: Bool, retained: [String]?) {
            self.name = name
            self.kept = kept
            self.retained = retained
        }
    }
    /// The same LA's return of the year before, when it was supplied (`--reference DIR`).
    public var previousYear: PreviousReturn?
    /// The postcodes of the ONS Postcode Directory the return names, when it was supplied.
    public var postcodes: PostcodeDirectory?
    /// Ofsted's list of providers, when it was supplied.
    public var providers: ProviderList?

    /// The reference data supplied for the return (`previous-year`, `postcodes`, `ofsted`): the rules needing it may run.
    public var references: Set<String> {
        var supplied: Set<String> = []
        if previousYear != nil { supplied.insert("previous-year") }
        if postcodes != nil { supplied.insert("postcodes") }
        if providers != nil { supplied.insert("ofsted") }
        return supplied
    }

    /// - Parameters:
    ///   - spillFolder: the run's private folder, where retained raw values may go past a threshold.
    ///   - spillThreshold: past how many keys or rows a key set or store spills; the stores' own when nil.
    public init(key: ReturnKey, retainedFields: [String: [String]] = [:], referencedTables: Set<String>? = nil,
                spillFolder: String? = nil, spillThreshold: Int? = nil) {
        self.key = key
        self.spillFolder = spillFolder
        self.spillThreshold = spillThreshold
        self.retained = retainedFields
        self.referenced = referencedTables
    }

    /// Lets go of what the row checks kept (key sets, looked-up values) once every row of the return has been
    /// checked: the rules that run after them (sequence and whole-return rules) do not read it, and for a
    /// large return it is tens of megabytes.
    public func rowChecksDone() {
        for table in tables {
            table.keys = nil
            table.lookup = nil
        }
        scopes = []
    }

    /// What is kept of `name`, made when first asked for.
    private func table(_ name: String) -> Table {
        if let known = existing(name) { return known }
        let table = Table(name: name, kept: keepsKeys(of: name), retained: retained[name])
        tables.append(table)
        return table
    }

    /// What is kept of `name`, if it was asked for before (its stores are gone after `rowChecksDone`).
    private func existing(_ name: String) -> Table? {
        for i in tables.indices where tables[i].name == name { return tables[i] }
        return nil
    }

    private func newKeySet() -> KeySet {
        spillThreshold.map { KeySet(threshold: $0, folder: spillFolder) } ?? KeySet(folder: spillFolder)
    }

    /// Whether a row of `table` has loaded (and `table` is one others refer to): `tablesLoaded`, asked of one
    /// table, as the `returned()` function does for every row.
    public func hasLoaded(_ table: String) -> Bool { existing(table)?.loaded ?? false }

    /// Whether loaded rows of `table` need registering at all.
    public func keepsKeys(of table: String) -> Bool { referenced?.contains(table) ?? true }

    /// Records a loaded row's key (its primary key fields) and the fields others look up. A table with
    /// looked-up fields keeps its keys in that store alone: whether a child is in the header and its DOB
    /// are then one read, not one in each of two stores (past the spill threshold, each a `pread`).
    public func registerLoaded(table name: String, key: [String?], record: Record, spec: InputSpec) {
        registerLoaded(table: name, key: KeyHash(key), record: record, spec: spec)
    }

    /// The same, by the key's digest (made by the caller from the row's cells, with no list of them).
    public func registerLoaded(table name: String, key hash: KeyHash, record: Record, spec: InputSpec) {
        let table = table(name)
        guard table.kept else { return }
        table.loaded = true
        if let fields = table.retained {
            let indexes = table.retainedIndexes ?? fields.map { spec.index(of: $0) }
            table.retainedIndexes = indexes
            let values = indexes.map { index in index.flatMap { record.cells[$0] } }
            let store = table.lookup ?? spillThreshold.map { LookupStore(width: fields.count, spillFolder: spillFolder, threshold: $0) }
                ?? LookupStore(width: fields.count, spillFolder: spillFolder)
            table.lookup = store
            store.set(hash, values)
        } else {
            let keys = table.keys ?? newKeySet()
            table.keys = keys
            _ = keys.insert(hash)
        }
    }

    public func isLoaded(table name: String, key: [String?]) -> Bool { isLoaded(table: name, key: KeyHash(key)) }

    /// The same, by the key's digest.
    public func isLoaded(table name: String, key hash: KeyHash) -> Bool {
        guard let table = existing(name) else { return false }
        if let store = table.lookup { return store.contains(hash) }
        return table.keys?.contains(hash) ?? false
    }

    /// A retained field of a loaded row of `table`, found by that row's key.
    public func lookup(table: String, key: [String?], field: String) -> String? {
        lookup(table: table, key: KeyHash(key), field: field)
    }

    /// The same, by the key's digest.
    public func lookup(table name: String, key: KeyHash, field: String) -> String? {
        guard let table = existing(name), let index = table.retained?.firstIndex(of: field) else { return nil }
        return table.lookup?.get(key, field: index)
    }

    /// Whether `key` (the digest of a row's key fields) was already seen under `scope` (a uniqueness rule);
    /// records it if not.
    public func firstSighting(scope: String, key: KeyHash) -> Bool {
        for i in scopes.indices where scopes[i].name == scope { return scopes[i].keys.insert(key) }
        let keys = newKeySet()
        scopes.append((scope, keys))
        return keys.insert(key)
    }
}
