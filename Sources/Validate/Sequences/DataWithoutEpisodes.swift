/// DfE 1012: rows of PlacedAdoption, Missing, Reviews, AD1, PrevPerm or OC2 for a child with no episodes
/// in the return; one rule a table.
enum DataWithoutEpisodes {
    static let others = [CareFacts.episodes: ["DECOM"]]

    static func failing(_ rows: RuleRows, _ others: ChildRows) -> [Int] {
        others.isReturned(CareFacts.episodes) && others[CareFacts.episodes].isEmpty ? Array(rows.indices) : []
    }

    struct PlacedAdoption: SequenceRule {
        static let fields = ["CHILD"]
        static let others = DataWithoutEpisodes.others
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] { DataWithoutEpisodes.failing(rows, others) }
    }

    struct Missing: SequenceRule {
        static let fields = ["CHILD"]
        static let others = DataWithoutEpisodes.others
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] { DataWithoutEpisodes.failing(rows, others) }
    }

    struct Reviews: SequenceRule {
        static let fields = ["CHILD"]
        static let others = DataWithoutEpisodes.others
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] { DataWithoutEpisodes.failing(rows, others) }
    }

    struct AD1: SequenceRule {
        static let fields = ["CHILD"]
        static let others = DataWithoutEpisodes.others
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] { DataWithoutEpisodes.failing(rows, others) }
    }

    struct PrevPerm: SequenceRule {
        static let fields = ["CHILD"]
        static let others = DataWithoutEpisodes.others
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] { DataWithoutEpisodes.failing(rows, others) }
    }

    struct OC2: SequenceRule {
        static let fields = ["CHILD"]
        static let others = DataWithoutEpisodes.others
        static func failing(_ rows: RuleRows, others: ChildRows, in run: RuleRun) -> [Int] { DataWithoutEpisodes.failing(rows, others) }
    }
}
