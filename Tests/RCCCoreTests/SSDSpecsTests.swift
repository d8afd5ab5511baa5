import RCCCore
import RCCTestSupport
import Testing

/// The Standard Safeguarding Dataset (SSD) local extracts: their specs, code lists and mappings, as the
/// repository's schemas define them. Field names and order from data-to-insight/ssd-data-model, SSD
/// v1.4.0 (SystemC SQL Server deployment, analysis/ddl_reference), less the fields left out on purpose.
@Suite struct SSDSpecsTests {
    let catalog = TestSupport.catalog

    /// Each SSD table's fields as the spec reads them, in the SSD's order, and the regional table it loads into.
    static let tables: [(id: String, fields: [String], regional: String)] = [
        ("ssd.ssd_person", ["pers_person_id", "pers_upn", "pers_sex", "pers_ethnicity", "pers_dob", "pers_upn_unknown",
                            "pers_expected_dob", "pers_death_date", "pers_is_mother"], "children"),
        ("ssd.ssd_cla_episodes", ["clae_cla_episode_id", "clae_person_id", "clae_cla_placement_id", "clae_cla_episode_start_date",
                                  "clae_cla_episode_start_reason", "clae_cla_primary_need_code", "clae_cla_episode_ceased_date",
                                  "clae_cla_episode_ceased_reason", "clae_cla_id", "clae_referral_id",
                                  "clae_cla_last_iro_contact_date", "clae_entered_care_date"], "cla_episodes"),
        ("ssd.ssd_cla_placement", ["clap_cla_placement_id", "clap_cla_id", "clap_person_id", "clap_cla_placement_start_date",
                                   "clap_cla_placement_type", "clap_cla_placement_urn", "clap_cla_placement_provider",
                                   "clap_cla_placement_postcode", "clap_cla_placement_end_date",
                                   "clap_cla_placement_change_reason"], "placements"),
        ("ssd.ssd_legal_status", ["lega_legal_status_id", "lega_person_id", "lega_legal_status", "lega_legal_status_start_date",
                                  "lega_legal_status_end_date"], "legal_statuses"),
        ("ssd.ssd_cin_episodes", ["cine_referral_id", "cine_person_id", "cine_referral_date", "cine_cin_primary_need_code",
                                  "cine_referral_source_code", "cine_referral_nfa", "cine_close_reason", "cine_close_date"],
         "cin_referrals"),
        ("ssd.ssd_address", ["addr_table_id", "addr_person_id", "addr_address_type", "addr_address_start_date",
                             "addr_address_end_date", "addr_address_postcode"], "addresses"),
        ("ssd.ssd_disability", ["disa_table_id", "disa_person_id", "disa_disability_code"], "disabilities"),
    ]

    /// SSD fields the region must never hold: names, other identifiers (the NHS number), free text, the
    /// address itself, staff, and the distance from home. They are left out of the specs, so they are
    /// never read into a record (nor written to a quarantine file).
    static let neverRead: [String] = [
        "pers_forename", "pers_surname", "pers_legacy_id", "pers_single_unique_id", "pers_common_child_id", "pers_gender",
        "pers_nationality", "pers_send_flag", "addr_address_json", "cine_referral_source_desc", "cine_referral_outcome_json",
        "cine_referral_team", "cine_referral_worker_id", "clap_cla_placement_distance",
    ]

    /// The person id column of each table, its foreign key to ssd_person.
    static let personID: [String: String] = [
        "ssd.ssd_person": "pers_person_id", "ssd.ssd_cla_episodes": "clae_person_id", "ssd.ssd_cla_placement": "clap_person_id",
        "ssd.ssd_legal_status": "lega_person_id", "ssd.ssd_cin_episodes": "cine_person_id", "ssd.ssd_address": "addr_person_id",
        "ssd.ssd_disability": "disa_person_id",
    ]

    /// String fields that may load as they are (they identify a provider or label a kind, not a person).
    static let keptStrings: Set<String> = ["clap_cla_placement_urn", "addr_address_type"]

    var specs: [InputSpec] { catalog.inputs.filter { $0.collection == "ssd" } }

    func sources(_ mapping: Mapping) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: mapping.columns.map { ($0.column, $0.from) })
    }

    @Test func everySSDTableHasItsFieldsInTheSSDsOrder() throws {
        #expect(Set(specs.map(\.id)) == Set(Self.tables.map(\.id)))
        for table in Self.tables {
            let spec = try #require(catalog.input(table.id), "\(table.id) missing")
            #expect(spec.fields.map(\.name) == table.fields, "\(table.id)")
            #expect(spec.collection == "ssd" && spec.readsCSV && spec.xml == nil, "\(table.id)")
            #expect(spec.title.contains(String(table.id.dropFirst("ssd.".count))), "\(table.id)")
        }
        let episodes = try #require(catalog.input("ssd.ssd_cla_episodes"))
        #expect(episodes.fields.first { $0.name == "clae_cla_episode_ceased_date" }?.aliases == ["clae_cla_episode_ceased"],
                "the name before SSD 1.4 is an alias")
    }

    @Test func fieldsThatMustNeverBeHeldAreNotRead() throws {
        for spec in specs {
            for field in spec.fields {
                #expect(!Self.neverRead.contains(field.name), "\(spec.id).\(field.name)")
                for alias in field.aliases ?? [] { #expect(!Self.neverRead.contains(alias), "\(spec.id).\(field.name) alias \(alias)") }
                #expect(!field.name.contains("name") && !field.name.contains("json") && !field.name.contains("worker"),
                        "\(spec.id).\(field.name)")
            }
        }
    }

    @Test func typesFormatsCodeListsAndRequiredFields() throws {
        for spec in specs {
            for field in spec.fields {
                if field.type == .date { #expect(field.formats == ["yyyy-mm-dd", "dd/mm/yyyy"], "\(spec.id).\(field.name)") }
                if field.type == .code {
                    #expect(field.codelist.flatMap { catalog.codeLists[$0] } != nil, "\(spec.id).\(field.name)")
                }
                if field.name.hasSuffix("_date") || field.name.hasSuffix("_dob") { #expect(field.type == .date, "\(spec.id).\(field.name)") }
            }
            let key = try #require(spec.primaryKey, "\(spec.id) has no primary key")
            #expect(key.count == 1, "\(spec.id)")
            for name in key { #expect(spec.fields.first { $0.name == name }?.isRequired == true, "\(spec.id).\(name)") }
            let person = try #require(Self.personID[spec.id])
            #expect(spec.fields.first { $0.name == person }?.isRequired == true, "\(spec.id).\(person)")
        }
        func codelist(_ table: String, _ field: String) -> String? {
            catalog.input(table)?.fields.first { $0.name == field }?.codelist
        }
        // Where the codes are SSDA903's or the CIN census's, their lists are reused by id.
        #expect(codelist("ssd.ssd_person", "pers_ethnicity") == "ssda903.ETHNIC")
        #expect(codelist("ssd.ssd_legal_status", "lega_legal_status") == "ssda903.LS")
        #expect(codelist("ssd.ssd_cla_placement", "clap_cla_placement_type") == "ssda903.PLACE")
        #expect(codelist("ssd.ssd_cla_placement", "clap_cla_placement_provider") == "ssda903.PLACE_PROVIDER")
        #expect(codelist("ssd.ssd_cla_placement", "clap_cla_placement_change_reason") == "ssda903.REASON_PLACE_CHANGE")
        #expect(codelist("ssd.ssd_cla_episodes", "clae_cla_episode_start_reason") == "ssda903.RNE")
        #expect(codelist("ssd.ssd_cla_episodes", "clae_cla_episode_ceased_reason") == "ssda903.REC")
        #expect(codelist("ssd.ssd_cin_episodes", "cine_close_reason") == "cin.ReasonForClosure")
        #expect(codelist("ssd.ssd_person", "pers_sex") == "ssd.Sex")
        #expect(catalog.codeLists["ssd.Sex"]?.validCodes(in: 2025) == ["M", "F", "U"])
        #expect(catalog.codeLists["ssd.YesNo"]?.validCodes(in: 2025) == ["Y", "N"])
        // The SSD's own lists are under codes/ssd, with their source.
        for list in catalog.codeLists.values where list.id.hasPrefix("ssd.") { #expect(list.source.contains("ssd-data-model"), "\(list.id)") }
        let person = try #require(catalog.input("ssd.ssd_person"))
        #expect(person.fields.first { $0.name == "pers_upn" }?.type == .upn)
        #expect(catalog.input("ssd.ssd_address")?.fields.first { $0.name == "addr_address_postcode" }?.type == .postcode)
        #expect(catalog.input("ssd.ssd_cla_placement")?.fields.first { $0.name == "clap_cla_placement_postcode" }?.type == .postcode)
    }

    @Test func everyTableReferencesThePersonSoItLoadsAfterIt() throws {
        for spec in specs where spec.id != "ssd.ssd_person" {
            let person = try #require(Self.personID[spec.id])
            #expect(spec.foreignKeys?.contains { $0.fields == [person] && $0.reference.table == "ssd.ssd_person"
                && $0.reference.fields == ["pers_person_id"] } == true, "\(spec.id)")
        }
        #expect(catalog.input("ssd.ssd_person")?.primaryKey == ["pers_person_id"])
    }

    @Test func everySSDInputHasAMappingToItsTable() throws {
        for table in Self.tables {
            let mappings = catalog.mappings(from: table.id)
            #expect(mappings.map(\.target) == [table.regional], "\(table.id)")
        }
        // SSD episodes carry no legal status or placement: they stay out of care_episodes, which the views read.
        #expect(!catalog.mappings.contains { $0.source.hasPrefix("ssd.") && $0.target == "care_episodes" })
    }

    @Test func identifiersArePseudonymisedDatesOfBirthCoarsenedPostcodesToSectors() throws {
        for table in Self.tables {
            let spec = try #require(catalog.input(table.id))
            let mapping = try #require(catalog.mappings(from: table.id).first)
            let regional = try #require(catalog.regionalTable(mapping.target))
            let from = sources(mapping)
            func column(_ name: String) -> RegionalColumn? { regional.columns.first { $0.name == name } }
            let person = try #require(Self.personID[table.id])

            #expect(from["child"] == [person], "\(table.id)")
            #expect(column("child")?.treatment == .pseudonymised && column("child")?.namespace == .laChild)
            for (name, fields) in from {
                let treatment = try #require(column(name)?.treatment, "\(mapping.target).\(name)")
                let first = fields[0]
                let field = spec.fields.first { $0.name == first }
                // No field that must never be held is mapped (they are not even in the spec).
                #expect(Self.neverRead.allSatisfy { !fields.contains($0) }, "\(table.id) → \(name)")
                // The person's id and UPN only as pseudonyms; other record ids are not loaded at all.
                if first == person { #expect(treatment == .pseudonymised && column(name)?.namespace == .laChild) }
                if first == "pers_upn" { #expect(treatment == .pseudonymised && column(name)?.namespace == .upn) }
                if first.hasSuffix("_id") { #expect(first == person, "\(table.id).\(first) is a record id and must not be loaded") }
                // Dates of birth and death only coarsened, or as ages computed from them.
                if ["pers_dob", "pers_expected_dob", "pers_death_date"].contains(first) { #expect(treatment == .firstOfMonth, "\(name)") }
                if fields.contains("ssd.ssd_person.pers_dob") {
                    #expect(treatment == .ageYears && first == "ssd.ssd_person.pers_dob" && fields.count == 2 && name.hasPrefix("age_at_"))
                }
                if treatment == .ageYears { #expect(first == "ssd.ssd_person.pers_dob", "\(mapping.target).\(name)") }
                // Postcodes only as sectors.
                if field?.type == .postcode { #expect(treatment == .postcodeSector, "\(table.id).\(first)") }
                // Strings (identifiers, labels) load as they are only where they identify no one.
                if field?.type == .string && treatment != .pseudonymised {
                    #expect(Self.keptStrings.contains(first), "\(table.id).\(first) is a string loaded as it is")
                }
            }
            if table.id != "ssd.ssd_person" {
                #expect(spec.foreignKeys?.contains { $0.reference.table == "ssd.ssd_person" } == true)
                #expect(regional.columns.contains { $0.treatment == .ageYears } == (table.id != "ssd.ssd_address" && table.id != "ssd.ssd_disability"),
                        "\(mapping.target)")
            }
        }
        let children = sources(try #require(catalog.mappings(from: "ssd.ssd_person").first))
        #expect(children["dob_month"] == ["pers_dob"] && children["upn"] == ["pers_upn"] && children["child"] == ["pers_person_id"])
        #expect(children["expected_dob_month"] == ["pers_expected_dob"] && children["death_month"] == ["pers_death_date"])
        #expect(children["upn_unknown_reason"] == ["pers_upn_unknown"])
    }

    @Test func theNewRegionalTablesAreDocumented() throws {
        for name in ["legal_statuses", "placements", "addresses", "cla_episodes"] {
            let table = try #require(catalog.regionalTable(name), "\(name)")
            for column in table.columns { #expect(!column.description.isEmpty, "\(name).\(column.name)") }
            #expect(table.indexes?.contains(["la", "child"]) == true)
            let mapping = try #require(catalog.mappings.first { $0.target == name })
            let from = sources(mapping)
            for column in table.columns where ![.returnLA, .returnYear, .returnCollection].contains(column.treatment) {
                #expect(from[column.name] != nil, "\(name).\(column.name) is not filled")
            }
        }
        let addresses = try #require(catalog.regionalTable("addresses"))
        #expect(addresses.columns.filter { $0.name.contains("post") }.map(\.treatment) == [.postcodeSector])
    }
}
