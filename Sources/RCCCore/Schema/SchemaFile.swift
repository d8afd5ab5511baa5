import Dispatch
import Foundation
import Synchronization
import Yams

/// One file of `schemas/`, decoded: what `SchemaCatalog.load` puts together.
enum SchemaFile: Sendable {
    /// Which kind of file a path holds (by its folder).
    enum Kind: Sendable {
        case input, codeList, rules, dfeRules, table, mapping, profile
    }

    /// A file of `rules/`: rules, shared parameters, named conditions (any of them).
    struct Rules: Decodable, Sendable {
        var rules: [RuleSpec]?
        var parameters: [String: RuleParameter]?
        var conditions: [String: String]?
    }

    case input(InputSpec)
    case codeList(CodeList)
    case rules(Rules)
    case dfeRules(DfERuleCatalogue)
    case table(RegionalTable)
    case mapping(Mapping)
    case profile(Profile)

    static func decode(_ kind: Kind, _ text: String) throws -> SchemaFile {
        let decoder = YAMLDecoder()
        switch kind {
        case .input: return .input(try decoder.decode(InputSpec.self, from: text))
        case .codeList: return .codeList(try decoder.decode(CodeList.self, from: text))
        case .rules: return .rules(try decoder.decode(Rules.self, from: text))
        case .dfeRules: return .dfeRules(try decoder.decode(DfERuleCatalogue.self, from: text))
        case .table: return .table(try decoder.decode(RegionalTable.self, from: text))
        case .mapping: return .mapping(try decoder.decode(Mapping.self, from: text))
        case .profile: return .profile(try decoder.decode(Profile.self, from: text))
        }
    }

    /// Decodes every file, on as many threads as there are cores, largest first so that the last to
    /// finish is a small one. The results are in the order given, each the file or why it is not valid.
    static func decodeAll(_ files: [(kind: Kind, text: String)]) -> [Result<SchemaFile, any Error>] {
        let order = files.indices.sorted { files[$0].text.utf8.count > files[$1].text.utf8.count }
        let next = Atomic<Int>(0)
        let results = Mutex([Result<SchemaFile, any Error>?](repeating: nil, count: files.count))
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, files.count)
        DispatchQueue.concurrentPerform(iterations: max(workers, 1)) { _ in
            while true {
                let taken = next.add(1, ordering: .relaxed).oldValue
                guard taken < order.count else { return }
                let index = order[taken]
                let result = Result { try decode(files[index].kind, files[index].text) }
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
