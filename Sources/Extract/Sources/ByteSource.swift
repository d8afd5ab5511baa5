/// A readable stream of bytes: a file, a gunzipped stream, later a zip member.
///
/// `path` is what diagnostics show: the file path, with archive members joined by `!/`.
public protocol ByteSource: AnyObject {
    var path: String { get }
    /// Reads up to `buffer.count` bytes; returns 0 at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}
