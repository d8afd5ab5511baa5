import Extract
import Foundation
import RCCCore

/// Told how reading goes, file by file, so that a person can follow a long run: a progress bar on a
/// terminal, a line per file in a log. Called from the loading task, never with a value read.
public protocol ReadObserver: Sendable {
    /// Reading of an input file (for one return) begins; `bytes` is its size on disk.
    func began(file: String, bytes: Int, returnKey: ReturnKey)
    /// So far in this file: rows handed on, and bytes read from disk.
    func advanced(rows: Int, bytesRead: Int)
    /// The file is read (for that return: a file holding two returns, or tables of several ranks, is
    /// read once for each): rows, bytes from disk, seconds taken.
    func ended(file: String, returnKey: ReturnKey, rows: Int, bytesRead: Int, seconds: Double)
}

/// One input file's reading, as the observer sees it.
final class ReadTracker {
    let observer: (any ReadObserver)?
    let counter = ByteCounter()
    let file: String
    let returnKey: ReturnKey
    private let started = Date()
    private(set) var rows = 0

    init(observer: (any ReadObserver)?, file: String, returnKey: ReturnKey) {
        self.observer = observer
        self.file = file
        self.returnKey = returnKey
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
        observer?.began(file: file, bytes: size, returnKey: returnKey)
    }

    func add(rows count: Int) {
        rows += count
        observer?.advanced(rows: rows, bytesRead: counter.bytes)
    }

    func end() {
        observer?.ended(file: file, returnKey: returnKey, rows: rows, bytesRead: counter.bytes, seconds: Date().timeIntervalSince(started))
    }
}
