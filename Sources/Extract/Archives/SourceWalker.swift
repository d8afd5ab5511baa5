import RCCCore

/// A readable leaf source found in an input file, after peeling gzip and zip layers at any depth.
public struct LeafSource {
    /// The leaf, sniffed; its path names every layer, e.g. `in/a.zip!/903/b.zip!/header.csv`, and its
    /// `containers` list them outermost first, e.g. `["zip", "zip"]`.
    public let opened: OpenedSource

    public init(opened: OpenedSource) { self.opened = opened }
}

/// Finds the readable sources inside an input file, however it is packed: gzip and zip layers are peeled
/// off as streams (nothing is written to disk), at any depth up to the limit, and every leaf is sniffed as
/// `SourceOpener` sniffs a plain file (byte-order marks, UTF-16, XML root detection).
///
/// One `ExtractionLimits` budget covers the whole input file, so nesting cannot multiply it: bytes
/// inflated at every layer count towards `maxTotalBytes`, members of every archive towards `maxMembers`.
/// Each gzip layer, zip member and zip archive has its expansion ratio checked while it inflates.
public enum SourceWalker {
    /// Opens the file at `path`, and calls `visit` for every leaf (a non-archive source) inside it, in
    /// order: the file itself if it is not an archive; each member of a zip (recursively for zips and gzips
    /// inside). A leaf's source is valid only during its `visit`; `visit` need not read it to the end.
    ///
    /// Errors in the archive or one member are thrown as `RCCError`s naming the file and member path
    /// (`in/a.zip!/b.csv: CRC-32 check failed…`), and end the walk; errors thrown by `visit` are passed on
    /// unchanged. Some problems can only be seen at the end of a zip (its central directory, where links
    /// are marked, comes last): the caller must refuse the whole input file on any error, including one
    /// thrown after leaves were visited, and keep nothing read from it.
    public static func walk(path: String, limits: ExtractionLimits = .default, counter: ByteCounter? = nil,
                            visit: (OpenedSource) throws -> Void) throws {
        try walk(source: FileByteSource(path: path, counter: counter), containers: [], budget: ExtractionBudget(limits), visit: visit)
    }

    /// The same for a source already open (its `path` is used in leaf paths and errors).
    public static func walk(source: ByteSource, limits: ExtractionLimits = .default,
                            visit: (OpenedSource) throws -> Void) throws {
        try walk(source: source, containers: [], budget: ExtractionBudget(limits), visit: visit)
    }

    static func walk(source: ByteSource, containers: [String], budget: ExtractionBudget,
                     visit: (OpenedSource) throws -> Void) throws {
        let peekable = PeekableSource(source)
        let head = try peekable.peek(4)
        let isGzip = head.starts(with: [0x1F, 0x8B])
        let zipStarts: [UInt32] = [ZipSignature.local, ZipSignature.endOfCentralDirectory, ZipSignature.spannedMarker]
        let isZip = head.count == 4 && zipStarts.contains(ArchiveField.u32(head, 0))
        guard isGzip || isZip else {
            try visit(SourceOpener.sniff(peekable, containers: containers))
            return
        }
        guard containers.count < budget.limits.maxNestingDepth else {
            throw RCCError(.format, "\(source.path): archives are nested more than \(budget.limits.maxNestingDepth) "
                + "layers deep (\(containers.joined(separator: ", ")), then \(isGzip ? "gzip" : "zip")); refusing it")
        }
        if isGzip {
            let compressed = CountingByteSource(peekable)
            let inflated = GuardedInflationSource(try GzipByteSource(wrapping: compressed), compressed: compressed,
                                                  budget: budget)
            try walk(source: inflated, containers: containers + ["gzip"], budget: budget, visit: visit)
        } else {
            let reader = try ZipArchiveReader(source: peekable, budget: budget)
            while let member = try reader.nextMember() {
                // Metadata a desktop adds (macOS `__MACOSX/`, `._x`, `.DS_Store`) is skipped, as hidden files
                // are in folders; it is still read through, so its CRC and the limits are checked.
                if SourceWalker.isHidden(member.name) { continue }
                try walk(source: member.source, containers: containers + ["zip"], budget: budget, visit: visit)
            }
        }
    }
}

extension SourceWalker {
    /// Whether a member is desktop metadata rather than a return: any path segment starting with `.`
    /// or named `__MACOSX`.
    static func isHidden(_ name: String) -> Bool {
        name.split(separator: "/").contains { $0.hasPrefix(".") || $0 == "__MACOSX" }
    }
}

/// Counts the bytes read through it: the compressed side of a gzip layer's expansion ratio.
final class CountingByteSource: ByteSource {
    private let inner: ByteSource
    private(set) var count: Int64 = 0
    var path: String { inner.path }

    init(_ inner: ByteSource) { self.inner = inner }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        count += Int64(n)
        return n
    }
}

/// Checks a gzip layer's output against the limits as it is read: the input file's total, and the layer's
/// expansion ratio (bytes out against compressed bytes read in).
final class GuardedInflationSource: ByteSource {
    private let inner: ByteSource
    private let compressed: CountingByteSource
    private let budget: ExtractionBudget
    private var produced: Int64 = 0
    var path: String { inner.path }

    init(_ inner: ByteSource, compressed: CountingByteSource, budget: ExtractionBudget) {
        self.inner = inner
        self.compressed = compressed
        self.budget = budget
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        guard n > 0 else { return 0 }
        produced += Int64(n)
        try budget.addInflated(n, at: path)
        if budget.limits.exceedsRatio(produced: produced, consumed: compressed.count) {
            throw RCCError(.format, "\(path): its gzip data expands more than \(budget.limits.ratioText) "
                + "(\(produced) bytes from \(compressed.count); a gzip bomb?); refusing it")
        }
        return n
    }
}
