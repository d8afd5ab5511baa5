import Foundation
import RCCCore

/// Every check rcc runs, as people look for them: by rule id and DfE code. Rules from `schemas/rules/`
/// and the field checks of the input specs (required-ness, type, code list) that carry a DfE code.
public enum RuleListing {
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var dfe: String?
        public var collection: String
        public var table: String
        public var fields: [String]
        public var years: YearRange?
        public var severity: String
        /// What a failing row does: `quarantine`, or `finding` (loaded, the finding recorded).
        public var action: String
        /// `field check`, or the rule's kind (`expression`, `compare`, `unique`…).
        public var kind: String
        public var message: String
        /// Reference data from outside the return it needs (`previous-year`…); it runs only when supplied.
        public var needs: [String] = []

        public func isInForce(in year: Int) -> Bool { years?.contains(year) ?? true }
    }

    public static func entries(_ catalog: SchemaCatalog) -> [Entry] {
        var entries: [Entry] = []
        for spec in catalog.inputs {
            for field in spec.fields {
                var checks: [(String, String?, String)] = [
                    ("required", field.dfe?.required, "\(field.name) is missing."),
                    (field.type == .code ? "code" : (field.type == .date ? "date" : field.type.rawValue), field.type == .code ? field.dfe?.code : field.dfe?.type,
                     "\(field.name) is not a valid \(field.type == .code ? "code" : field.type.rawValue)."),
                ]
                // A UPN's parts with a DfE code of their own (CIN's 1510, 1540, 1550) are checks of their own.
                if field.type == .upn {
                    for part in UPN.Part.allCases where field.dfe?.upn?[part.rawValue] != nil {
                        let (check, dfe) = FieldCheck.upnCheck(part, field: field)
                        checks.append((check, dfe, "\(field.name) is not a valid UPN: \(part.words)."))
                    }
                }
                for (check, dfe, message) in checks where dfe != nil {
                    let action = check == "required" ? "quarantine" : (field.onInvalid ?? .quarantine).rawValue
                    entries.append(Entry(id: "\(spec.id).\(field.name).\(check)", dfe: dfe, collection: spec.collection, table: spec.id,
                                         fields: [field.name], years: nil, severity: "error", action: action,
                                         kind: "field check", message: message))
                }
            }
        }
        for rule in catalog.rules {
            entries.append(Entry(id: rule.id, dfe: rule.dfe, collection: catalog.input(rule.table)?.collection ?? "", table: rule.table,
                                 fields: rule.fields, years: rule.years, severity: rule.severity.rawValue,
                                 action: rule.action.rawValue, kind: rule.kind.rawValue, message: rule.message,
                                 needs: rule.needs ?? []))
        }
        return entries.sorted { ($0.collection, $0.table, $0.id) < ($1.collection, $1.table, $1.id) }
    }
}

/// How much of the DfE's own rules (`schemas/rules/dfe/`) rcc checks, rule by rule: `COVERAGE.md`.
public enum RuleCoverage {
    public enum Status: Sendable, Equatable {
        /// Checked by these rcc rules or field checks.
        case checked([String])
        /// Checked by these rcc rules when the reference data they need is supplied (`--reference DIR`).
        case checkedWithReference([String], needs: [String])
        /// Needs data the return does not carry (last year's return, Ofsted's provider list, the ONS
        /// postcode directory): not run.
        case needsReference([String])
        /// Not written because nothing can fail it (the catalogue's `cannotFail` says why).
        case cannotFail(String)
        /// Not yet written.
        case notYet
    }

    public struct Line: Sendable, Equatable {
        public var rule: DfERuleCatalogue.Rule
        public var status: Status
    }

    /// The DfE rules of `collection` in force in `year`, each with how rcc covers it.
    public static func lines(_ catalog: SchemaCatalog, collection: String, year: Int) -> [Line] {
        guard let dfe = catalog.dfeRules[collection] else { return [] }
        var byCode: [String: [String]] = [:]
        var needsByCode: [String: Set<String>] = [:]
        for entry in RuleListing.entries(catalog) where entry.collection == collection && entry.isInForce(in: year) {
            if let code = entry.dfe {
                byCode[code, default: []].append(entry.id)
                needsByCode[code, default: []].formUnion(entry.needs)
            }
        }
        return dfe.rules.filter { $0.years?.contains(year) ?? true }.map { rule in
            if let ids = byCode[rule.code] {
                let needs = needsByCode[rule.code] ?? []
                return Line(rule: rule, status: needs.isEmpty ? .checked(ids) : .checkedWithReference(ids, needs: needs.sorted()))
            }
            if let why = rule.cannotFail { return Line(rule: rule, status: .cannotFail(why)) }
            if let needs = rule.needs, !needs.isEmpty { return Line(rule: rule, status: .needsReference(needs)) }
            return Line(rule: rule, status: .notYet)
        }
    }

    /// `schemas/rules/COVERAGE.md`: for each collection and year, every DfE rule and how rcc covers it.
    public static func markdown(_ catalog: SchemaCatalog, years: [String: [Int]]) -> String {
        var out = """
        # Coverage of the DfE validation rules

        Generated by `rcc rules --coverage` from `schemas/rules/` (do not edit by hand; `RuleCoverageTests`
        fails when it is out of date). For each DfE rule of a collection year: the rcc rules and field checks
        that check it, or why none does yet. The DfE rule lists are in `schemas/rules/dfe/`.

        """
        for collection in catalog.dfeRules.keys.sorted() {
            for year in years[collection] ?? [] {
                let lines = lines(catalog, collection: collection, year: year)
                let checked = lines.filter { if case .checked = $0.status { true } else { false } }.count
                let withReference = lines.filter { if case .checkedWithReference = $0.status { true } else { false } }.count
                let reference = lines.filter { if case .needsReference = $0.status { true } else { false } }.count
                let cannotFail = lines.filter { if case .cannotFail = $0.status { true } else { false } }.count
                out += "\n## \(collection) \(year - 1)-\(String(year % 100))\n\n"
                out += "\(lines.count) DfE rules: \(checked) checked, \(withReference) checked when the data from outside the return they need is supplied (`--reference DIR`), "
                    + "\(reference) needing such data and not yet written, \(lines.count - checked - withReference - reference - cannotFail) not yet written"
                    + (cannotFail > 0 ? ", \(cannotFail) that nothing can fail, not written.\n\n" : ".\n\n")
                out += "| DfE | message | rcc | status |\n| --- | --- | --- | --- |\n"
                for line in lines {
                    let message = line.rule.message.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
                    let shown = message.count > 110 ? String(message.prefix(107)) + "…" : message
                    switch line.status {
                    case .checked(let ids):
                        out += "| \(line.rule.code) | \(shown) | \(ids.map { "`\($0)`" }.joined(separator: ", ")) | checked |\n"
                    case .checkedWithReference(let ids, let needs):
                        out += "| \(line.rule.code) | \(shown) | \(ids.map { "`\($0)`" }.joined(separator: ", ")) | checked with \(needs.joined(separator: ", ")) |\n"
                    case .needsReference(let needs):
                        out += "| \(line.rule.code) | \(shown) | | needs \(needs.joined(separator: ", ")) (not written) |\n"
                    case .cannotFail(let why):
                        out += "| \(line.rule.code) | \(shown) | | cannot fail: \(why.replacingOccurrences(of: "|", with: "\\|")) |\n"
                    case .notYet:
                        out += "| \(line.rule.code) | \(shown) | | not yet (\(line.rule.kind ?? "?")) |\n"
                    }
                }
            }
        }
        return out
    }
}
