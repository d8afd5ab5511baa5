import ArgumentParser
import Foundation
import RCCCore
import Validate

/// `rcc rules`: every check rcc runs, with its DfE code, years, severity and what a failing row does;
/// `--coverage` writes how much of the DfE's own rules that is (schemas/rules/COVERAGE.md).
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the validation rules: id, DfE code, table, years, severity, action, kind, reference data needed.",
        discussion: "With --coverage, print schemas/rules/COVERAGE.md: each DfE rule and the rcc rules that check it.")

    @Option(help: "The schemas folder (input specs, code lists, rules).")
    var schemas: String?

    @Option(help: "Only rules of this collection (ssda903, cin, ssd).")
    var collection: String?

    @Option(help: "Mark which rules are in force in this collection year (the year it ends: 2026 for 2025-26).")
    var year: Int = 2026

    @Flag(help: "Print the coverage of the DfE's rules as markdown (COVERAGE.md) instead of the list.")
    var coverage = false

    /// The collection years COVERAGE.md reports: the current one, and the next where its rules are known.
    static let coverageYears: [String: [Int]] = ["ssda903": [2026, 2027], "cin": [2026]]

    func run() throws {
        let catalog: SchemaCatalog
        do {
            catalog = try SchemaCatalog.load(from: SchemaLocator.locate(schemas))
        } catch {
            printError("rcc: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        if coverage {
            print(RuleCoverage.markdown(catalog, years: Self.coverageYears), terminator: "")
            return
        }
        let entries = RuleListing.entries(catalog).filter { collection == nil || $0.collection == collection }
        let rows = entries.map { e in
            [e.id, e.dfe ?? "", e.table, Self.years(e.years), e.severity, e.action, e.kind, e.needs.sorted().joined(separator: ", "),
             e.isInForce(in: year) ? "yes" : "no"]
        }
        let header = ["rule", "DfE", "table", "years", "severity", "action", "kind", "needs", "in force \(year - 1)-\(year % 100)"]
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        print(line(header))
        for row in rows { print(line(row)) }
        print("\n\(entries.count) checks: \(entries.filter { $0.kind == "field check" }.count) field checks with a DfE code, "
              + "\(entries.filter { $0.kind != "field check" }.count) rules; \(entries.filter { $0.isInForce(in: year) }.count) in force in \(year - 1)-\(year % 100); "
              + "\(entries.filter { !$0.needs.isEmpty }.count) run only with reference data (needs; rcc ingest --reference DIR).")
    }

    static func years(_ range: YearRange?) -> String {
        switch (range?.from, range?.to) {
        case (nil, nil): "all"
        case (let from?, nil): "\(from) on"
        case (nil, let to?): "to \(to)"
        case (let from?, let to?): from == to ? "\(from)" : "\(from)-\(to)"
        }
    }
}
