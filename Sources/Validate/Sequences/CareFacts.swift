import RCCCore

/// Facts about a child's care that several rules ask, worked out once here from the child's Episodes
/// rows (cells in the order of `episodeFields`).
enum CareFacts {
    static let episodes = "ssda903.episodes"
    static let episodeFields = ["DECOM", "DEC", "RNE", "REC", "LS"]
    /// The definitions here read their codes and ages from the shared parameters
    /// (`schemas/rules/ssda903-definitions.yaml`), which every rule's run carries.
    static let parameters: [String: RuleParameter.Kind] = [
        "starts_care": .codes, "care_goes_on": .codes, "short_breaks": .codes,
        "care_leaver_youngest": .number, "care_leaver_oldest": .number,
    ]

    /// Whether the child has been looked after continuously for at least 12 months at 31 March, as the
    /// validator works it out (lac_validator utils, add_col_to_episodes_CONTINUOUSLY_LOOKED_AFTER, after
    /// the DfE's definition): some episode falls in the year, and none starts a period of care
    /// (`starts_care`: RNE S) after 1 April, ends one (a reason not in `care_goes_on`: X1) on or after
    /// 1 April and before 31 March, or is a short break (`short_breaks`: LS V3, V4) in the year. A child with no
    /// episodes is not.
    static func continuouslyLookedAfter(_ rows: RuleRows, in run: RuleRun) -> Bool {
        let start = run.startISO, end = run.endISO
        let startsCare = run.codes("starts_care"), goesOn = run.codes("care_goes_on"), shortBreaks = run.codes("short_breaks")
        var inYear = false
        for row in rows {
            let decom = row[0], dec = row[1]
            let during = (decom.map { $0 <= end } ?? false) && (dec.map { $0 >= start } ?? true)
            if during { inYear = true }
            if startsCare.contains(row[2] ?? ""), let decom, decom > start, decom <= end { return false }
            if !goesOn.contains(row[3] ?? ""), let dec, dec >= start, dec < end { return false }
            if during, shortBreaks.contains(row[4] ?? "") { return false }
        }
        return inYear
    }

    /// `date` (ISO) moved on `years` whole years, as pandas' DateOffset moves it (29 February to 28 February).
    static func adding(years: Int, to date: String?) -> String? {
        guard let d = date.flatMap(CivilDate.init(iso:)) else { return nil }
        let day = min(d.day, CivilDate.daysIn(month: d.month, year: d.year + years))
        return CivilDate(year: d.year + years, month: d.month, day: day)?.iso
    }

    /// For a care leaver's OC3 row (DOB, then its items) with any item given, of a child aged from
    /// `care_leaver_youngest` to `care_leaver_oldest` (17 to 18) at 31 March: the child's latest birthday
    /// (ISO), the one of the age the child is then; nil otherwise.
    static func careLeaverBirthday(_ row: RuleRow, in run: RuleRun) -> String? {
        let youngest = run.number("care_leaver_youngest"), oldest = run.number("care_leaver_oldest")
        guard row[1...].contains(where: { $0 != nil }), youngest <= oldest,
              let first = adding(years: youngest, to: row[0]), first <= run.endISO,
              let past = adding(years: oldest + 1, to: row[0]), past > run.endISO
        else { return nil }
        return (youngest...oldest).reversed().lazy.compactMap { adding(years: $0, to: row[0]) }.first { $0 <= run.endISO }
    }

    /// The rows of a child's table (OC2, OC3, AD1…) that fail `test`, told whether the child has been
    /// looked after continuously for 12 months (from its Episodes rows, in `others`).
    /// Nothing fails when the return has no Episodes rows at all, as the validator does not run these rules then.
    static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun,
                        _ test: (_ row: RuleRow, _ lookedAfter: Bool) -> Bool) -> [Int] {
        guard others.isReturned(episodes) else { return [] }
        let lookedAfter = continuouslyLookedAfter(others[episodes], in: run)
        return rows.indices.filter { test(rows[$0], lookedAfter) }
    }

    /// A child's periods of care, as the validator finds them (577, 578): its episodes with a start, in order
    /// of start; one starting after the one before it ended begins a new period (after an open one, none
    /// does). A period runs from its first episode's start to its last episode's end (nil: open).
    static func periodsOfCare(_ rows: RuleRows) -> [(start: String, end: String?)] {
        var periods: [(start: String, end: String?)] = []
        var previousEnd: String?
        for i in SequenceRules.ordered(rows, by: 0) {
            guard let decom = rows[i][0] else { continue }
            if periods.isEmpty || previousEnd.map({ decom > $0 }) ?? false {
                periods.append((decom, rows[i][1]))
            } else {
                periods[periods.count - 1].end = rows[i][1]
            }
            previousEnd = rows[i][1]
        }
        return periods
    }

    /// Whether a period (a missing period, a DoLO) falls outside every period of care, as the validator's
    /// 577 and 707 test it: for each, it is open and the period of care has ended, or it is open and began
    /// before the period of care, or it ended after the period of care ended, or before it began. False
    /// without a start or without periods of care.
    static func outsideEveryPeriod(start: String?, end: String?, _ periods: [(start: String, end: String?)]) -> Bool {
        guard let start, !periods.isEmpty else { return false }
        return periods.allSatisfy { care in
            (end == nil && care.end != nil) || (end == nil && start < care.start)
                || (end != nil && care.end != nil && end! > care.end!) || (end.map { $0 < care.start } ?? false)
        }
    }
}
