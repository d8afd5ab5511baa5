import RCCCore

/// Transcodes a UTF-16 stream (after its byte-order mark) to UTF-8 as it is read.
public final class UTF16Source: ByteSource {
    private let inner: ByteSource
    private let bigEndian: Bool
    private var input = [UInt8](repeating: 0, count: 1 << 16)
    private var pendingInput: [UInt8] = []
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var ended = false

    public var path: String { inner.path }

    public init(_ inner: ByteSource, bigEndian: Bool) {
        self.inner = inner
        self.bigEndian = bigEndian
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while outputOffset == output.count {
            if ended { return 0 }
            try fill()
        }
        let n = min(buffer.count, output.count - outputOffset)
        output.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + outputOffset, byteCount: n)
        }
        outputOffset += n
        return n
    }

    private func fill() throws {
        output.removeAll(keepingCapacity: true)
        outputOffset = 0
        let n = try input.withUnsafeMutableBytes { try inner.read(into: $0) }
        if n == 0 {
            ended = true
            if !pendingInput.isEmpty { output.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
            return
        }
        var bytes = pendingInput
        bytes.append(contentsOf: input[0..<n])
        // Keep back an odd byte, and a lone high surrogate, for the next chunk.
        var usable = bytes.count & ~1
        if usable >= 2 {
            let last = unit(bytes, usable - 2)
            if (0xD800...0xDBFF).contains(last) { usable -= 2 }
        }
        var units: [UInt16] = []
        units.reserveCapacity(usable / 2)
        var i = 0
        while i < usable { units.append(unit(bytes, i)); i += 2 }
        pendingInput = Array(bytes[usable...])
        _ = transcode(units.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: false) {
            output.append($0)
        }
    }

    private func unit(_ bytes: [UInt8], _ i: Int) -> UInt16 {
        bigEndian ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i])
    }
}
