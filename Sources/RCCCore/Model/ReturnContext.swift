/// What one return's stages learn as its tables stream past: the keys of loaded rows (for
/// cross-table checks), key sets for uniqueness, and the few raw fields other tables look up
/// (a child's DOB, to compute ages at episode dates). Lives only for the run, in memory.
public final class ReturnContext {
    public let key: ReturnKey
    /// Per input table: which fields other tables look up, by field name.
    private let retained: [String: [String]]
    /// Tables whose loaded keys are kept (those others refer to); nil keeps every table's.
    private let referenced: Set<String>?
    private var loadedKeys: [String: KeySet] = [:]
    /// The tables others refer to of which a row has loaded.
    public private(set) var tablesLoaded: Set<String> = []
    /// Retained fields by table, spilling to the private folder past a threshold.
    private var lookups: [String: LookupStore] = [:]
    private let spillFolder: String?
    private let spillThreshold: Int?
    private var seen: [String: KeySet] = [:]
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
        loadedKeys = [:]
        lookups = [:]
        seen = [:]
    }

    /// Whether loaded rows of `table` need registering at all.
    public func keepsKeys(of table: String) -> Bool { referenced?.contains(table) ?? true }

    /// Records a loaded row's key (its primary key fields) and the fields others look up. A table with
    /// looked-up fields keeps its keys in that store alone: whether a child is in the header and its DOB
    /// are then one read, not one in each of two stores (past the spill threshold, each a `pread`).
    public func registerLoaded(table: String, key: [String?], record: Record, spec: InputSpec) {
        guard keepsKeys(of: table) else { return }
        let hash = KeyHash(key)
        if !tablesLoaded.contains(table) { tablesLoaded.insert(table) }
        if let fields = retained[table] {
            let values = fields.map { name in spec.index(of: name).flatMap { record.cells[$0] } }
            if lookups[table] == nil {
                lookups[table] = spillThreshold.map { LookupStore(width: fields.count, spillFolder: spillFolder, threshold: $0) }
                    ?? LookupStore(width: fields.count, spillFolder: spillFolder)
            }
            lookups[table]!.set(hash, values)
        } else {
            _ = keySet(&loadedKeys, table).insert(hash)
        }
    }

    private func keySet(_ sets: inout [String: KeySet], _ name: String) -> KeySet {
        if let set = sets[name] { return set }
        let set = spillThreshold.map { KeySet(threshold: $0, folder: spillFolder) } ?? KeySet(folder: spillFolder)
        sets[name] = set
        return set
    }

    public func isLoaded(table: String, key: [String?]) -> Bool {
        let hash = KeyHash(key)
        if let store = lookups[table] { return store.contains(hash) }
        return loadedKeys[table]?.contains(hash) ?? false
    }

    /// A retained field of a loaded row of `table`, found by that row's key.
    public func lookup(table: String, key: [String?], field: String) -> String? {
        lookup(table: table, key: KeyHash(key), field: field)
    }

    /// The same, by the key's digest.
    public func lookup(table: String, key: KeyHash, field: String) -> String? {
        guard let index = retained[table]?.firstIndex(of: field) else { return nil }
        return lookups[table]?.get(key, field: index)
    }

    /// Whether `key` was already seen under `scope` (a uniqueness rule); records it if not.
    public func firstSighting(scope: String, key: [String?]) -> Bool {
        keySet(&seen, scope).insert(KeyHash(key))
    }
}
