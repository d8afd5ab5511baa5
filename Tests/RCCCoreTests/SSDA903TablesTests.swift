import RCCCore
import RCCTestSupport
import Testing

/// The SSDA903 tables other than Header and Episodes: their specs, code lists, rules and the regional
/// tables they load into, as the repository's schemas define them.
@Suite struct SSDA903TablesTests {
    let catalog = TestSupport.catalog

    /// Each table's columns, exactly as DfE names and orders them (Data to Insight validator config.py;
    /// DoLo from the validator's lac2026_27 rules), and the regional table it loads into.
    static let tables: [(id: String, columns: [String], regional: String)] = [
        ("ssda903.uasc", ["CHILD", "SEX", "DOB", "DUC"], "uasc"),
        ("ssda903.oc2", ["CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS",
                         "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
                         "INTERVENTION_OFFERED"], "health_outcomes"),
        ("ssda903.oc3", ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"], "care_leavers"),
        ("ssda903.ad1", ["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
                         "LS_ADOPTR"], "adoption_decisions"),
        ("ssda903.placed_adoption", ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
         "placed_for_adoption"),
        ("ssda903.prev_perm", ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"], "previous_permanence"),
        ("ssda903.missing", ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"], "missing_episodes"),
        ("ssda903.reviews", ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"], "reviews"),
        ("ssda903.sw_episodes", ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"], "social_worker_episodes"),
        ("ssda903.dolo", ["CHILD", "DOB", "DOLO_START", "DOLO_END"], "deprivation_of_liberty"),
    ]

    /// DfE's "child in this table does not exist in Header" checks (SWEpisodes and DoLo have none).
    static let inHeaderCodes: [String: String?] = [
        "ssda903.uasc": "INT09", "ssda903.oc2": "INT05", "ssda903.oc3": "INT06", "ssda903.ad1": "INT01",
        "ssda903.placed_adoption": "INT02", "ssda903.prev_perm": "INT07", "ssda903.missing": "INT04",
        "ssda903.reviews": "INT08", "ssda903.sw_episodes": nil, "ssda903.dolo": nil,
    ]

    @Test func everyTableHasItsDfEColumnsInOrder() throws {
        for table in Self.tables {
            let spec = try #require(catalog.input(table.id), "\(table.id) missing")
            #expect(spec.fields.map(\.name) == table.columns, "\(table.id)")
            #expect(spec.collection == "ssda903")
        }
        #expect(catalog.inputs.filter { $0.collection == "ssda903" }.count == Self.tables.count + 2)
    }

    @Test func fieldsAreTypedAndChildAndDateOfBirthAreRequired() throws {
        for table in Self.tables {
            let spec = try #require(catalog.input(table.id))
            for field in spec.fields {
                if field.type == .date { #expect(field.formats?.first == "dd/mm/yyyy", "\(table.id).\(field.name): DfE writes dates dd/mm/yyyy") }
                if field.type == .code { #expect(field.codelist.flatMap { catalog.codeLists[$0] } != nil, "\(table.id).\(field.name)") }
            }
            #expect(spec.fields.first { $0.name == "CHILD" }?.isRequired == true)
            #expect(spec.fields.first { $0.name == "DOB" }?.isRequired == true)
            #expect(spec.fields.first { $0.name == "DOB" }?.type == .date)
        }
        let missing = try #require(catalog.input("ssda903.missing"))
        #expect(missing.fields.first { $0.name == "MIS_START" }?.dfe?.type == "1004")
        #expect(missing.fields.first { $0.name == "MIS_END" }?.isRequired == false)
    }

    @Test func everyTableLoadsAfterHeaderAndItsChildMustBeThere() throws {
        for table in Self.tables {
            let spec = try #require(catalog.input(table.id))
            #expect(spec.foreignKeys?.contains { $0.fields == ["CHILD"] && $0.reference.table == "ssda903.header"
                && $0.reference.fields == ["CHILD"] } == true, "\(table.id) must reference Header so it loads after it")
            let rule = try #require(catalog.rules(for: table.id).first { $0.kind == .existsIn }, "\(table.id)")
            #expect(rule.fields == ["CHILD"] && rule.reference?.table == "ssda903.header" && rule.reference?.fields == ["CHILD"])
            #expect(rule.action == .quarantine)
            #expect(rule.dfe == Self.inHeaderCodes[table.id]!, "\(table.id)")
        }
    }

    @Test func naturalKeysAreUnique() throws {
        let keys: [String: [String]] = [
            "ssda903.uasc": ["CHILD"], "ssda903.oc2": ["CHILD"], "ssda903.oc3": ["CHILD"], "ssda903.ad1": ["CHILD"],
            "ssda903.prev_perm": ["CHILD"], "ssda903.placed_adoption": ["CHILD", "DATE_PLACED"],
            "ssda903.missing": ["CHILD", "MIS_START"], "ssda903.reviews": ["CHILD", "REVIEW"],
            "ssda903.sw_episodes": ["CHILD", "SW_DECOM"], "ssda903.dolo": ["CHILD", "DOLO_START"],
        ]
        for (table, key) in keys {
            #expect(catalog.rules(for: table).contains { $0.kind == .unique && $0.fields == key && $0.action == .quarantine }, "\(table)")
            #expect(catalog.input(table)?.primaryKey == key, "\(table)")
        }
    }

    @Test func periodsThatEndBeforeTheyStartAreQuarantinedWithTheirDfECodes() throws {
        let orders: [(table: String, end: String, start: String, dfe: String)] = [
            ("ssda903.missing", "MIS_END", "MIS_START", "567"),
            ("ssda903.dolo", "DOLO_END", "DOLO_START", "702"),
            ("ssda903.sw_episodes", "SW_DEC", "SW_DECOM", "SW18STG2"),
            ("ssda903.placed_adoption", "DATE_PLACED_CEASED", "DATE_PLACED", "522"),
        ]
        for order in orders {
            let rule = try #require(catalog.rules(for: order.table).first {
                $0.kind == .compare && $0.left == order.end && $0.right == order.start && $0.op == ">="
            }, "\(order.table): \(order.end) >= \(order.start)")
            #expect(rule.dfe == order.dfe)
            #expect(rule.action == .quarantine)
        }
    }

    @Test func newCodesAreValidOnlyFromTheYearTheyWereIntroduced() throws {
        let reasons = try #require(catalog.codeLists["ssda903.SW_REASON"])
        #expect(reasons.validCodes(in: 2023).isEmpty)
        #expect(reasons.validCodes(in: 2024).count == 10)
        #expect(reasons.validCodes(in: 2026).contains("FCONTA"))
        let accom = try #require(catalog.codeLists["ssda903.ACCOM"])
        #expect(accom.validCodes(in: 2025).contains("Z1") && !accom.validCodes(in: 2025).contains("S1"))
        let laPerm = try #require(catalog.codeLists["ssda903.LA_PERM"])
        #expect(["352", "886", "940", "WAL", "SCO", "NIR", "NUK"].allSatisfy { laPerm.validCodes(in: 2025).contains($0) })
    }

    @Test func everyRegionalTableIsFilledByAMapping() throws {
        for table in catalog.regionalTables {
            #expect(!catalog.mappings.filter { $0.target == table.table }.isEmpty, "\(table.table) has no mapping")
        }
        for table in Self.tables {
            let mappings = catalog.mappings(from: table.id)
            #expect(mappings.map(\.target) == [table.regional], "\(table.id)")
            #expect(catalog.regionalTable(table.regional) != nil, "\(table.regional)")
        }
    }

    @Test func identifiersArePseudonymisedAndDatesOfBirthCoarsened() throws {
        for table in Self.tables {
            let regional = try #require(catalog.regionalTable(table.regional))
            let mapping = try #require(catalog.mappings(from: table.id).first)
            let sources = Dictionary(uniqueKeysWithValues: mapping.columns.map { ($0.column, $0.from) })
            func column(_ name: String) -> RegionalColumn? { regional.columns.first { $0.name == name } }

            #expect(column("la")?.treatment == .returnLA && column("collection_year")?.treatment == .returnYear)
            #expect(column("child")?.treatment == .pseudonymised && column("child")?.namespace == .laChild)
            #expect(sources["child"] == ["CHILD"])
            #expect(column("dob_month")?.treatment == .firstOfMonth && sources["dob_month"] == ["DOB"])
            // The only pseudonym is the child's; nothing else identifying is kept.
            #expect(regional.columns.filter { $0.treatment == .pseudonymised }.map(\.name) == ["child"], "\(table.regional)")
            for (name, from) in sources {
                let treatment = try #require(column(name)?.treatment, "\(table.regional).\(name)")
                // A date of birth reaches the warehouse only coarsened, or as an age.
                if from.contains("DOB") { #expect(treatment == .firstOfMonth || treatment == .ageYears, "\(table.regional).\(name)") }
                if treatment == .ageYears { #expect(from.count == 2 && from[0] == "DOB" && name.hasPrefix("age_at_"), "\(name)") }
                #expect(!from.contains("SW_ID"), "the social worker's identifier must never be loaded")
            }
            for regionalColumn in regional.columns where ![.returnLA, .returnYear, .returnCollection].contains(regionalColumn.treatment) {
                #expect(sources[regionalColumn.name] != nil, "\(table.regional).\(regionalColumn.name) is not filled")
                #expect(!regionalColumn.description.isEmpty)
            }
        }
        let socialWorkers = try #require(catalog.regionalTable("social_worker_episodes"))
        #expect(!socialWorkers.columns.contains { $0.name.contains("sw_id") })
        #expect(socialWorkers.description.contains("SW_ID"))
        let ages = ["uasc": "age_at_duc", "adoption_decisions": "age_at_date_int", "placed_for_adoption": "age_at_date_placed",
                    "missing_episodes": "age_at_mis_start", "reviews": "age_at_review", "deprivation_of_liberty": "age_at_dolo_start"]
        for (table, column) in ages {
            #expect(catalog.regionalTable(table)?.columns.contains { $0.name == column && $0.treatment == .ageYears } == true, "\(table).\(column)")
        }
    }
}
