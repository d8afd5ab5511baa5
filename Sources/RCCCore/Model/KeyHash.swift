/// A 64-bit digest of a key (a child id, a child and a date), so that a return's key sets stay small
/// in memory (8 bytes a row) and hold no raw identifier. Seeded per process; never stored.
///
/// Two different keys share a digest with odds of about n²/2⁶⁵ (one in ten million for two million
/// keys); the cost of that is a row quarantined as a duplicate, with its reason, never a row lost.
public struct KeyHash: Hashable, Sendable {
    @usableFromInline let value: UInt64

    @inlinable init(value: UInt64) { self.value = value }

    /// Inlinable: called from other modules on every row, where an unspecialised generic would be slow.
    @inlinable public init<S: Sequence>(_ parts: S) where S.Element == String? {
        var hasher = Hasher()
        for part in parts { hasher.combine(part) }
        value = UInt64(bitPattern: Int64(hasher.finalize()))
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    /// The digest is already a keyed hash, as random as a second one would be, so a `Set` or `Dictionary`
    /// of digests (the key sets, the looked-up rows) places it by its bits mixed with the table's seed
    /// (SplitMix64's finaliser, so that tables of different seeds order their buckets unalike, as the
    /// standard library's hashing does) rather than hashing it again with a fresh SipHash `Hasher`, which
    /// cost as much as making the digest. (`_rawHashValue` is the standard library's own hook for this.)
    public func _rawHashValue(seed: Int) -> Int {
        var x = value ^ UInt64(UInt(bitPattern: seed))
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: x ^ (x >> 31))
    }
}
