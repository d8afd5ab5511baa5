import CLibXML2
import RCCCore

/// Reads the tables of an XML return (the CIN census) as a stream, with libxml2's streaming
/// reader, cutting rows out of the document as the specs' `xml` bindings say (see `XMLBinding`):
/// the shape of the tables is data in `schemas/inputs/`, not code here.
///
/// The document is pulled from the `ByteSource` as libxml2 needs it and is never in memory whole:
/// one unit (one `Child`) is held at a time, its rows made, and it is dropped.
///
/// Safety: no network (`XML_PARSE_NONET`), no entity substitution, no DTD loading (neither
/// `XML_PARSE_NOENT` nor `XML_PARSE_DTDLOAD` is ever set), and a document with a document type
/// declaration is refused before libxml2 reads it, so no entity is declared, expanded or fetched.
/// Errors name the file and line, never a value.
public final class XMLTableReader {
    public let path: String
    /// The specs read, in the order their rows are emitted: a table before the tables whose
    /// foreign keys refer to it (`cin.child`, then `cin.referral`, then `cin.assessment`…).
    public let specs: [InputSpec]
    /// Rows made so far, over every table, and per table id.
    public private(set) var rowsRead = 0
    public private(set) var rowsReadByTable: [String: Int] = [:]
    /// Units (children) read so far.
    public private(set) var unitsRead = 0
    /// Row elements that carried no value at all (`<EPISODE/>`, `<Disability></Disability>`, a
    /// `<DATE_INT/>` with every adoption item blank), per table id: like a CSV row of delimiters
    /// only, they make no row, and are counted so the summary can say so.
    public private(set) var emptyRowsByTable: [String: Int] = [:]
    /// The element name each table's rows are made from (`EPISODE`), for telling of empty ones.
    public func rowElement(of table: String) -> String? { specs.first { $0.id == table }?.xml?.rowPath.last }

    /// Values of the document outside the units (the header: `LEA`, `ReferenceDate`, `Collection`,
    /// `Year`…), by element name, the first of each name; complete once the first unit starts
    /// (`readHeader()`), as the header comes before the children.
    public var header: [String: String] { headerByName }
    /// The same values by their path below the root element, e.g. `Header/Source/LEA`.
    public var documentValues: [String: String] { valuesByPath }

    /// The most elements one unit may hold, and the most text: a larger unit is refused, not buffered.
    public static let maxUnitElements = 200_000
    public static let maxUnitTextBytes = 32 << 20

    private let feed: XMLByteFeed
    private let reader: OpaquePointer
    private let unitPaths: [[Int32]]
    private let compiled: [Compiled]

    private var stack: [Frame] = []
    private var unit: Unit?
    /// The unit being read, in document order (index 0 is the unit element), and its elements'
    /// text, in `text` where each element's lies whole (see `Node`). Kept between units.
    private var nodes: [Node] = []
    private var text: [UInt8] = []
    private var splitText: [Int32: String] = [:]
    private var headerByName: [String: String] = [:]
    private var valuesByPath: [String: String] = [:]

    /// Element names as numbers: the root's is 0, then the other names the specs use (`countedNames` of
    /// them in all), then others as they are met, up to `maxNames`; later names are all `otherName`.
    private var names = Names()
    private var nameCache: [UnsafePointer<xmlChar>: Int32] = [:]
    private var countedNames = 0
    private static let maxNames = 10_000
    private static let otherName: Int32 = -1
    /// How many children of each counted name each open element has had: slot `depth * countedNames + name`,
    /// valid while its stamp is the open element's `serial` (so nothing is cleared per element).
    private var ordinalStamps: [Int] = []
    private var ordinalCounts: [Int32] = []
    private var serials = 0

    private var pending: [[Record]]
    private var maxPending = 0
    private var flushing = false
    private var flushIndex = 0
    private var sawRoot = false
    private var headerRead = false
    private var finished = false
    private var failure: Error?

    /// Reads `source` for the specs among `specs` that have an `xml` binding (all with the same root).
    public init(source: ByteSource, specs: [InputSpec]) throws {
        _ = Self.libraryInitialised
        path = source.path
        let bound = specs.filter { $0.xml != nil }
        guard let binding = bound.first?.xml else {
            throw RCCError(.schema, "no input spec has an xml binding to read \(source.path) with")
        }
        for spec in bound {
            guard spec.xml!.root == binding.root else {
                throw RCCError(.schema, "\(spec.id) reads root <\(spec.xml!.root)>, \(bound[0].id) root <\(binding.root)>: one reader reads one kind of document")
            }
            let problems = spec.xml!.problems(in: spec)
            guard problems.isEmpty else { throw RCCError(.schema, problems.joined(separator: "; ")) }
        }
        var units: [[String]] = []
        for spec in bound where !units.contains(spec.xml!.unitPath) { units.append(spec.xml!.unitPath) }
        for a in units { for b in units where a != b && b.starts(with: a) {
            throw RCCError(.schema, "xml units \(a.joined(separator: "/")) and \(b.joined(separator: "/")) nest; units must not")
        } }
        let ordered = Self.parentsFirst(bound)
        self.specs = ordered
        var names = Names()
        func id(_ name: String) -> Int32 { names.number(name)! }
        func ids(_ steps: [String]) -> [Int32] { steps.map(id) }
        func compile(_ source: XMLBinding.Source) -> Source {
            switch source {
            case .rowText: .rowText
            case .row(let up, let steps): .row(up: up, steps: ids(steps))
            case .unit(let steps): .unit(steps: ids(steps))
            case .document(let steps): .document(key: steps.joined(separator: "/"))
            case .ordinal(let name): .ordinal(of: name.map(id))
            }
        }
        _ = id(binding.root)
        unitPaths = units.map(ids)
        compiled = try ordered.map { spec in
            Compiled(unit: units.firstIndex(of: spec.xml!.unitPath)!, rowSteps: ids(spec.xml!.rowBelowUnit),
                     fields: try spec.fields.map { (name: $0.name, path: $0.xml!, sources: try XMLBinding.sources($0.xml!).map(compile)) },
                     when: try spec.xml!.when.map { conditions in
                         try conditions.components(separatedBy: " or ").map { condition in
                             let parts = condition.trimmingCharacters().split(separator: "=", maxSplits: 1).map(String.init)
                             return (try XMLBinding.sources(parts[0]).map(compile), parts.count == 2 ? parts[1] : nil)
                         }
                     })
        }
        self.names = names
        countedNames = names.texts.count
        pending = Array(repeating: [], count: ordered.count)

        feed = XMLByteFeed(source: source)
        var options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        if Self.declaresWideEncoding(try feed.peek(512)) {
            // UTF-16 transcoded to UTF-8 by SourceOpener keeps its declaration: read it as UTF-8.
            options |= Int32(XML_PARSE_IGNORE_ENC.rawValue)
        }
        let context = Unmanaged.passUnretained(feed).toOpaque()
        guard let reader = xmlReaderForIO({ context, buffer, length in
            guard let context, let buffer else { return -1 }
            return Unmanaged<XMLByteFeed>.fromOpaque(context).takeUnretainedValue().read(into: buffer, count: Int(length))
        }, nil, context, nil, nil, options) else {
            throw feed.failure ?? RCCError(.format, "\(source.path): libxml2 could not start reading it")
        }
        self.reader = reader
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error, error.pointee.level == XML_ERR_FATAL else { return }
            let feed = Unmanaged<XMLByteFeed>.fromOpaque(context).takeUnretainedValue()
            guard feed.parseError == nil else { return }
            feed.parseError = (Int(error.pointee.line), error.pointee.code, XMLTableReader.describe(code: error.pointee.code, message: error.pointee.message))
        }, context)
        if let failure = feed.failure { throw failure }
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// Reads the document up to its first unit and returns the header values (see `header`).
    public func readHeader() throws -> [String: String] {
        try guarded {
            while !headerRead {
                switch try step() {
                case .unitStarted, .unitFinished, .end: headerRead = true
                case .node: break
                }
            }
        }
        return header
    }

    /// The next batch of rows of one table, at most `size`, or nil when the document is finished.
    /// Rows are read unit by unit until some table has `size` rows waiting; then every table's
    /// waiting rows are emitted, parents first (see `specs`), so that a child comes before its
    /// referrals and a referral before its assessments. A malformed document throws an error
    /// naming the file and line.
    public func nextBatch(size: Int) throws -> (spec: InputSpec, records: [Record])? {
        precondition(size > 0, "batch size must be positive")
        return try guarded {
            while true {
                if flushing {
                    while flushIndex < pending.count {
                        if !pending[flushIndex].isEmpty {
                            let count = min(size, pending[flushIndex].count)
                            let records = Array(pending[flushIndex].prefix(count))
                            pending[flushIndex].removeFirst(count)
                            return (specs[flushIndex], records)
                        }
                        flushIndex += 1
                    }
                    flushing = false
                    maxPending = 0
                }
                if finished { return nil }
                while !finished && maxPending < size {
                    try readUnit()
                }
                flushing = true
                flushIndex = 0
            }
        }
    }

    // MARK: Reading

    private struct Compiled {
        var unit: Int
        var rowSteps: [Int32]
        var fields: [(name: String, path: String, sources: [Source])]
        /// Rows are made only where one of these paths has a value (equal to the given one, if any).
        var when: [(sources: [Source], equals: String?)]?
        /// Indexes of the fields read from the row element or its relatives (`.`, `A/B`, `../A`),
        /// not from the unit, the document or a position: when all are blank the row is empty.
        var ownFields: [Int] = []

        init(unit: Int, rowSteps: [Int32], fields: [(name: String, path: String, sources: [Source])],
             when: [(sources: [Source], equals: String?)]?) {
            self.unit = unit
            self.rowSteps = rowSteps
            self.fields = fields
            self.when = when
            ownFields = fields.indices.filter { f in
                fields[f].sources.contains { source in
                    switch source {
                    case .rowText, .row: return true
                    case .unit, .document, .ordinal: return false
                    }
                }
            }
        }
    }

    /// Names numbered in the order first asked for.
    private struct Names {
        private(set) var texts: [String] = []
        private var numbers: [String: Int32] = [:]

        /// The number of `name`; a new name is numbered while fewer than `limit` are (nil past it).
        mutating func number(_ name: String, limit: Int = .max) -> Int32? {
            if let known = numbers[name] { return known }
            guard texts.count < limit else { return nil }
            texts.append(name)
            numbers[name] = Int32(texts.count - 1)
            return Int32(texts.count - 1)
        }
    }

    /// An `XMLBinding.Source` with its element names as numbers (and a document path as its key in `valuesByPath`).
    private enum Source {
        case rowText
        case row(up: Int, steps: [Int32])
        case unit(steps: [Int32])
        case document(key: String)
        case ordinal(of: Int32?)
    }

    /// An open element. Outside a unit it has its name as text (for the header's keys and for messages), and
    /// its text is kept if it turns out to be a leaf (header values).
    private struct Frame {
        var name: Int32
        /// Index of its node in the unit being read, or -1 outside a unit.
        var node: Int32
        /// Stamps its children's counts in `ordinalStamps`.
        var serial: Int
        var hasChildren = false
        var label: String?
        var text: String?
    }

    /// One element of the unit held in memory: plain numbers, so a unit's elements are one array,
    /// reused from unit to unit, with nothing to count or free per element.
    private struct Node {
        var name: Int32
        var parent: Int32
        var firstChild: Int32 = -1
        var lastChild: Int32 = -1
        var nextSibling: Int32 = -1
        /// Its place among its parent's children of its name (from 1), for counted names (0 for others).
        var ordinal: Int32
        var line: Int
        /// Where its text lies in `text`; a count of -1 when its text came in pieces with other
        /// elements' between them (mixed content), and is in `splitText` instead.
        var textStart: Int32 = 0
        var textCount: Int32 = 0
    }

    private struct Unit {
        var index: Int
        /// Stack depth of the unit element (its frame's index).
        var depth: Int
        var textBytes = 0
    }

    private enum Event { case node, unitStarted, unitFinished, end }

    private static let elementType = Int32(XML_READER_TYPE_ELEMENT.rawValue)
    private static let endElementType = Int32(XML_READER_TYPE_END_ELEMENT.rawValue)
    private static let textType = Int32(XML_READER_TYPE_TEXT.rawValue)
    private static let cdataType = Int32(XML_READER_TYPE_CDATA.rawValue)
    private static let refusedTypes: Set<Int32> = [
        Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue), Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue),
        Int32(XML_READER_TYPE_ENTITY.rawValue), Int32(XML_READER_TYPE_NOTATION.rawValue),
    ]
    private static let maxHeaderValues = 1_000
    private static let maxHeaderValueBytes = 1 << 16

    private static let libraryInitialised: Void = { xmlInitParser() }()

    /// Runs `body`; a failure is kept and thrown again by every later call.
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        if let failure { throw failure }
        do {
            return try body()
        } catch {
            failure = error
            throw error
        }
    }

    /// Reads until a unit is finished (its rows waiting) or the document ends.
    private func readUnit() throws {
        while true {
            switch try step() {
            case .unitFinished: return
            case .end: finished = true; return
            case .node, .unitStarted: break
            }
        }
    }

    /// Reads one node of the document.
    private func step() throws -> Event {
        let status = xmlTextReaderRead(reader)
        if status < 0 { throw parseFailure() }
        if status == 0 {
            if let failure = feed.failure { throw failure }
            if !sawRoot { throw RCCError(.format, "\(path): the document has no root element (it is empty, or not XML)") }
            headerRead = true
            return .end
        }
        let type = xmlTextReaderNodeType(reader)
        switch type {
        case Self.elementType:
            return try startElement()
        case Self.endElementType:
            return try endElement()
        case Self.textType, Self.cdataType:
            try appendText()
            return .node
        default:
            if Self.refusedTypes.contains(type) {
                throw RCCError(.format, "\(path): line \(Int(xmlTextReaderGetParserLineNumber(reader))): the document declares or refers to a DTD or an entity; these are refused, not read")
            }
            return .node
        }
    }

    private func startElement() throws -> Event {
        let name = nameID()
        let line = feed.nextElementLine() ?? Int(xmlTextReaderGetParserLineNumber(reader))
        let empty = xmlTextReaderIsEmptyElement(reader) == 1
        if stack.isEmpty {
            guard !sawRoot else { throw parseFailure() }
            guard name == 0 else {
                throw RCCError(.format, "\(path): line \(line): the root element is <\(label(name))>, not <\(names.texts[0])>; this is not a document these tables are read from")
            }
            sawRoot = true
        }
        var ordinal: Int32 = 1
        if !stack.isEmpty {
            ordinal = nextOrdinal(of: name)
            stack[stack.count - 1].hasChildren = true
        }
        var event = Event.node
        var nodeIndex: Int32 = -1
        var label: String?
        if let unit {
            guard nodes.count < Self.maxUnitElements else {
                throw RCCError(.format, "\(path): line \(line): one <\(stack[unit.depth].label ?? "")> holds more than \(Self.maxUnitElements) elements; it is refused, not buffered")
            }
            nodeIndex = Int32(nodes.count)
            let parent = stack[stack.count - 1].node
            nodes.append(Node(name: name, parent: parent, ordinal: ordinal, line: line))
            let last = nodes[Int(parent)].lastChild
            if last < 0 { nodes[Int(parent)].firstChild = nodeIndex } else { nodes[Int(last)].nextSibling = nodeIndex }
            nodes[Int(parent)].lastChild = nodeIndex
        } else {
            label = self.label(name)
            if let index = unitPaths.firstIndex(where: { isUnit($0, name) }) {
                unit = Unit(index: index, depth: stack.count)
                nodes.append(Node(name: name, parent: -1, ordinal: ordinal, line: line))
                nodeIndex = 0
                event = .unitStarted
            }
        }
        serials += 1
        stack.append(Frame(name: name, node: nodeIndex, serial: serials, label: label))
        if empty, try endElement() == .unitFinished { event = .unitFinished }
        return event
    }

    /// The place of a child named `name` among the children of that name of the innermost open element (from 1),
    /// for names the specs use; 0 for others, whose places nothing reads.
    private func nextOrdinal(of name: Int32) -> Int32 {
        guard name >= 0 && Int(name) < countedNames else { return 0 }
        let parent = stack.count - 1
        let slot = parent * countedNames + Int(name)
        if slot >= ordinalStamps.count {
            let size = (parent + 1) * countedNames
            ordinalStamps += repeatElement(0, count: size - ordinalStamps.count)
            ordinalCounts += repeatElement(0, count: size - ordinalCounts.count)
        }
        if ordinalStamps[slot] != stack[parent].serial {
            ordinalStamps[slot] = stack[parent].serial
            ordinalCounts[slot] = 0
        }
        ordinalCounts[slot] += 1
        return ordinalCounts[slot]
    }

    private func isUnit(_ unitPath: [Int32], _ name: Int32) -> Bool {
        guard unitPath.count == stack.count + 1, unitPath.last == name else { return false }
        for (i, frame) in stack.enumerated() where frame.name != unitPath[i] { return false }
        return true
    }

    private func endElement() throws -> Event {
        let frame = stack.removeLast()
        if let finished = unit {
            guard stack.count == finished.depth else { return .node }
            unit = nil
            unitsRead += 1
            makeRows(unitIndex: finished.index)
            return .unitFinished
        }
        if !frame.hasChildren, let text = frame.text?.trimmingCharacters(), !text.isEmpty,
           valuesByPath.count < Self.maxHeaderValues, !stack.isEmpty, let name = frame.label {
            let key = (stack.dropFirst().map { $0.label ?? "" } + [name]).joined(separator: "/")
            if valuesByPath[key] == nil { valuesByPath[key] = text }
            if headerByName[name] == nil { headerByName[name] = text }
        }
        return .node
    }

    private func appendText() throws {
        guard !stack.isEmpty, let value = xmlTextReaderConstValue(reader) else { return }
        if unit != nil {
            let piece = UnsafeBufferPointer(start: value, count: Int(xmlStrlen(value)))
            unit!.textBytes += piece.count
            guard unit!.textBytes <= Self.maxUnitTextBytes else {
                throw RCCError(.format, "\(path): line \(Int(xmlTextReaderGetParserLineNumber(reader))): one <\(stack[unit!.depth].label ?? "")> holds more than \(Self.maxUnitTextBytes >> 20) MiB of text; it is refused, not buffered")
            }
            let node = Int(stack[stack.count - 1].node)
            let (start, count) = (Int(nodes[node].textStart), Int(nodes[node].textCount))
            if count == 0 {
                nodes[node].textStart = Int32(text.count)
                nodes[node].textCount = Int32(piece.count)
                text.append(contentsOf: piece)
            } else if count > 0 && start + count == text.count {
                nodes[node].textCount += Int32(piece.count)
                text.append(contentsOf: piece)
            } else {
                // Mixed content: the element's text so far, then another element's, then this piece. Its text
                // moves to `splitText` once, and later pieces are appended there in place.
                if count > 0 {
                    splitText[Int32(node)] = String(decoding: text[start..<start + count], as: UTF8.self)
                    nodes[node].textCount = -1
                }
                splitText[Int32(node), default: ""].append(String(decoding: piece, as: UTF8.self))
            }
        } else if (stack[stack.count - 1].text?.utf8.count ?? 0) < Self.maxHeaderValueBytes {
            stack[stack.count - 1].text = (stack[stack.count - 1].text ?? "") + String(cString: value)
        }
    }

    /// The number of the current element's (local) name.
    private func nameID() -> Int32 {
        guard let pointer = xmlTextReaderConstLocalName(reader) else { return internedID("") }
        if let id = nameCache[pointer] { return id }
        let id = internedID(String(cString: pointer))
        // Names come from libxml2's dictionary, so a pointer stands for one name while the reader lives.
        if nameCache.count < 10_000 { nameCache[pointer] = id }
        return id
    }

    private func internedID(_ name: String) -> Int32 {
        names.number(name, limit: Self.maxNames) ?? Self.otherName
    }

    /// The current element's name as text, for one that may have no number of its own.
    private func label(_ name: Int32) -> String {
        if name >= 0 { return names.texts[Int(name)] }
        return xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
    }

    private func parseFailure() -> Error {
        if let failure = feed.failure { return failure }
        if let error = feed.parseError {
            if !sawRoot && (error.code == Int32(XML_ERR_DOCUMENT_END.rawValue) || error.code == Int32(XML_ERR_DOCUMENT_EMPTY.rawValue)) {
                return RCCError(.format, "\(path): the document has no root element (it is empty, or not XML)")
            }
            return RCCError(.format, "\(path): line \(error.line): the XML is not well-formed: \(error.message)")
        }
        return RCCError(.format, "\(path): line \(Int(xmlTextReaderGetParserLineNumber(reader))): the XML could not be read")
    }

    // MARK: Rows

    /// Makes the rows of every table read from the unit just finished (held in `nodes` and `text`), then
    /// empties them for the next unit.
    private func makeRows(unitIndex: Int) {
        var rows: [Int32] = [], below: [Int32] = []
        nodes.withUnsafeBufferPointer { nodes in
            text.withUnsafeBufferPointer { text in
                let unit = UnitView(nodes: nodes, text: text, splitText: splitText, valuesByPath: valuesByPath)
                for (i, table) in compiled.enumerated() where table.unit == unitIndex {
                    rows.removeAll(keepingCapacity: true)
                    rows.append(0)
                    for step in table.rowSteps {
                        below.removeAll(keepingCapacity: true)
                        for row in rows { unit.forEachChild(of: row, named: step) { below.append($0) } }
                        swap(&rows, &below)
                    }
                    if let when = table.when {
                        rows.removeAll { row in
                            !when.contains { condition in
                                let found = condition.sources.lazy.compactMap { unit.value(of: $0, row: row).0 }.first
                                guard let found else { return false }
                                return condition.equals.map { $0 == found } ?? true
                            }
                        }
                    }
                    guard !rows.isEmpty else { continue }
                    let own = table.ownFields
                    var made = 0
                    for row in rows {
                        var cells = [String?](repeating: nil, count: table.fields.count)
                        var problems: [String] = []
                        for (f, field) in table.fields.enumerated() {
                            for source in field.sources {
                                let (value, count) = unit.value(of: source, row: row)
                                guard let value else { continue }
                                cells[f] = value
                                if count > 1 {
                                    problems.append("\(field.name) (\(field.path)) is found \(count) times where the row has room for one")
                                }
                                break
                            }
                        }
                        if !own.isEmpty && own.allSatisfy({ cells[$0] == nil }) && !unit.hasText(row) {
                            emptyRowsByTable[specs[i].id, default: 0] += 1
                            continue
                        }
                        made += 1
                        pending[i].append(Record(row: nodes[Int(row)].line, cells: cells,
                                                 problem: problems.isEmpty ? nil : problems.joined(separator: "; ")))
                    }
                    rowsRead += made
                    rowsReadByTable[specs[i].id, default: 0] += made
                    maxPending = max(maxPending, pending[i].count)
                }
            }
        }
        // Kept for the next unit, unless one unit made them large.
        if nodes.capacity > 1 << 16 { nodes = [] } else { nodes.removeAll(keepingCapacity: true) }
        if text.capacity > 1 << 20 { text = [] } else { text.removeAll(keepingCapacity: true) }
        splitText.removeAll()
    }

    /// A finished unit, read in place.
    private struct UnitView {
        let nodes: UnsafeBufferPointer<Node>
        let text: UnsafeBufferPointer<UInt8>
        let splitText: [Int32: String]
        let valuesByPath: [String: String]

        func forEachChild(of node: Int32, named name: Int32, _ body: (Int32) -> Void) {
            var child = nodes[Int(node)].firstChild
            while child >= 0 {
                if nodes[Int(child)].name == name { body(child) }
                child = nodes[Int(child)].nextSibling
            }
        }

        /// An element's own text, trimmed; nil when blank.
        func trimmedText(_ node: Int32) -> String? {
            let count = Int(nodes[Int(node)].textCount)
            if count == 0 { return nil }
            let whole: String
            if count < 0 {
                whole = splitText[node] ?? ""
            } else {
                let start = Int(nodes[Int(node)].textStart)
                whole = String(decoding: UnsafeBufferPointer(rebasing: text[start..<start + count]), as: UTF8.self)
            }
            let trimmed = whole.trimmingCharacters()
            return trimmed.isEmpty ? nil : trimmed
        }

        /// The value one source gives for a row, and how many elements with a value it matched.
        func value(of source: Source, row: Int32) -> (String?, Int) {
            switch source {
            case .rowText:
                let text = trimmedText(row)
                return (text, text == nil ? 0 : 1)
            case .row(let up, let steps):
                var base = row
                for _ in 0..<up where base > 0 { base = nodes[Int(base)].parent }
                return descend(from: base, steps)
            case .unit(let steps):
                return descend(from: 0, steps)
            case .document(let key):
                let value = valuesByPath[key]
                return (value, value == nil ? 0 : 1)
            case .ordinal(let name):
                var node = row
                while node >= 0 {
                    if name == nil || nodes[Int(node)].name == name { return (String(nodes[Int(node)].ordinal), 1) }
                    node = nodes[Int(node)].parent
                }
                return (nil, 0)
            }
        }

        /// The first value among the elements `steps` below `base`, and how many of them have one.
        private func descend(from base: Int32, _ steps: [Int32]) -> (String?, Int) {
            var first: String?
            var count = 0
            func walk(_ node: Int32, _ depth: Int) {
                forEachChild(of: node, named: steps[depth]) { child in
                    if depth + 1 < steps.count {
                        walk(child, depth + 1)
                    } else if let text = trimmedText(child) {
                        count += 1
                        if first == nil { first = text }
                    }
                }
            }
            if !steps.isEmpty { walk(base, 0) }
            return (first, count)
        }

        /// Whether an element or anything below it has text other than white space.
        func hasText(_ node: Int32) -> Bool {
            var queue = [node]
            while let next = queue.popLast() {
                let count = Int(nodes[Int(next)].textCount)
                if count != 0 {
                    let whole = count < 0 ? splitText[next] ?? ""
                        : String(decoding: UnsafeBufferPointer(rebasing: text[Int(nodes[Int(next)].textStart)...].prefix(count)), as: UTF8.self)
                    if whole.contains(where: { !$0.isWhitespace }) { return true }
                }
                var child = nodes[Int(next)].firstChild
                while child >= 0 {
                    queue.append(child)
                    child = nodes[Int(child)].nextSibling
                }
            }
            return false
        }
    }

    // MARK: Helpers

    /// Orders specs so that a table comes before the tables whose foreign keys refer to it
    /// (stable otherwise).
    static func parentsFirst(_ specs: [InputSpec]) -> [InputSpec] {
        let byID = Dictionary(specs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var depth: [String: Int] = [:]
        func depthOf(_ spec: InputSpec, _ visiting: Set<String>) -> Int {
            if let known = depth[spec.id] { return known }
            let parents = (spec.foreignKeys ?? []).compactMap { byID[$0.reference.table] }
                .filter { $0.id != spec.id && !visiting.contains($0.id) }
            let d = parents.map { depthOf($0, visiting.union([spec.id])) + 1 }.max() ?? 0
            depth[spec.id] = d
            return d
        }
        return specs.enumerated()
            .map { (offset: $0.offset, depth: depthOf($0.element, []), spec: $0.element) }
            .sorted { ($0.depth, $0.offset) < ($1.depth, $1.offset) }
            .map(\.spec)
    }

    /// Whether the XML declaration at the start of `head` names a 16- or 32-bit encoding while the
    /// bytes themselves are single-byte ASCII (a UTF-16 file SourceOpener already transcoded).
    public static func declaresWideEncoding(_ head: [UInt8]) -> Bool {
        guard head.starts(with: Array("<?xml".utf8)) else { return false }
        let declaration = head.prefix { $0 != UInt8(ascii: ">") }
        let text = String(decoding: declaration, as: UTF8.self).lowercased()
        guard let range = text.firstRange(of: "encoding") else { return false }
        let value = text[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
            .prefix { $0 != "\"" && $0 != "'" && $0 != " " && $0 != "?" }
        return ["utf-16", "utf16", "ucs-2", "ucs2", "utf-16le", "utf-16be", "utf-32", "utf32", "ucs-4", "ucs4"].contains(String(value))
    }

    /// What a libxml2 error means, in words that quote nothing from the document: libxml2's own
    /// messages can quote document text (an element name that is really a value after a stray `<`,
    /// the start of a comment, the bytes of a bad character), so known errors get a fixed text and
    /// others libxml2's message cut before any quoted part, with the error number.
    static func describe(code: Int32, message: UnsafeMutablePointer<CChar>?) -> String {
        let known: [xmlParserErrors: String] = [
            XML_ERR_TAG_NAME_MISMATCH: "an end tag that does not match the element it closes (or a value with a stray <)",
            XML_ERR_TAG_NOT_FINISHED: "the document ends inside an element (cut short?)",
            XML_ERR_NOT_WELL_BALANCED: "the elements are not balanced (the document is cut short?)",
            XML_ERR_UNDECLARED_ENTITY: "a reference to an entity that is not defined (DTDs and entities are refused; write & in a value as &amp;)",
            XML_ERR_ENTITYREF_SEMICOL_MISSING: "a & that does not start a character or entity reference (write & in a value as &amp;)",
            XML_ERR_INVALID_CHAR: "a character that is not allowed, or bytes that are not valid in the document's encoding (UTF-8 unless its declaration says otherwise)",
            XML_ERR_INVALID_CHARREF: "a character reference (&#…;) to a character that is not allowed",
            XML_ERR_INVALID_ENCODING: "bytes that are not valid in the document's encoding",
            XML_ERR_DOCUMENT_EMPTY: "the document is empty",
            XML_ERR_DOCUMENT_START: "no XML where the document should start",
            XML_ERR_DOCUMENT_END: "the document is cut short, or has content after the end of its root element",
            XML_ERR_EXTRA_CONTENT: "content after the end of the root element",
            XML_ERR_GT_REQUIRED: "a start tag that is not closed with >",
            XML_ERR_LTSLASH_REQUIRED: "an end tag that is not closed",
            XML_ERR_NAME_REQUIRED: "a name missing after < or & or in a tag (a < or & in a value must be written &lt; or &amp;)",
            XML_ERR_LT_IN_ATTRIBUTE: "a < inside an attribute value",
            XML_ERR_ATTRIBUTE_WITHOUT_VALUE: "an attribute without a value",
            XML_ERR_ATTRIBUTE_NOT_STARTED: "an attribute value without quotes",
            XML_ERR_ATTRIBUTE_REDEFINED: "an attribute given twice on one element",
            XML_ERR_STRING_NOT_CLOSED: "a quoted string that is not closed",
            XML_ERR_COMMENT_NOT_FINISHED: "a comment that is not closed",
            XML_ERR_HYPHEN_IN_COMMENT: "-- inside a comment",
            XML_ERR_CDATA_NOT_FINISHED: "a CDATA section that is not closed",
        ]
        if let text = known[xmlParserErrors(rawValue: UInt32(bitPattern: code))] { return text }
        guard let message else { return "libxml2 error \(code)" }
        var text = String(String(cString: message).prefix { $0 != "\n" && $0 != ":" && $0 != "'" && $0 != "\"" })
        text = text.trimmingCharacters()
        return text.isEmpty ? "libxml2 error \(code)" : "\(text.prefix(120)) (libxml2 error \(code))"
    }
}
