import RCCCore

/// DfE SW12STG2: an episode of a period of care in the reporting period (ending from 1 April `years_before`
/// (1) year(s) before the collection year's, or open; not respite (legal status of `respite`: V3, V4);
/// starting one (RNE of `period_start`: S) or ending one (REC other than those of `continuing`: X1)) whose
/// social worker episodes, as the validator pairs them, do not all start on or before its end (when it ends
/// one) or on or after its start (when it starts one); or that has none.
struct SocialWorkerEpisodesNotCoveringCare: SequenceRule {
    static let fields = ["DECOM", "DEC", "RNE", "REC", "LS"]
    static let others = ["ssda903.sw_episodes": ["SW_DECOM"]]
    static let parameters: [String: RuleParameter.Kind] = [
        "years_before": .number, "respite": .codes, "period_start": .codes, "continuing": .codes,
    ]

    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] {
        guard others.isReturned("ssda903.sw_episodes") else { return [] }
        let from = CareFacts.adding(years: -run.number("years_before"), to: run.startISO)!
        let respite = run.codes("respite"), periodStart = run.codes("period_start"), continuing = run.codes("continuing")
        let starts = others["ssda903.sw_episodes"].map { $0[0] }
        return rows.indices.filter { i in
            let e = rows[i]
            let startsPeriod = periodStart.contains(e[2] ?? ""), endsPeriod = !continuing.contains(e[3] ?? "")
            guard e[1].map({ $0 >= from && $0 <= run.endISO }) ?? true,
                  !respite.contains(e[4] ?? ""), startsPeriod || endsPeriod else { return false }
            if starts.isEmpty { return true }
            return starts.contains { start in
                let beforeEnd = start.flatMap { s in e[1].map { s <= $0 } } ?? false
                let afterStart = start.flatMap { s in e[0].map { s >= $0 } } ?? false
                return !(beforeEnd && endsPeriod) && !(afterStart && startsPeriod)
            }
        }
    }
}
