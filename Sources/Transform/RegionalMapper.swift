import RCCCore

/// Maps validated rows of one input table to rows of a regional table, applying each column's
/// treatment from the regional schema: pseudonyms, dates to the first of the month, postcodes to
/// the sector, ages computed from the full dates before they are coarsened. Compiled once per
/// mapping and return; runs on batches.
public struct RegionalMapper: Sendable {
    public let table: RegionalTable
    public let mapping: Mapping
    private let plans: [Plan]

    /// Where a column's input comes from: a cell of the row, or a field of a referenced table's row.
    /// The second is read through the return's context before the batch is mapped (`lookedUp`), into
    /// slot `slot` of the row's looked-up values: mapping itself reads no shared state, so it can run
    /// on another task while the context takes the next batch's rows.
    enum Input {
        case cell(Int)
        case lookup(slot: Int)

        func value(_ record: Record, _ looked: ArraySlice<String?>) -> String? {
            switch self {
            case .cell(let i): record.cells[i]
            case .lookup(let slot): looked[looked.startIndex + slot]
            }
        }
    }

    /// A field of another table's row that a column reads: that table, the row's cells holding its key, the field.
    struct Lookup {
        let table: String
        let keyCells: [Int]
        let field: String

        func value(_ record: Record, _ context: ReturnContext) -> String? {
            keyCells.count == 1
                ? context.lookup(table: table, key: KeyHash(CollectionOfOne(record.cells[keyCells[0]])), field: field)
                : context.lookup(table: table, key: keyCells.map { record.cells[$0] }, field: field)
        }
    }

    enum Plan {
        case constant(SQLValue)
        case kept(Input, RegionalColumn.ColumnType)
        case pseudonym(Input, RegionalColumn.Namespace, except: Set<String>)
        case firstOfMonth(Input)
        case postcodeSector(Input)
        case ageYears(birth: Input, at: Input)
        case codeIfListed(Input, Set<String>)
        case null
    }

    private let pseudonymiser: Pseudonymiser
    private let la: String
    /// The other tables' fields the columns read, by slot.
    private let lookups: [Lookup]

    public init(mapping: Mapping, catalog: SchemaCatalog, returnKey: ReturnKey, pseudonymiser: Pseudonymiser) throws {
        guard let table = catalog.regionalTable(mapping.target), let spec = catalog.input(mapping.source) else {
            throw RCCError(.schema, "mapping \(mapping.source) → \(mapping.target) names an unknown table")
        }
        self.table = table
        self.mapping = mapping
        self.pseudonymiser = pseudonymiser
        la = returnKey.la
        let sources = Dictionary(mapping.columns.map { ($0.column, $0.from) }, uniquingKeysWith: { a, _ in a })
        var lookups: [Lookup] = [], slots: [String: Int] = [:]

        func input(_ name: String) throws -> Input {
            if let i = spec.index(of: name) { return .cell(i) }
            if let slot = slots[name] { return .lookup(slot: slot) }
            let parts = name.split(separator: ".")
            let tableID = parts.dropLast().joined(separator: "."), field = String(parts.last ?? "")
            guard let fk = spec.foreignKeys?.first(where: { $0.reference.table == tableID }) else {
                throw RCCError(.schema, "mapping \(mapping.source) → \(mapping.target) reads unknown field \(name)")
            }
            lookups.append(Lookup(table: tableID, keyCells: fk.fields.compactMap { spec.index(of: $0) }, field: field))
            slots[name] = lookups.count - 1
            return .lookup(slot: lookups.count - 1)
        }

        plans = try table.columns.map { column -> Plan in
            let from = try (sources[column.name] ?? []).map(input)
            let codes = column.codelist.flatMap { catalog.codeLists[$0] }.map { Set($0.codes.map(\.code)) } ?? []
            switch column.treatment {
            case .returnLA: return .constant(.text(returnKey.la))
            case .returnYear: return .constant(.integer(returnKey.year))
            case .returnCollection: return .constant(.text(returnKey.collection))
            default: break
            }
            guard let first = from.first else { return .null }   // not filled by this input
            switch column.treatment {
            case .kept: return .kept(first, column.type)
            case .pseudonymised: return .pseudonym(first, column.namespace!, except: codes)
            case .firstOfMonth: return .firstOfMonth(first)
            case .postcodeSector: return .postcodeSector(first)
            case .codeIfListed: return .codeIfListed(first, codes)
            case .ageYears:
                guard from.count == 2 else {
                    throw RCCError(.schema, "\(table.table).\(column.name): age-years needs two source fields (birth date, event date)")
                }
                return .ageYears(birth: from[0], at: from[1])
            case .returnLA, .returnYear, .returnCollection: fatalError("handled above")
            }
        }
        self.lookups = lookups
    }

    /// The regional fields that mappings look up in other tables, by input table: what a return's
    /// context must retain.
    public static func lookupFields(_ catalog: SchemaCatalog) -> [String: [String]] {
        var fields: [String: [String]] = [:]
        for mapping in catalog.mappings {
            for column in mapping.columns {
                for name in column.from where name.contains(".") {
                    let parts = name.split(separator: ".")
                    let table = parts.dropLast().joined(separator: "."), field = String(parts.last!)
                    if !(fields[table]?.contains(field) ?? false) { fields[table, default: []].append(field) }
                }
            }
        }
        return fields
    }

    /// The row's child pseudonym (the first column pseudonymised in the LA-child namespace), for findings.
    public func childPseudonym(_ record: Record, context: ReturnContext) -> String? {
        childPseudonym(record, row: 0, lookedUp: lookedUp([record], context: context))
    }

    /// The same, for row `n` of a batch whose other tables' fields `lookedUp` read.
    public func childPseudonym(_ record: Record, row n: Int, lookedUp: [String?]) -> String? {
        guard let column = childColumn, case .pseudonym(let input, _, _) = plans[column] else { return nil }
        return input.value(record, lookedUp[(n * lookups.count)..<((n + 1) * lookups.count)])
            .map { pseudonymiser.pseudonym($0, namespace: .laChild, la: la) }
    }

    /// Where `map` puts the child's pseudonym in a row (the first column pseudonymised in the LA-child
    /// namespace): read from there, it need not be worked out again.
    public var childColumn: Int? {
        plans.firstIndex { if case .pseudonym(_, .laChild, _) = $0 { true } else { false } }
    }

    /// The fields of other tables the columns read, for each row (`lookups.count` a row, one after
    /// another; empty when the mapping reads none): read from the return's context, which only the
    /// validating task may touch, and handed to `map` with the batch.
    public func lookedUp(_ records: [Record], context: ReturnContext) -> [String?] {
        guard !lookups.isEmpty else { return [] }
        var values: [String?] = []
        values.reserveCapacity(records.count * lookups.count)
        for record in records {
            for lookup in lookups { values.append(lookup.value(record, context)) }
        }
        return values
    }

    /// Maps a batch, reading other tables' fields from the return's context.
    public func map(_ records: [Record], context: ReturnContext) -> RowBatch {
        map(records, lookedUp: lookedUp(records, context: context))
    }

    /// Maps a batch whose other tables' fields were read by `lookedUp`. Reads nothing shared: safe on
    /// any task.
    ///
    /// A child's rows come together (a child's episodes, one after another), so each pseudonymised
    /// column keeps its last value and pseudonym: the same id is not hashed again on the next row.
    public func map(_ records: [Record], lookedUp: [String?]) -> RowBatch {
        precondition(lookedUp.count == records.count * lookups.count, "looked-up values are not those of this batch")
        var last = [(value: String, pseudonym: String)?](repeating: nil, count: plans.count)
        var rows: [[SQLValue]] = []
        rows.reserveCapacity(records.count)
        for (n, record) in records.enumerated() {
            let looked = lookedUp[(n * lookups.count)..<((n + 1) * lookups.count)]
            rows.append(plans.indices.map { map(plans[$0], record, looked, last: &last[$0]) })
        }
        return RowBatch(table: table, rows: rows)
    }

    /// One column of a row; `last` is the column's last value pseudonymised and its pseudonym.
    private func map(_ plan: Plan, _ record: Record, _ looked: ArraySlice<String?>,
                     last: inout (value: String, pseudonym: String)?) -> SQLValue {
        switch plan {
        case .constant(let value): return value
        case .null: return .null
        case .kept(let input, let type):
            guard let value = input.value(record, looked) else { return .null }
            if type == .integer { return Int(value).map(SQLValue.integer) ?? .null }
            return .text(value)
        case .pseudonym(let input, let namespace, let except):
            guard let value = input.value(record, looked), !except.contains(value) else { return .null }
            if let known = last, known.value == value { return .text(known.pseudonym) }
            let pseudonym = pseudonymiser.pseudonym(value, namespace: namespace, la: la)
            last = (value, pseudonym)
            return .text(pseudonym)
        case .firstOfMonth(let input):
            guard let value = input.value(record, looked), let date = CivilDate(iso: value) else { return .null }
            return .text(date.firstOfMonth.iso)
        case .postcodeSector(let input):
            guard let value = input.value(record, looked), let sector = Postcode.sector(ofNormalised: value) else { return .null }
            return .text(sector)
        case .codeIfListed(let input, let codes):
            guard let value = input.value(record, looked), codes.contains(value) else { return .null }
            return .text(value)
        case .ageYears(let birth, let at):
            guard let b = birth.value(record, looked).flatMap(CivilDate.init(iso:)),
                  let e = at.value(record, looked).flatMap(CivilDate.init(iso:)) else { return .null }
            return .integer(b.wholeYears(until: e))
        }
    }
}
