import Extract
import RCCCore
import RCCTestSupport
import Testing

/// Every SSDA903 table shares CHILD and DOB with the others: each must still be told apart by its header.
@Suite struct SSDA903RecognitionTests {
    let catalog = TestSupport.catalog
    var recognizer: TableRecognizer { TableRecognizer(specs: catalog.inputs) }
    var specs: [InputSpec] { catalog.inputs.filter { $0.collection == "ssda903" } }

    @Test func everyTablesOwnHeaderIsRecognisedAsItself() throws {
        #expect(specs.count == 12)
        for spec in specs {
            let names = spec.fields.filter(\.readsCSV).map(\.name)
            for header in [names, names.reversed(), names.map { $0.lowercased().replacingOccurrences(of: "_", with: " ") }] {
                guard case .recognised(let match) = recognizer.recognise(header: header) else {
                    Issue.record("\(spec.id): \(header) not recognised"); continue
                }
                #expect(match.spec.id == spec.id, "\(header) taken for \(match.spec.id)")
                #expect(match.extraColumns.isEmpty)
            }
        }
    }

    @Test func anExtraColumnFromAnotherTableDoesNotChangeTheTable() throws {
        for spec in specs {
            let header = spec.fields.filter(\.readsCSV).map(\.name) + ["Forename"]
            guard case .recognised(let match) = recognizer.recognise(header: header) else {
                Issue.record("\(spec.id) not recognised"); continue
            }
            #expect(match.spec.id == spec.id)
            #expect(match.extraColumns == ["Forename"])
        }
        // A Header with the UASC's DUC on the end is still Header (all 7 of its columns), DUC kept out.
        guard case .recognised(let match) = recognizer.recognise(header: ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB", "DUC"]) else {
            Issue.record("not recognised"); return
        }
        #expect(match.spec.id == "ssda903.header")
        #expect(match.extraColumns == ["DUC"])
    }

    @Test func aNewTableMissingItsLastColumnIsNamedAsItself() throws {
        for spec in specs where !["ssda903.header", "ssda903.episodes"].contains(spec.id) {
            let header = spec.fields.dropLast().map(\.name)
            guard case .incomplete(let found, let problem) = recognizer.recognise(header: header) else {
                Issue.record("\(spec.id): expected incomplete"); continue
            }
            #expect(found.id == spec.id, "\(header) taken for \(found.id)")
            #expect(problem.contains(spec.fields.last!.name))
        }
    }

    @Test func readableAliasesAreRecognised() throws {
        let cases: [(header: [String], table: String)] = [
            (["Child ID", "Date of birth", "Missing", "Missing start date", "Missing end date"], "ssda903.missing"),
            (["Child ID", "Date of birth", "Review date", "Participation code"], "ssda903.reviews"),
            (["Child ID", "Gender", "Date of birth", "Date UASC ceased"], "ssda903.uasc"),
            (["Child ID", "Date of birth", "In touch", "Activity", "Accommodation"], "ssda903.oc3"),
            (["Child ID", "Date of birth", "Social worker ID", "SW DECOM", "SW DEC", "SW reason"], "ssda903.sw_episodes"),
        ]
        for (header, table) in cases {
            guard case .recognised(let match) = recognizer.recognise(header: header) else {
                Issue.record("\(header) not recognised"); continue
            }
            #expect(match.spec.id == table)
        }
    }
}
