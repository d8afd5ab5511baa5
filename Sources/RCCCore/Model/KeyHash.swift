/// A 128-bit digest of a key (a child id, a child and a date), so that a return's key sets stay
/// small in memory and hold no raw identifier. Seeded per process; never stored.
public struct KeyHash: Hashable, Sendable {
    let a: UInt64
    let b: UInt64

    public init<S: Sequence>(_ parts: S) where S.Element == String? {
        var first = Hasher(), second = Hasher()
        first.combine(0x5EED_0001 as UInt32)
        second.combine(0x5EED_0002 as UInt32)
        for part in parts {
            first.combine(part); second.combine(part)
        }
        a = UInt64(bitPattern: Int64(first.finalize()))
        b = UInt64(bitPattern: Int64(second.finalize()))
    }
}
