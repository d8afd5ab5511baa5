import RCCCore

/// What conditions read from the same LA's return of the year before (`--reference DIR`):
///
/// | name | gives |
/// | --- | --- |
/// | `last(TABLE.FIELD)` | FIELD of the row's child's row of TABLE last year (blank when the child has none) |
/// | `in_last('TABLE')` | whether the row's child has a row of TABLE last year |
/// | `returned_last('TABLE')` | whether last year's return has rows of TABLE at all |
///
/// The row's child is its `CHILD`. For a table of several rows a child the row read is the child's
/// latest (by its input spec's `latestBy`): the episode open at the end of last year, if any, is it.
/// A rule that uses these says `needs: [previous-year]`; without the previous return it does not run.
enum PreviousYearFunctions {
    static func childIndex(_ compiler: ExpressionCompiler, _ what: String) throws -> Int {
        guard let index = compiler.input.index(of: "CHILD") else {
            throw compiler.fail("\(what): \(compiler.input.id) has no CHILD field to find the child last year by")
        }
        return index
    }

    static func previous(table: String, field: String, with compiler: inout ExpressionCompiler) throws -> CompiledExpression.Evaluate {
        guard let target = compiler.catalog.input(table), let targetIndex = target.index(of: field) else {
            throw compiler.fail("last(): \(field) is not a field of \(table)")
        }
        let child = try childIndex(compiler, "last()")
        let type = target.fields[targetIndex].type
        return { row, context in
            ExpressionCompiler.typed(context.previousYear?.value(table: table, child: row.record.cells[child], field: field), type)
        }
    }

    /// `in_last`, `returned_last`; nil for any other name.
    static func compile(_ name: String, _ arguments: [Expression], with compiler: inout ExpressionCompiler) throws -> CompiledExpression.Evaluate? {
        guard name == "in_last" || name == "returned_last" else { return nil }
        guard arguments.count == 1, case .literal(.text(let table)) = arguments[0] else {
            throw compiler.fail("\(name)() takes one 'table' literal")
        }
        guard compiler.catalog.input(table) != nil else { throw compiler.fail("\(name)(): no table \(table)") }
        if name == "returned_last" {
            return { _, context in
                guard let previous = context.previousYear else { return .null }
                return .bool((previous.rows[table] ?? 0) > 0)
            }
        }
        let child = try childIndex(compiler, "in_last()")
        return { row, context in
            guard let previous = context.previousYear else { return .null }
            return .bool(previous.has(table: table, child: row.record.cells[child]))
        }
    }

    /// The tables of last year of which the previous-year sequence rules of `catalog` read every row of a child.
    static func everyRow(_ catalog: SchemaCatalog) -> Set<String> {
        Set(catalog.rules.compactMap { rule -> String? in
            guard rule.kind == .sequence, rule.needs?.contains("previous-year") ?? false,
                  let implementation = SequenceRules.previousYear[rule.id], implementation.readsEveryLastRow else { return nil }
            return implementation.lastTable ?? rule.table
        })
    }

    /// The fields of last year's tables the rules of `catalog` read (table → fields), with the fields
    /// the previous-year sequence rules read.
    static func keptFields(_ catalog: SchemaCatalog) -> [String: [String]] {
        var fields: [String: [String]] = [:]
        func keep(_ table: String, _ field: String?) {
            if fields[table] == nil { fields[table] = [] }
            if let field, !fields[table]!.contains(field) { fields[table]!.append(field) }
        }
        for rule in catalog.rules where rule.needs?.contains("previous-year") ?? false {
            if rule.kind == .expression {
                for text in [rule.check, rule.applies].compactMap({ $0 }) {
                    guard let expression = try? ExpressionParser.parse(text, conditions: catalog.conditions) else { continue }
                    for (table, field) in expression.previousLookups { keep(table, field) }
                }
            } else if rule.kind == .sequence, let implementation = SequenceRules.previousYear[rule.id] {
                keep(implementation.lastTable ?? rule.table, nil)
                for field in implementation.lastFields { keep(implementation.lastTable ?? rule.table, field) }
            } else if rule.kind == .sequence, let implementation = SequenceRules.registry[rule.id] {
                for (table, names) in implementation.last {
                    keep(table, nil)
                    for field in names { keep(table, field) }
                }
            }
        }
        return fields
    }
}

extension PreviousReturn {
    /// An empty previous return for `key` (the return checked), keeping what the rules of `catalog` read.
    public static func forRules(of catalog: SchemaCatalog, checking key: ReturnKey, spillFolder: String?) -> PreviousReturn {
        PreviousReturn(key: ReturnKey(la: key.la, collection: key.collection, year: key.year - 1),
                       fields: PreviousYearFunctions.keptFields(catalog),
                       orderedBy: Dictionary(uniqueKeysWithValues: catalog.inputs.compactMap { spec in spec.latestBy.map { (spec.id, $0) } }),
                       spillFolder: spillFolder, everyRow: PreviousYearFunctions.everyRow(catalog))
    }
}

/// Reads rows of last year's return into a `PreviousReturn`: each cell made canonical as validation
/// makes it (dates to ISO, codes to upper case), a cell that fails its check left blank, a row that
/// cannot be read skipped. No rule of last year runs on them.
public struct PreviousYearTable {
    public let spec: InputSpec
    private let checks: [FieldCheck]
    private let child: Int?

    public init(spec: InputSpec, catalog: SchemaCatalog, year: Int) {
        self.spec = spec
        checks = spec.fields.map { FieldCheck(field: $0, table: spec.id, catalog: catalog, year: year) }
        child = spec.index(of: "CHILD")
    }

    public func add(_ records: [Record], to previous: PreviousReturn) {
        guard let child, previous.tables.contains(spec.id) else { return }
        for record in records where record.problem == nil {
            var cells: [String?] = []
            cells.reserveCapacity(checks.count)
            for (i, check) in checks.enumerated() {
                switch check.check(record.cells[i]) {
                case .valid(let value): cells.append(value)
                case .repaired(let value): cells.append(value)
                case .date(let value, _, _): cells.append(value)
                case .invalid: cells.append(nil)
                }
            }
            previous.add(table: spec.id, child: cells[child]) { name in spec.index(of: name).flatMap { cells[$0] } }
        }
    }
}
