import Crypto
import Foundation
import RCCCore

/// SHA-256 of files as sent (before any decompression), read in chunks.
enum SourceDigest {
    static func sha256(file path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RCCError(.io, "\(path): cannot open")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return Hex.string(hasher.finalize())
    }

    /// One digest for a return: over its sources' digests in sorted order, so the same files give
    /// the same digest whatever they are called or in which order they were found.
    static func combined(_ digests: [String]) -> String {
        var hasher = SHA256()
        for digest in digests.sorted() { hasher.update(data: Array(digest.utf8)) }
        return Hex.string(hasher.finalize())
    }
}
