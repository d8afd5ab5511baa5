/// DfE 2885: a child protection plan starting in the collection year does not start on the day of the
/// initial child protection conference: that of a section 47 enquiry of its referral (one whose conference
/// is required), or, when the referral has no such enquiry, the referral's own. Three rules, as the
/// validator flags three tables: the plan; the enquiries of a referral none of whose conferences is the
/// day a plan of it starts; the referral (without such enquiries) whose conference is the day none starts.
enum ProtectionPlanNotOnConferenceDay {
    static let plans = "cin.protection_plan", enquiries = "cin.section47", referrals = "cin.referral"

    /// Plans in the year (cells: referral, CPPstartDate): their starts, by referral.
    static func starts(_ plans: RuleRows, _ run: RuleRun) -> [String?: Set<String>] {
        var out: [String?: Set<String>] = [:]
        for p in plans {
            guard let start = p[1], start >= run.startISO, start <= run.endISO else { continue }
            out[p[0], default: []].insert(start)
        }
        return out
    }

    /// Whether an enquiry (ICPCnotRequired) needs a conference: not marked not required (TRUE or 1:
    /// the XML schema's boolean true, cin.YesNo, a fact of the format, not a DfE code).
    static func required(_ notRequired: String?) -> Bool { notRequired != "TRUE" && notRequired != "1" }

    struct Plan: SequenceRule {
        static let fields = ["referral", "CPPstartDate"]
        static let others = [enquiries: ["referral", "DateOfInitialCPC", "ICPCnotRequired"], referrals: ["referral", "DateOfInitialCPC"]]

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            rows.indices.filter { i in
                guard let start = rows[i][1], start >= run.startISO, start <= run.endISO else { return false }
                let conferences = others[enquiries].filter { $0[0] == rows[i][0] && required($0[2]) }
                if !conferences.isEmpty { return !conferences.contains { $0[1] == start } }
                return !others[referrals].contains { $0[0] == rows[i][0] && $0[1] == start }
            }
        }
    }

    struct Enquiry: SequenceRule {
        static let fields = ["referral", "DateOfInitialCPC", "ICPCnotRequired"]
        static let others = [plans: ["referral", "CPPstartDate"]]

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let planStarts = starts(others[plans], run)
            return rows.indices.filter { i in
                guard required(rows[i][2]), let starts = planStarts[rows[i][0]] else { return false }
                // None of the referral's required conferences is the day one of its plans starts.
                return !rows.contains { $0[0] == rows[i][0] && required($0[2]) && ($0[1].map(starts.contains) ?? false) }
            }
        }
    }

    struct Referral: SequenceRule {
        static let fields = ["referral", "DateOfInitialCPC"]
        static let others = [plans: ["referral", "CPPstartDate"], enquiries: ["referral", "ICPCnotRequired"]]

        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
            let planStarts = starts(others[plans], run)
            return rows.indices.filter { i in
                guard let starts = planStarts[rows[i][0]],
                      !others[enquiries].contains(where: { $0[0] == rows[i][0] && required($0[1]) }) else { return false }
                return !(rows[i][1].map(starts.contains) ?? false)
            }
        }
    }
}
