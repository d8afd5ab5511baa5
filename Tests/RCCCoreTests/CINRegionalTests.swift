import RCCCore
import RCCTestSupport
import Testing

/// The CIN census in the regional schema: every CIN input table has a mapping, identifiers are
/// pseudonymised as for SSDA903, dates of birth and death coarsened, ordinal keys kept so rows link,
/// ages computed from the child's full date of birth; and every regional table says which collection
/// a row came from.
@Suite struct CINRegionalTests {
    let catalog = TestSupport.catalog

    /// Each CIN input table and the regional table it loads into.
    static let targets: [String: String] = [
        "cin.child": "children", "cin.referral": "cin_referrals", "cin.assessment": "cin_assessments",
        "cin.assessment_factor": "cin_assessment_factors", "cin.plan": "cin_plans",
        "cin.section47": "section47_enquiries", "cin.protection_plan": "child_protection_plans",
        "cin.cpp_review": "cpp_reviews", "cin.disability": "disabilities",
    ]

    /// The generated ordinal keys of each CIN table, kept as they are so that rows link.
    static let ordinals: [String: [String]] = [
        "cin.referral": ["referral"], "cin.assessment": ["referral", "assessment"],
        "cin.assessment_factor": ["referral", "assessment"], "cin.plan": ["referral", "plan"],
        "cin.section47": ["referral", "section47"], "cin.protection_plan": ["referral", "protection_plan"],
        "cin.cpp_review": ["referral", "protection_plan"],
    ]

    /// Age columns: the event date each is computed at.
    static let ages: [String: [String: String]] = [
        "cin.referral": ["age_at_referral": "CINreferralDate", "age_at_closure": "CINclosureDate"],
        "cin.assessment": ["age_at_assessment_start": "AssessmentActualStartDate"],
        "cin.plan": ["age_at_cin_plan_start": "CINPlanStartDate"],
        "cin.section47": ["age_at_s47_start": "S47ActualStartDate"],
        "cin.protection_plan": ["age_at_cpp_start": "CPPstartDate", "age_at_cpp_end": "CPPendDate"],
        "cin.cpp_review": ["age_at_cpp_review": "CPPreviewDate"],
    ]

    func mapping(_ source: String) throws -> Mapping {
        let found = catalog.mappings(from: source)
        #expect(found.count == 1, "\(source) has \(found.count) mappings")
        return try #require(found.first, "\(source) has no mapping")
    }

    func sources(_ mapping: Mapping) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: mapping.columns.map { ($0.column, $0.from) })
    }

    @Test func everyCINInputHasAMappingToItsTable() throws {
        let cin = catalog.inputs.filter { $0.collection == "cin" }.map(\.id)
        #expect(Set(cin) == Set(Self.targets.keys))
        for (source, target) in Self.targets {
            #expect(try mapping(source).target == target, "\(source)")
            #expect(catalog.regionalTable(target) != nil, "\(target)")
        }
    }

    @Test func everyRegionalTableSaysWhichCollectionARowCameFrom() throws {
        #expect(catalog.regionalTables.count >= 20)
        for table in catalog.regionalTables {
            let column = try #require(table.columns.first { $0.name == "collection" }, "\(table.table) has no collection column")
            #expect(column.treatment == .returnCollection, "\(table.table)")
            #expect(column.type == .text)
            #expect(table.columns.filter { $0.treatment == .returnCollection }.count == 1)
            #expect(table.columns.contains { $0.name == "la" && $0.treatment == .returnLA })
            #expect(table.columns.contains { $0.name == "collection_year" && $0.treatment == .returnYear })
            // Filled from the return, never from a field.
            for mapping in catalog.mappings where mapping.target == table.table {
                #expect(!mapping.columns.contains { $0.column == "collection" }, "\(mapping.source)")
            }
        }
    }

    @Test func theCINChildLoadsIntoChildrenPseudonymisedAndCoarsened() throws {
        let children = try #require(catalog.regionalTable("children"))
        func column(_ name: String) throws -> RegionalColumn { try #require(children.columns.first { $0.name == name }, "\(name)") }
        let from = sources(try mapping("cin.child"))

        #expect(from["child"] == ["LAchildID"])
        #expect(try column("child").treatment == .pseudonymised && column("child").namespace == .laChild)
        for (name, field) in [("upn", "UPN"), ("former_upn", "FormerUPN")] {
            #expect(from[name] == [field])
            #expect(try column(name).treatment == .pseudonymised && column(name).namespace == .upn, "\(name)")
            // The unknown-UPN codes are not identifiers: they load as blank, never as a pseudonym.
            let unknown = try #require(try column(name).codelist.flatMap { catalog.codeLists[$0] }, "\(name)")
            for code in ["UN1", "UN2", "UN3", "UN4", "UN5", "UN6", "UN7"] { #expect(unknown.label(of: code) != nil, "\(name) \(code)") }
        }
        #expect(from["upn_unknown_reason"] == ["UPNunknown"])
        #expect(try column("upn_unknown_reason").treatment == .codeIfListed)
        for (name, field) in [("dob_month", "PersonBirthDate"), ("expected_dob_month", "ExpectedPersonBirthDate"),
                              ("death_month", "PersonDeathDate")] {
            #expect(from[name] == [field], "\(name)")
            #expect(try column(name).treatment == .firstOfMonth && column(name).type == .date, "\(name)")
            #expect(try column(name).description.contains(field), "the description names the DfE item \(field)")
        }
        #expect(from["sex"] == ["Sex"] && from["ethnic"] == ["Ethnicity"])
        // SSDA903's columns stay as they were, and its Header still fills them.
        let header = sources(try mapping("ssda903.header"))
        #expect(header["child"] == ["CHILD"] && header["upn"] == ["UPN"] && header["dob_month"] == ["DOB"])
        #expect(header["mother"] == ["MOTHER"] && header["mc_dob_month"] == ["MC_DOB"])
        #expect(children.columns.map(\.name) == ["la", "collection_year", "collection", "child", "upn", "former_upn",
                                                 "upn_unknown_reason", "sex", "dob_month", "expected_dob_month",
                                                 "death_month", "ethnic", "mother", "mc_dob_month"])
    }

    @Test func identifiersArePseudonymisedAndOrdinalKeysKept() throws {
        for (source, target) in Self.targets {
            let table = try #require(catalog.regionalTable(target))
            let from = sources(try mapping(source))
            let child = try #require(table.columns.first { $0.name == "child" })
            #expect(child.treatment == .pseudonymised && child.namespace == .laChild, "\(target)")
            #expect(from["child"] == ["LAchildID"], "\(source)")
            // LAchildID reaches the warehouse only as a pseudonym.
            for (name, fields) in from where fields.contains("LAchildID") {
                #expect(name == "child" && table.columns.first { $0.name == name }?.treatment == .pseudonymised, "\(source) → \(name)")
            }
            for key in Self.ordinals[source] ?? [] {
                let column = try #require(table.columns.first { $0.name == key }, "\(target).\(key)")
                #expect(from[key] == [key], "\(source).\(key)")
                #expect(column.treatment == .kept && column.type == .integer, "\(target).\(key)")
            }
        }
    }

    @Test func agesComeFromTheChildsFullDateOfBirthThroughADirectForeignKey() throws {
        for (source, ages) in Self.ages {
            let spec = try #require(catalog.input(source))
            let table = try #require(catalog.regionalTable(Self.targets[source]!))
            let from = sources(try mapping(source))
            #expect(spec.foreignKeys?.contains { $0.fields == ["LAchildID"] && $0.reference.table == "cin.child"
                && $0.reference.fields == ["LAchildID"] } == true, "\(source) must reference cin.child directly")
            for (name, event) in ages {
                #expect(from[name] == ["cin.child.PersonBirthDate", event], "\(source) → \(name)")
                #expect(table.columns.first { $0.name == name }?.treatment == .ageYears, "\(name)")
                #expect(spec.fields.first { $0.name == event }?.type == .date, "\(source).\(event)")
            }
            #expect(Set(table.columns.filter { $0.treatment == .ageYears }.map(\.name)) == Set(ages.keys), "\(table.table)")
        }
    }

    @Test func datesOfBirthAndDeathReachTheWarehouseOnlyCoarsened() throws {
        let sensitive: Set<String> = ["PersonBirthDate", "ExpectedPersonBirthDate", "PersonDeathDate", "cin.child.PersonBirthDate"]
        for source in Self.targets.keys {
            let mapping = try mapping(source)
            let table = try #require(catalog.regionalTable(mapping.target))
            for column in mapping.columns where !sensitive.isDisjoint(with: column.from) {
                let treatment = table.columns.first { $0.name == column.column }?.treatment
                #expect(treatment == .firstOfMonth || (treatment == .ageYears && sensitive.contains(column.from[0])),
                        "\(source) → \(column.column)")
            }
        }
    }

    @Test func everyColumnOfTheCINTablesIsFilledAndDocumented() throws {
        for (source, target) in Self.targets where target != "children" {
            let table = try #require(catalog.regionalTable(target))
            let from = sources(try mapping(source))
            for column in table.columns where ![.returnLA, .returnYear, .returnCollection].contains(column.treatment) {
                #expect(from[column.name] != nil, "\(target).\(column.name) is not filled by \(source)")
            }
            for column in table.columns { #expect(!column.description.isEmpty, "\(target).\(column.name)") }
            #expect(table.indexes?.contains(["la", "child"]) == true, "\(target)")
            // Every CIN field but the child's id (pseudonymised) is either mapped or an ordinal key.
            let spec = try #require(catalog.input(source))
            let mapped = Set(from.values.flatMap { $0 })
            for field in spec.fields { #expect(mapped.contains(field.name), "\(source).\(field.name) is not mapped") }
        }
    }
}
