import Extract
import Foundation
import RCCCore

/// One readable source found in an input file (the file itself, or a member of an archive in it),
/// with what it holds and the return it belongs to.
struct Leaf: Sendable {
    enum Content: Sendable {
        case csv(InputSpec)
        case xml(root: String, specs: [InputSpec])
    }

    /// Where the leaf's entry in the run summary is.
    var index: Int
    /// The input file on disk that holds it.
    var file: String
    /// The leaf's own path: `file`, or `file!/member…` inside archives.
    var path: String
    /// SHA-256 of the input file, as sent.
    var digest: String
    var content: Content?
    var key: ReturnKey?
    /// For a refused source whose table is unknown: the LA and year its place says, whose returns it holds back.
    var heldBack: (la: String, year: Int)?

    var specs: [InputSpec] {
        switch content {
        case .csv(let spec): [spec]
        case .xml(_, let specs): specs
        case nil: []
        }
    }
}

/// The first pass over the inputs: every input file is walked (gzip and zip layers peeled, at any
/// depth), every leaf sniffed, its table recognised from its header (CSV) or root element (XML), and
/// its return worked out. Nothing is loaded; each input file's bytes are hashed.
struct SourceSurvey {
    let catalog: SchemaCatalog
    let recognizer: TableRecognizer
    let identity: ReturnIdentity
    let limits: ExtractionLimits

    init(catalog: SchemaCatalog, identity: ReturnIdentity, limits: ExtractionLimits) {
        self.catalog = catalog
        recognizer = TableRecognizer(specs: catalog.inputs.filter(\.readsCSV))
        self.identity = identity
        self.limits = limits
    }

    /// Why a source was refused, without its own path in front (the summary names the source already).
    static func reason(_ error: any Error, path: String) -> String {
        let text = "\(error)"
        return text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text
    }

    /// Surveys one input file, adding its leaves to `summary` and returning them.
    func survey(file: String, root: String, summary: inout RunSummary) -> [Leaf] {
        var leaves: [Leaf] = []
        // A link could pull in any file the user can read (a key, another LA's return): it is refused,
        // and holds back the return its place says it belongs to.
        if (try? FileManager.default.attributesOfItem(atPath: file)[.type] as? FileAttributeType) == .typeSymbolicLink {
            var source = RunSummary.Source(path: file)
            source.rejected = "a symbolic link: rcc reads no links, so that nothing outside the return can be pulled in; copy the file in instead"
            var leaf = Leaf(index: summary.sources.count, file: file, path: file, digest: "")
            if let la = identity.la ?? identity.la(for: file), let year = identity.year ?? identity.year(for: file) {
                leaf.heldBack = (la, year)
                source.la = la
                source.year = year
            }
            summary.sources.append(source)
            return [leaf]
        }
        let digest: String
        do {
            digest = try SourceDigest.sha256(file: file)
        } catch {
            var source = RunSummary.Source(path: file)
            source.rejected = Self.reason(error, path: file)
            summary.sources.append(source)
            return []
        }
        var manifest: (path: String, manifest: Manifest)?
        var manifestError: RCCError?
        do { manifest = try Manifest.find(for: file, root: root) } catch { manifestError = error as? RCCError }

        do {
            try SourceWalker.walk(path: file, limits: limits) { opened in
                var source = RunSummary.Source(path: opened.source.path)
                var leaf = Leaf(index: summary.sources.count, file: file, path: opened.source.path, digest: digest)
                source.format = (opened.containers + [opened.format.description]).joined(separator: " › ")
                source.encoding = opened.encoding
                var header: [String: String] = [:]
                do {
                    if let manifestError { throw manifestError }
                    header = try recognise(opened, leaf: &leaf, summary: &source)
                } catch {
                    source.rejected = source.rejected ?? Self.reason(error, path: opened.source.path)
                }
                if let collection = leaf.specs.first?.collection, source.rejected == nil || leaf.content != nil {
                    switch identity.resolve(path: leaf.path, collection: collection, manifest: manifest?.manifest, header: header) {
                    case .success(let key):
                        leaf.key = key
                        source.la = key.la
                        source.year = key.year
                        source.collection = key.collection
                        if let manifest { source.notes.append("return identity from manifest \(manifest.path)") }
                    case .failure(let error):
                        source.rejected = source.rejected ?? error.message
                    }
                }
                if leaf.key == nil, source.rejected != nil, let la = identity.la ?? manifest?.manifest.la ?? identity.la(for: leaf.path),
                   let year = identity.year ?? manifest?.manifest.year ?? identity.year(for: leaf.path) {
                    leaf.heldBack = (la, year)
                }
                summary.sources.append(source)
                leaves.append(leaf)
            }
        } catch {
            // A broken archive (or one whose end shows a problem, such as a link member) is refused whole:
            // nothing read from it counts, and its returns are not loaded.
            let reason = "\(error)"
            if leaves.isEmpty {
                var source = RunSummary.Source(path: file)
                source.rejected = Self.reason(error, path: file)
                var leaf = Leaf(index: summary.sources.count, file: file, path: file, digest: digest)
                if let la = identity.la ?? manifest?.manifest.la ?? identity.la(for: file),
                   let year = identity.year ?? manifest?.manifest.year ?? identity.year(for: file) {
                    leaf.heldBack = (la, year)
                }
                summary.sources.append(source)
                leaves.append(leaf)
            }
            for leaf in leaves where summary.sources[leaf.index].rejected == nil {
                summary.sources[leaf.index].rejected = "the file it is in was refused: \(reason)"
            }
        }
        return leaves
    }

    /// Works out what a leaf holds; returns the document header values (XML) for the return's identity.
    private func recognise(_ opened: OpenedSource, leaf: inout Leaf, summary source: inout RunSummary.Source) throws -> [String: String] {
        switch opened.format {
        case .delimitedText:
            let csv = try CSVReader(source: opened.source, encoding: opened.encoding, maxFieldBytes: limits.maxFieldBytes)
            guard let header = try csv.next() else {
                source.rejected = "the file is empty"
                return [:]
            }
            switch recognizer.recognise(header: header.fields) {
            case .recognised(let match):
                leaf.content = .csv(match.spec)
                source.table = match.spec.id
                source.extraColumns = match.extraColumns
            case .incomplete(let spec, let problem):
                leaf.content = .csv(spec)
                source.table = spec.id
                source.rejected = "the header looks like \(spec.title) but has \(problem)"
            case .unrecognised:
                source.rejected = "the header matches no known table (known: \(recognizer.titles.joined(separator: ", ")))"
            }
            return [:]
        case .xml(let root):
            let specs = catalog.inputs.filter { $0.xml?.root == root }
            guard !specs.isEmpty else {
                source.rejected = "XML with root element \(root) is no return this pipeline knows (known roots: "
                    + Set(catalog.inputs.compactMap { $0.xml?.root }).sorted().joined(separator: ", ") + ")"
                return [:]
            }
            let reader = try XMLTableReader(source: opened.source, specs: specs)
            let header = try reader.readHeader()
            leaf.content = .xml(root: root, specs: reader.specs)
            source.table = specs.first?.collection
            return header
        case .zip:
            source.rejected = "a zip archive that could not be opened as one"
            return [:]
        case .binary(let what):
            source.rejected = "this is \(what), not a CSV or XML return"
            return [:]
        }
    }
}
