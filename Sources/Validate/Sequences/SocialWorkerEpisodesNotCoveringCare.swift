/// DfE SW12STG2: an episode of a period of care in the reporting period (ending from 1 April of the year
/// before, or open; not respite V3, V4; starting one (RNE S) or ending one (REC other than X1)) whose
/// social worker episodes, as the validator pairs them, do not all start on or before its end (when it
/// ends one) or on or after its start (when it starts one); or that has none.
struct SocialWorkerEpisodesNotCoveringCare: SequenceRule {
    static let fields = ["DECOM", "DEC", "RNE", "REC", "LS"]
    static let others = ["ssda903.sw_episodes": ["SW_DECOM"]]

    static func failing(_ rows: [[String?]], others: ChildRows, in run: RuleRun) -> [Int] {
        guard others.isReturned("ssda903.sw_episodes") else { return [] }
        let from = CareFacts.adding(years: -1, to: run.startISO)!
        let starts = others["ssda903.sw_episodes"].map { $0[0] }
        return rows.indices.filter { i in
            let e = rows[i]
            guard e[1].map({ $0 >= from && $0 <= run.endISO }) ?? true,
                  e[4] != "V3", e[4] != "V4", e[2] == "S" || e[3] != "X1" else { return false }
            if starts.isEmpty { return true }
            return starts.contains { start in
                let beforeEnd = start.flatMap { s in e[1].map { s <= $0 } } ?? false
                let afterStart = start.flatMap { s in e[0].map { s >= $0 } } ?? false
                return !(beforeEnd && e[3] != "X1") && !(afterStart && e[2] == "S")
            }
        }
    }
}
