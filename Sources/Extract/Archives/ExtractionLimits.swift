import RCCCore

/// How far the extractor will unpack one input file before refusing it as hostile or broken.
///
/// Archives arrive from outside the region's control, and a few hundred bytes of zip can claim to hold
/// terabytes ("zip bombs", including nested ones). Every limit here is checked on the bytes actually
/// produced while inflating, never on the sizes an archive's headers declare.
public struct ExtractionLimits: Sendable {
    /// Largest allowed ratio of bytes inflated to compressed bytes read, checked for each deflated zip
    /// member, for each zip archive as a whole (all its deflated members against all its bytes read), and
    /// for each gzip layer. Honest CSV and XML rarely compress beyond 20×; deflate's ceiling is about 1,032×.
    public var maxExpansionRatio: Double
    /// Most bytes that may be inflated, at every layer together, while reading one input file.
    public var maxTotalBytes: Int64
    /// Most container layers (gzip and zip, counted together) around a leaf: `a.zip!/b.zip!/c.csv.gz`
    /// is three.
    public var maxNestingDepth: Int
    /// Most members (files and directories) in all the zip archives of one input file together.
    public var maxMembers: Int
    /// The expansion ratio is only judged once a member, archive or gzip layer has inflated more than this
    /// many bytes: a small file of repeated values legitimately compresses far beyond any sane ratio, and
    /// a few mebibytes of expansion are harmless. The total-bytes limit bounds what this lets through.
    public var expansionGraceBytes: Int64
    /// The longest field a delimited file may hold, in bytes: a longer one refuses the source.
    public var maxFieldBytes: Int

    /// The limits used when none are given: ratio 200, 8 GiB in all, 8 layers, 10,000 members, ratio judged
    /// past 1 MiB.
    public static let `default` = ExtractionLimits()

    public init(maxExpansionRatio: Double = 200,
                maxTotalBytes: Int64 = 8 << 30,
                maxNestingDepth: Int = 8,
                maxMembers: Int = 10_000,
                expansionGraceBytes: Int64 = 1 << 20,
                maxFieldBytes: Int = 1 << 20) {
        self.maxExpansionRatio = maxExpansionRatio
        self.maxTotalBytes = maxTotalBytes
        self.maxNestingDepth = maxNestingDepth
        self.maxMembers = maxMembers
        self.expansionGraceBytes = expansionGraceBytes
        self.maxFieldBytes = maxFieldBytes
    }

    /// The ratio limit as people write it: `200×`.
    var ratioText: String {
        maxExpansionRatio == maxExpansionRatio.rounded() && abs(maxExpansionRatio) < 1e15
            ? "\(Int64(maxExpansionRatio))×" : "\(maxExpansionRatio)×"
    }

    /// Whether `produced` bytes inflated from `consumed` compressed bytes breaks the ratio limit.
    func exceedsRatio(produced: Int64, consumed: Int64) -> Bool {
        produced > expansionGraceBytes && Double(produced) > maxExpansionRatio * Double(max(consumed, 1))
    }
}

/// What one input file has used of its limits so far, shared by every layer (zip readers, gzip layers)
/// opened while reading it, so that nesting cannot multiply the allowance.
final class ExtractionBudget {
    let limits: ExtractionLimits
    private(set) var inflatedBytes: Int64 = 0
    private(set) var members = 0

    init(_ limits: ExtractionLimits) { self.limits = limits }

    /// Counts `count` bytes inflated by the layer at `path`; refuses once the file's total passes the limit.
    func addInflated(_ count: Int, at path: String) throws {
        inflatedBytes += Int64(count)
        if inflatedBytes > limits.maxTotalBytes {
            throw RCCError(.format, "\(path): unpacking this input file produces more than \(limits.maxTotalBytes) bytes "
                + "(the limit for one input file; a zip bomb?); refusing it")
        }
    }

    /// Counts one more archive member, `path`; refuses past the member limit.
    func addMember(at path: String) throws {
        members += 1
        if members > limits.maxMembers {
            throw RCCError(.format, "\(path): the input file's archives hold more than \(limits.maxMembers) members "
                + "(the limit for one input file); refusing it")
        }
    }
}
