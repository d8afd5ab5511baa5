/// Text of at most seven ASCII bytes as one whole number (its bytes and their count), so that a code is
/// looked up in a list of codes by comparing numbers, not by hashing or comparing text: codes are
/// checked and tested on every row. Only ASCII is packed: ASCII text equal as Swift compares text
/// (canonical equivalence) to ASCII text is equal byte for byte, which is not so of text beyond it
/// (the Kelvin sign is a `K`).
enum ShortText {
    /// The packed text; nil when it is longer than seven bytes or not all ASCII.
    static func pack(_ text: String) -> UInt64? {
        var packed: UInt64 = 0, count: UInt64 = 0
        for byte in text.utf8 {
            guard byte < 0x80, count < 7 else { return nil }
            packed = packed << 8 | UInt64(byte)
            count += 1
        }
        return packed | count << 56
    }

    /// Whether `sorted` (packed texts in ascending order) holds `packed`: item by item in a short list
    /// (the usual `in ['T0', 'T1']`; quicker than halving, whose branches cannot be foreseen), by halves
    /// in a long one (a code list).
    static func contains(_ sorted: [UInt64], _ packed: UInt64) -> Bool {
        sorted.withUnsafeBufferPointer { items in
            if items.count <= 24 {
                for item in items where item == packed { return true }
                return false
            }
            var low = 0, high = items.count
            while low < high {
                let middle = (low + high) / 2
                if items[middle] < packed { low = middle + 1 } else { high = middle }
            }
            return low < items.count && items[low] == packed
        }
    }
}
