import CZlib
import RCCCore

/// One member of a zip, streamed: never written to disk.
public struct ZipMember {
    /// The member's name in the archive, e.g. `903/header.csv`.
    public let name: String
    /// The member's bytes, inflated and CRC-checked as they are read; its path is `<archive path>!/<name>`.
    /// Valid only until the reader's next `nextMember()`.
    public let source: ByteSource
}

/// Reads a zip archive from front to back as a stream, member by member, in fixed memory.
///
/// Archives come from an LA's upload, a pipe or another archive, so nothing is assumed seekable: the
/// reader follows the local file headers in archive order (never the central directory's offsets) and
/// hands each member over as a `ByteSource` that inflates it as it is read. Supported: stored (method 0)
/// and deflated (method 8) members; sizes after the data (general-purpose bit 3, data descriptor with or
/// without its signature) for deflated members, and for stored members only when empty; zip64 sizes in
/// local extra fields and 8-byte data descriptors; names in UTF-8 or code page 437.
///
/// Refused, with an `RCCError` naming `archive!/member` and what is wrong (never the member's content):
/// encrypted members; other compression methods; names with `..` segments, absolute or drive-letter
/// paths (with `/` or `\` separators) or control characters; a directory entry (name ending `/`) that
/// holds data; a CRC-32 or size that does not match the data; an archive that ends inside a member or
/// before its central directory; expansion beyond the limits (checked on bytes actually inflated, never
/// on declared sizes); too many members.
///
/// Links: a local header cannot say a member is a symbolic link (only the central directory's external
/// attributes can), so the reader reads the central directory when it reaches it, after the last member,
/// and refuses the archive there if any entry is a Unix symbolic link, device or other special file, or a
/// Windows reparse point, or if the central directory and the local headers disagree (a member missing
/// from either, a name listed twice, a different CRC-32): such archives show different files to different
/// tools. Such an archive's members have been streamed by then, so a caller must treat a file as read only
/// once `nextMember()` has returned nil, and refuse all of it on any error.
public final class ZipArchiveReader {
    /// The archive's path, the prefix of every member's path.
    public let path: String
    private let state: ZipArchiveState
    private var current: ZipMemberSource?
    private var ended = false
    /// Every entry's raw name, with its verified CRC-32, until the central directory accounts for it.
    private var unlisted: [[UInt8]: UInt32] = [:]
    private var unlistedOrder: [[UInt8]] = []
    private var nameBytes = 0
    private var failure: Error?

    /// Most bytes of member names kept for the central-directory cross-check.
    static let maxNameBytes = 4 << 20

    /// Starts reading the zip archive in `source`, at its first byte.
    public convenience init(source: ByteSource, limits: ExtractionLimits) throws {
        try self.init(source: source, budget: ExtractionBudget(limits))
    }

    /// Starts reading, counting against an input file's shared `budget` (for archives nested in others).
    init(source: ByteSource, budget: ExtractionBudget) throws {
        path = source.path
        state = ZipArchiveState(path: source.path, input: BufferedInput(source), budget: budget)
        let head = try state.input.peek(4)
        let starts: [UInt32] = [ZipSignature.local, ZipSignature.endOfCentralDirectory, ZipSignature.spannedMarker,
                                ZipSignature.spannedMarkerOld]
        guard head.count == 4, starts.contains(ArchiveField.u32(head, 0)) else {
            throw RCCError(.format, "\(path): is not a zip archive (no zip header at its start)")
        }
    }

    /// The next file member in archive order (directories skipped), or nil at the end. The previous
    /// member's source must not be used after this is called: its unread bytes are skipped here (and still
    /// inflated and CRC-checked, so a corrupt member is never passed over silently).
    public func nextMember() throws -> ZipMember? {
        if let failure { throw failure }
        do {
            return try advance()
        } catch {
            failure = error  // the archive's position is unknown after an error: it stays refused
            throw error
        }
    }

    private func advance() throws -> ZipMember? {
        if let previous = current {
            current = nil
            try previous.drain()
            previous.retired = true
            unlisted[previous.entry.rawName] = previous.verifiedCRC
        }
        while !ended {
            let offset = state.input.offset
            let signature = try state.input.read(4)
            guard signature.count == 4 else {
                throw RCCError(.format, "\(path): truncated: the archive ends after \(state.input.offset) bytes, "
                    + "before its central directory")
            }
            switch ArchiveField.u32(signature, 0) {
            case ZipSignature.local:
                let member = try openMember(headerOffset: offset)
                if member.entry.isDirectory {
                    try member.drain()
                    member.retired = true
                    if member.produced > 0 {
                        throw RCCError(.format, "\(member.path): is a directory entry (its name ends in '/') but holds "
                            + "data; refusing the archive (it may be a disguised file or link)")
                    }
                    unlisted[member.entry.rawName] = member.verifiedCRC
                    continue
                }
                current = member
                return ZipMember(name: member.entry.name, source: member)
            case ZipSignature.central, ZipSignature.endOfCentralDirectory, ZipSignature.zip64EndOfCentralDirectory,
                 ZipSignature.zip64Locator, ZipSignature.digitalSignature, ZipSignature.archiveExtraData:
                try readCentralDirectory(firstSignature: ArchiveField.u32(signature, 0), at: offset)
                ended = true
            case ZipSignature.spannedMarker where offset == 0, ZipSignature.spannedMarkerOld where offset == 0:
                continue  // "single-segment spanned archive" marker some tools write at the very start
            default:
                throw RCCError(.format, "\(path): unexpected bytes at offset \(offset) where a zip header should be "
                    + "(the archive is corrupt)")
            }
        }
        return nil
    }

    /// Reads a local file header (its signature already read) and opens its member's data.
    private func openMember(headerOffset: Int64) throws -> ZipMemberSource {
        let fixed = try state.input.read(26)
        guard fixed.count == 26 else { throw truncatedHeader(headerOffset) }
        let flags = ArchiveField.u16(fixed, 2), method = ArchiveField.u16(fixed, 4)
        let crc = ArchiveField.u32(fixed, 10)
        let rawCompressed = ArchiveField.u32(fixed, 14), rawUncompressed = ArchiveField.u32(fixed, 18)
        let nameLength = Int(ArchiveField.u16(fixed, 22)), extraLength = Int(ArchiveField.u16(fixed, 24))
        guard nameLength <= ZipEntryName.maxBytes else {
            throw RCCError(.format, "\(path): the member at offset \(headerOffset) has a name longer than "
                + "\(ZipEntryName.maxBytes) bytes; refusing the archive")
        }
        let rawName = try state.input.read(nameLength)
        let extra = try state.input.read(extraLength)
        guard rawName.count == nameLength, extra.count == extraLength else { throw truncatedHeader(headerOffset) }

        let name = ZipEntryName.decode(rawName, utf8Flag: flags & 0x0800 != 0)
        if let problem = ZipEntryName.problem(with: name) {
            throw RCCError(.format, "\(path)!/\(ZipEntryName.printable(name)): \(problem); refusing the archive")
        }
        let memberPath = "\(path)!/\(name)"
        try state.budget.addMember(at: memberPath)
        nameBytes += rawName.count
        guard nameBytes <= Self.maxNameBytes else {
            throw RCCError(.format, "\(memberPath): the archive's member names exceed \(Self.maxNameBytes) bytes in all; "
                + "refusing it")
        }
        guard unlisted[rawName] == nil else {
            throw RCCError(.format, "\(memberPath): the name appears twice in the archive; refusing the ambiguous archive")
        }

        // Encryption: traditional (bit 0), strong (bit 6), masked local headers (bit 13), AES (method 99).
        if flags & 0x0001 != 0 || flags & 0x0040 != 0 || flags & 0x2000 != 0 || method == 99 {
            throw RCCError(.format, "\(memberPath): is encrypted; encrypted members cannot be read "
                + "(send the archive without a password)")
        }
        guard method == 0 || method == 8 else {
            throw RCCError(.format, "\(memberPath): uses compression method \(method)\(ZipSignature.methodName(method)), "
                + "which this reader does not support (only stored and deflate); re-create the archive with deflate")
        }

        // Sizes: zip64 local extra field (id 1) when the header's are 0xFFFFFFFF, or marks 8-byte descriptors.
        var compressed = Int64(rawCompressed), uncompressed = Int64(rawUncompressed)
        var zip64 = false
        var i = 0
        while i + 4 <= extra.count {
            let id = ArchiveField.u16(extra, i), size = Int(ArchiveField.u16(extra, i + 2))
            let end = min(i + 4 + size, extra.count)
            if id == 0x0001 {
                zip64 = true
                var j = i + 4
                if end - j >= 16 {
                    if rawUncompressed == 0xFFFF_FFFF { uncompressed = Int64(bitPattern: ArchiveField.u64(extra, j)) }
                    if rawCompressed == 0xFFFF_FFFF { compressed = Int64(bitPattern: ArchiveField.u64(extra, j + 8)) }
                } else {
                    if rawUncompressed == 0xFFFF_FFFF, j + 8 <= end {
                        uncompressed = Int64(bitPattern: ArchiveField.u64(extra, j))
                        j += 8
                    }
                    if rawCompressed == 0xFFFF_FFFF, j + 8 <= end {
                        compressed = Int64(bitPattern: ArchiveField.u64(extra, j))
                    }
                }
            }
            i += 4 + size
        }
        let hasDescriptor = flags & 0x0008 != 0
        let zip64Missing = (rawCompressed == 0xFFFF_FFFF || rawUncompressed == 0xFFFF_FFFF) && !zip64
        if !hasDescriptor {
            guard compressed >= 0, uncompressed >= 0, !zip64Missing else {
                throw RCCError(.format, "\(memberPath): its header gives impossible sizes (zip64 sizes without their "
                    + "extra field?); the archive is corrupt")
            }
        }

        let entry = ZipLocalEntry(rawName: rawName, name: name, path: memberPath, headerOffset: headerOffset,
                                  method: method, crc: crc, compressedSize: compressed,
                                  uncompressedSize: uncompressed, hasDescriptor: hasDescriptor, zip64: zip64)
        if entry.isDirectory && !hasDescriptor && compressed > 0 && method == 0 {
            throw RCCError(.format, "\(memberPath): is a directory entry (its name ends in '/') but holds data; "
                + "refusing the archive (it may be a disguised file or link)")
        }
        unlisted[rawName] = crc
        unlistedOrder.append(rawName)
        return try ZipMemberSource(entry: entry, archive: state)
    }

    private func truncatedHeader(_ offset: Int64) -> RCCError {
        RCCError(.format, "\(path): truncated: the archive ends inside the member header at offset \(offset)")
    }

    /// Reads the central directory and end records, from `firstSignature` (already read) to the end of
    /// central directory record, checking each entry against the local headers streamed before it.
    private func readCentralDirectory(firstSignature: UInt32, at firstOffset: Int64) throws {
        var signature = firstSignature
        var offset = firstOffset
        var listed = 0
        func truncated() -> RCCError {
            RCCError(.format, "\(path): truncated: the archive ends inside its central directory (record at offset \(offset))")
        }
        func need(_ count: Int) throws -> [UInt8] {
            let bytes = try state.input.read(count)
            guard bytes.count == count else { throw truncated() }
            return bytes
        }
        while true {
            switch signature {
            case ZipSignature.central:
                let fixed = try need(42)
                let madeBy = ArchiveField.u16(fixed, 0), crc = ArchiveField.u32(fixed, 12)
                let nameLength = Int(ArchiveField.u16(fixed, 24)), extraLength = Int(ArchiveField.u16(fixed, 26))
                let commentLength = Int(ArchiveField.u16(fixed, 28))
                let external = ArchiveField.u32(fixed, 34)
                let rawName = try need(nameLength)
                _ = try need(extraLength)
                _ = try need(commentLength)
                let name = ZipEntryName.decode(rawName, utf8Flag: ArchiveField.u16(fixed, 4) & 0x0800 != 0)
                let memberPath = "\(path)!/\(ZipEntryName.printable(name))"
                listed += 1
                guard let localCRC = unlisted.removeValue(forKey: rawName) else {
                    throw RCCError(.format, "\(memberPath): the archive's central directory lists this member, but no "
                        + "member of that name precedes it (or it is listed twice); refusing the inconsistent archive")
                }
                if localCRC != crc {
                    throw RCCError(.format, "\(memberPath): the central directory's CRC-32 differs from the member's; "
                        + "refusing the inconsistent archive")
                }
                if let problem = ZipSignature.specialFileProblem(madeBy: madeBy, external: external) {
                    throw RCCError(.format, "\(memberPath): \(problem); refusing the archive")
                }
            case ZipSignature.digitalSignature:
                _ = try need(Int(ArchiveField.u16(try need(2), 0)))
            case ZipSignature.zip64EndOfCentralDirectory:
                let size = ArchiveField.u64(try need(8), 0)
                guard try state.input.skip(Int64(clamping: size)) == Int64(clamping: size) else { throw truncated() }
            case ZipSignature.zip64Locator:
                _ = try need(16)
            case ZipSignature.endOfCentralDirectory:
                let fixed = try need(18)
                let total = Int(ArchiveField.u16(fixed, 6))
                _ = try state.input.skip(Int64(ArchiveField.u16(fixed, 16)))  // the archive comment
                if let missing = unlistedOrder.first(where: { unlisted[$0] != nil }) {
                    throw RCCError(.format, "\(path)!/\(ZipEntryName.printable(ZipEntryName.decode(missing, utf8Flag: false))): "
                        + "not listed in the archive's central directory (a member hidden from other tools); "
                        + "refusing the inconsistent archive")
                }
                if total != 0xFFFF && total != listed % 0x10000 {
                    throw RCCError(.format, "\(path): the end of the central directory counts \(total) entries, "
                        + "the directory has \(listed); the archive is corrupt")
                }
                return
            case ZipSignature.archiveExtraData:
                throw RCCError(.format, "\(path): its central directory is encrypted; encrypted archives cannot be read")
            default:
                throw RCCError(.format, "\(path): unexpected bytes at offset \(offset) in the central directory "
                    + "(the archive is corrupt, or members follow the directory)")
            }
            offset = state.input.offset
            signature = ArchiveField.u32(try need(4), 0)
        }
    }
}

/// Record signatures and attribute meanings from PKWARE's APPNOTE.
enum ZipSignature {
    static let local: UInt32 = 0x0403_4B50
    static let central: UInt32 = 0x0201_4B50
    static let dataDescriptor: UInt32 = 0x0807_4B50
    static let endOfCentralDirectory: UInt32 = 0x0605_4B50
    static let zip64EndOfCentralDirectory: UInt32 = 0x0606_4B50
    static let zip64Locator: UInt32 = 0x0706_4B50
    static let digitalSignature: UInt32 = 0x0505_4B50
    static let archiveExtraData: UInt32 = 0x0806_4B50
    static let spannedMarker: UInt32 = 0x0807_4B50
    static let spannedMarkerOld: UInt32 = 0x3030_4B50

    static func methodName(_ method: UInt16) -> String {
        switch method {
        case 1: " (shrink)"
        case 6: " (implode)"
        case 9: " (Deflate64)"
        case 12: " (bzip2)"
        case 14: " (LZMA)"
        case 93: " (Zstandard)"
        case 95: " (XZ)"
        case 98: " (PPMd)"
        default: ""
        }
    }

    /// Why an entry whose central-directory attributes are these may not be read as a plain file.
    static func specialFileProblem(madeBy: UInt16, external: UInt32) -> String? {
        switch madeBy >> 8 {
        case 3, 19:  // Unix, OS X: st_mode in the high 16 bits
            let type = (external >> 16) & 0o170000
            if type == 0o120000 { return "is a symbolic link (links may point outside the archive)" }
            if type != 0 && type != 0o100000 && type != 0o040000 {
                return "is not a regular file (a device, pipe or socket)"
            }
        case 0, 10, 11, 14:  // MS-DOS, NTFS, VFAT, VFAT: FILE_ATTRIBUTE_REPARSE_POINT
            if external & 0x400 != 0 { return "is a Windows link (reparse point)" }
        default:
            break
        }
        return nil
    }
}

/// What a member's local header says.
struct ZipLocalEntry {
    let rawName: [UInt8]
    let name: String
    let path: String
    let headerOffset: Int64
    let method: UInt16
    let crc: UInt32
    let compressedSize: Int64
    let uncompressedSize: Int64
    /// General-purpose bit 3: CRC-32 and sizes follow the data in a data descriptor.
    let hasDescriptor: Bool
    /// A zip64 extra field is present, so a data descriptor carries 8-byte sizes.
    let zip64: Bool
    var isDirectory: Bool { name.hasSuffix("/") || name.hasSuffix("\\") }
}

/// What a reader shares with its members: the input, limits, and the archive's running totals.
final class ZipArchiveState {
    let path: String
    let input: BufferedInput
    let budget: ExtractionBudget
    /// Bytes inflated from all the archive's deflated members, for the archive's expansion ratio.
    private(set) var inflatedBytes: Int64 = 0
    /// Where members are drained to when skipped.
    let scratch: UnsafeMutableRawBufferPointer

    init(path: String, input: BufferedInput, budget: ExtractionBudget) {
        self.path = path
        self.input = input
        self.budget = budget
        scratch = .allocate(byteCount: 1 << 16, alignment: 16)
    }

    deinit { scratch.deallocate() }

    func addInflated(_ count: Int, member: String) throws {
        inflatedBytes += Int64(count)
        try budget.addInflated(count, at: member)
        if budget.limits.exceedsRatio(produced: inflatedBytes, consumed: input.offset) {
            throw RCCError(.format, "\(path): the archive expands more than \(budget.limits.ratioText) "
                + "(\(inflatedBytes) bytes from \(input.offset); a zip bomb?), found while reading \(member); refusing it")
        }
    }
}

/// A member's data as a stream: stored bytes copied, deflated ones inflated, the CRC-32 and sizes checked
/// when its data ends (before the reader of the member sees that end).
final class ZipMemberSource: ByteSource {
    let entry: ZipLocalEntry
    var path: String { entry.path }
    private let archive: ZipArchiveState
    private enum Data {
        case stored(remaining: Int64)
        case deflated(InflateByteSource)
        case empty
    }
    private var data: Data
    private var crc: uLong = crc32(0, nil, 0)
    /// Bytes of the member's content produced so far.
    private(set) var produced: Int64 = 0
    /// The CRC-32 checked at the end (the header's or the data descriptor's).
    private(set) var verifiedCRC: UInt32 = 0
    private var finished = false
    private var failure: Error?
    /// Set once the reader has moved on: reading then is a program error.
    var retired = false

    init(entry: ZipLocalEntry, archive: ZipArchiveState) throws {
        self.entry = entry
        self.archive = archive
        switch (entry.method, entry.hasDescriptor) {
        case (0, false):
            guard entry.compressedSize == entry.uncompressedSize else {
                throw RCCError(.format, "\(entry.path): is stored uncompressed but its header gives two different sizes; "
                    + "the archive is corrupt")
            }
            data = entry.compressedSize == 0 ? .empty : .stored(remaining: entry.compressedSize)
        case (0, true):
            // The size of stored data that is followed by its descriptor cannot be known while streaming
            // (the data may hold anything, a descriptor's bytes included). Only an empty member is accepted.
            let head = try archive.input.peek(16)
            let at = head.count >= 4 && ArchiveField.u32(head, 0) == ZipSignature.dataDescriptor ? 4 : 0
            guard head.count >= at + 12, ArchiveField.u32(head, at) == 0, ArchiveField.u32(head, at + 4) == 0,
                  ArchiveField.u32(head, at + 8) == 0 else {
                throw RCCError(.format, "\(entry.path): is stored uncompressed with its size after its data "
                    + "(general-purpose bit 3), which cannot be streamed safely; re-create the archive with deflate")
            }
            data = .empty
        case (_, false) where entry.compressedSize == 0:
            data = .empty
        case (_, false):
            data = .deflated(try InflateByteSource(input: BoundedInput(archive.input, limit: entry.compressedSize),
                                                   path: entry.path))
        case (_, true):
            data = .deflated(try InflateByteSource(input: archive.input, path: entry.path))
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !retired else {
            throw RCCError(.io, "\(path): read after the archive moved on to its next member (a program error)")
        }
        if let failure { throw failure }
        guard !finished, buffer.count > 0 else { return 0 }
        do {
            let n = try readData(into: buffer)
            if n > 0 {
                crc = crc32(crc, buffer.baseAddress!.assumingMemoryBound(to: Bytef.self), UInt32(n))
                produced += Int64(n)
            }
            if n == 0 || isDataEnded { try finish() }
            return n
        } catch {
            failure = error
            throw error
        }
    }

    /// Reads the rest of the member (checking it all the same), so that the next header can be read.
    func drain() throws {
        while try read(into: archive.scratch) > 0 {}
    }

    private var isDataEnded: Bool {
        switch data {
        case .stored(let remaining): remaining == 0
        case .deflated(let inflater): inflater.isFinished
        case .empty: true
        }
    }

    private func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        switch data {
        case .empty:
            return 0
        case .stored(let remaining):
            guard remaining > 0 else { return 0 }
            let chunk = try archive.input.available()
            guard !chunk.isEmpty else {
                throw RCCError(.format, "\(path): truncated: the archive ends inside this member (after \(produced) "
                    + "of its \(entry.compressedSize) bytes)")
            }
            let n = Int(min(Int64(min(chunk.count, buffer.count)), remaining))
            buffer.baseAddress!.copyMemory(from: chunk.baseAddress!, byteCount: n)
            archive.input.consume(n)
            data = .stored(remaining: remaining - Int64(n))
            return n
        case .deflated(let inflater):
            let n = try inflater.read(into: buffer)
            if n > 0 {
                let limits = archive.budget.limits
                if limits.exceedsRatio(produced: produced + Int64(n), consumed: inflater.compressedBytesRead) {
                    throw RCCError(.format, "\(path): expands more than \(limits.ratioText) (\(produced + Int64(n)) "
                        + "bytes from \(inflater.compressedBytesRead); a zip bomb?); refusing the archive")
                }
                try archive.addInflated(n, member: path)
            }
            return n
        }
    }

    /// At the end of the data: reads the data descriptor if there is one, then checks CRC-32 and sizes.
    private func finish() throws {
        finished = true
        var compressed: Int64 = 0
        if case .deflated(let inflater) = data {
            compressed = inflater.compressedBytesRead
            if !entry.hasDescriptor && compressed != entry.compressedSize {
                throw RCCError(.format, "\(path): its deflate data ends after \(compressed) of the \(entry.compressedSize) "
                    + "compressed bytes its header gives; the archive is corrupt")
            }
        } else if case .stored = data {
            compressed = entry.compressedSize
        }
        var expectedCRC = entry.crc
        var expectedSize = entry.uncompressedSize
        if entry.hasDescriptor {
            expectedCRC = try readDescriptor(compressed: compressed)
            expectedSize = produced  // the descriptor's sizes were matched against the data read
        }
        let actual = UInt32(truncatingIfNeeded: crc)
        guard actual == expectedCRC else {
            throw RCCError(.format, "\(path): CRC-32 check failed (the data gives \(hex(actual)), the archive says "
                + "\(hex(expectedCRC))): the member is corrupt")
        }
        guard produced == expectedSize else {
            throw RCCError(.format, "\(path): holds \(produced) bytes but its header says \(expectedSize); "
                + "the archive is corrupt")
        }
        verifiedCRC = actual
    }

    /// Reads the data descriptor after the member's data and returns its CRC-32. Its signature is optional,
    /// and its sizes are 4 or 8 bytes (8 when the local header had a zip64 field, but not every writer keeps
    /// to that): the layout whose sizes match the bytes actually read is the one taken.
    private func readDescriptor(compressed: Int64) throws -> UInt32 {
        let input = archive.input
        let head = try input.peek(24)
        let actualCRC = UInt32(truncatingIfNeeded: crc)
        var at = 0
        if head.count >= 4 && ArchiveField.u32(head, 0) == ZipSignature.dataDescriptor {
            // A CRC-32 can equal the signature: then the word after it decides.
            let secondIsCRC = head.count >= 8 && ArchiveField.u32(head, 4) == actualCRC
            if !(actualCRC == ZipSignature.dataDescriptor && !secondIsCRC) { at = 4 }
        }
        let matches32 = head.count >= at + 12
            && ArchiveField.u32(head, at + 4) == UInt32(truncatingIfNeeded: compressed)
            && ArchiveField.u32(head, at + 8) == UInt32(truncatingIfNeeded: produced)
        let matches64 = head.count >= at + 20
            && ArchiveField.u64(head, at + 4) == UInt64(compressed)
            && ArchiveField.u64(head, at + 12) == UInt64(produced)
        let length: Int
        if entry.zip64 && matches64 { length = at + 20 }
        else if matches32 { length = at + 12 }
        else if matches64 { length = at + 20 }
        else if head.count < at + 12 {
            throw RCCError(.format, "\(path): truncated: the archive ends inside this member's data descriptor")
        } else {
            throw RCCError(.format, "\(path): the data descriptor after this member does not give the sizes of its "
                + "data (\(compressed) compressed, \(produced) bytes); the archive is corrupt")
        }
        let descriptorCRC = ArchiveField.u32(head, at)
        input.consume(length)  // peek left these bytes buffered
        return descriptorCRC
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
