import Extract
import RCCCore
import RCCTestSupport
import Testing

/// An LA's SSD extract is one CSV per table: each table's header must be recognised as itself, with
/// the columns the specs leave out on purpose (names, free text, other identifiers) kept out, and no
/// SSD header can pass for an SSDA903 table or an SSDA903 header for an SSD table.
@Suite struct SSDRecognitionTests {
    let catalog = TestSupport.catalog
    var recognizer: TableRecognizer { TableRecognizer(specs: catalog.inputs.filter(\.readsCSV)) }
    var ssd: [InputSpec] { catalog.inputs.filter { $0.collection == "ssd" } }
    var ssda903: [InputSpec] { catalog.inputs.filter { $0.collection == "ssda903" } }

    /// Each table's full header in SSD v1.4.0 (data-to-insight/ssd-data-model, SystemC SQL Server
    /// deployment), columns the specs leave out included.
    static let fullHeaders: [String: [String]] = [
        "ssd.ssd_person": ["pers_legacy_id", "pers_person_id", "pers_upn", "pers_forename", "pers_surname", "pers_sex",
                           "pers_gender", "pers_ethnicity", "pers_dob", "pers_single_unique_id", "pers_upn_unknown",
                           "pers_send_flag", "pers_expected_dob", "pers_death_date", "pers_is_mother", "pers_nationality"],
        "ssd.ssd_cla_episodes": ["clae_cla_episode_id", "clae_person_id", "clae_cla_placement_id", "clae_cla_episode_start_date",
                                 "clae_cla_episode_start_reason", "clae_cla_primary_need_code", "clae_cla_episode_ceased_date",
                                 "clae_cla_episode_ceased_reason", "clae_cla_id", "clae_referral_id",
                                 "clae_cla_last_iro_contact_date", "clae_entered_care_date"],
        "ssd.ssd_cla_placement": ["clap_cla_placement_id", "clap_cla_id", "clap_person_id", "clap_cla_placement_start_date",
                                  "clap_cla_placement_type", "clap_cla_placement_urn", "clap_cla_placement_distance",
                                  "clap_cla_placement_provider", "clap_cla_placement_postcode", "clap_cla_placement_end_date",
                                  "clap_cla_placement_change_reason"],
        "ssd.ssd_legal_status": ["lega_legal_status_id", "lega_person_id", "lega_legal_status", "lega_legal_status_start_date",
                                 "lega_legal_status_end_date"],
        "ssd.ssd_cin_episodes": ["cine_referral_id", "cine_person_id", "cine_referral_date", "cine_cin_primary_need_code",
                                 "cine_referral_source_code", "cine_referral_source_desc", "cine_referral_outcome_json",
                                 "cine_referral_nfa", "cine_close_reason", "cine_close_date", "cine_referral_team",
                                 "cine_referral_worker_id"],
        "ssd.ssd_address": ["addr_table_id", "addr_person_id", "addr_address_type", "addr_address_start_date",
                            "addr_address_end_date", "addr_address_postcode", "addr_address_json"],
        "ssd.ssd_disability": ["disa_table_id", "disa_person_id", "disa_disability_code"],
    ]

    @Test func everySSDTablesOwnHeaderIsRecognisedAsItself() throws {
        #expect(ssd.count == Self.fullHeaders.count)
        for spec in ssd {
            let names = spec.fields.map(\.name)
            for header in [names, names.reversed(), names.map { $0.uppercased() }, names.map { $0.replacingOccurrences(of: "_", with: " ") }] {
                guard case .recognised(let match) = recognizer.recognise(header: header) else {
                    Issue.record("\(spec.id): \(header) not recognised"); continue
                }
                #expect(match.spec.id == spec.id, "\(header) taken for \(match.spec.id)")
                #expect(match.extraColumns.isEmpty)
            }
        }
    }

    @Test func theFullSSDHeaderIsRecognisedWithTheLeftOutColumnsKeptOut() throws {
        for (table, header) in Self.fullHeaders {
            let spec = try #require(catalog.input(table))
            guard case .recognised(let match) = recognizer.recognise(header: header) else {
                Issue.record("\(table): full header not recognised"); continue
            }
            #expect(match.spec.id == table)
            let read = Set(spec.fields.map(\.name))
            #expect(match.extraColumns == header.filter { !read.contains($0) }, "\(table)")
            // Each spec field is found in its own column.
            for (i, field) in spec.fields.enumerated() { #expect(match.columns[i].map { header[$0] } == field.name, "\(table).\(field.name)") }
        }
        // The name of the episode end date before SSD 1.4 is still recognised.
        var old = Self.fullHeaders["ssd.ssd_cla_episodes"]!
        old[old.firstIndex(of: "clae_cla_episode_ceased_date")!] = "clae_cla_episode_ceased"
        guard case .recognised(let match) = recognizer.recognise(header: old) else { Issue.record("old header not recognised"); return }
        #expect(match.spec.id == "ssd.ssd_cla_episodes" && match.extraColumns.isEmpty)
    }

    @Test func anSSDHeaderMissingAColumnIsNamedAsItself() throws {
        for spec in ssd where spec.fields.count >= 4 {
            let header = spec.fields.dropLast().map(\.name)
            guard case .incomplete(let found, let problem) = recognizer.recognise(header: header) else {
                Issue.record("\(spec.id): expected incomplete"); continue
            }
            #expect(found.id == spec.id, "\(header) taken for \(found.id)")
            #expect(problem.contains(spec.fields.last!.name))
        }
    }

    @Test func noSSDHeaderCanPassForAnSSDA903TableNorTheOtherWayRound() throws {
        func names(_ spec: InputSpec) -> Set<String> {
            Set(spec.fields.flatMap { [$0.name] + ($0.aliases ?? []) }.map(HeaderName.normalise))
        }
        // No column name or alias is shared, so neither can match a column of the other.
        for s in ssd {
            for t in ssda903 { #expect(names(s).isDisjoint(with: names(t)), "\(s.id) and \(t.id) share \(names(s).intersection(names(t)))") }
        }
        for spec in ssda903 {
            let header = spec.fields.map(\.name)
            guard case .recognised(let match) = recognizer.recognise(header: header) else {
                Issue.record("\(spec.id) not recognised"); continue
            }
            #expect(match.spec.id == spec.id)
        }
        // An SSDA903 header with SSD columns added is still its SSDA903 table, and the reverse.
        let header903 = try #require(catalog.input("ssda903.header")).fields.map(\.name)
        guard case .recognised(let m1) = recognizer.recognise(header: header903 + ["pers_person_id", "pers_dob", "pers_sex"]) else {
            Issue.record("header not recognised"); return
        }
        #expect(m1.spec.id == "ssda903.header")
        guard case .recognised(let m2) = recognizer.recognise(header: Self.fullHeaders["ssd.ssd_person"]! + ["CHILD", "DOB", "SEX"]) else {
            Issue.record("ssd_person not recognised"); return
        }
        #expect(m2.spec.id == "ssd.ssd_person")
    }
}
