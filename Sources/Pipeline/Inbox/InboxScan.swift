import Foundation
import RCCCore

/// The folders and files `rcc inbox` keeps inside an inbox, beside the entries LAs put there.
public enum InboxLayout {
    /// Entries being ingested by a pass (moved here by rename, so on the inbox's own filesystem).
    public static let processing = "processing"
    /// `done/YYYY-MM-DD/`: entries whose returns loaded (some rows may have been quarantined).
    public static let done = "done"
    /// `failed/YYYY-MM-DD/`: entries with a return or source refused, each with `NAME.reason.txt`.
    public static let failed = "failed"
    /// The lock a pass holds (flock) so that two passes never overlap.
    public static let lockFile = ".rcc-inbox.lock"
    /// A folder is complete when it holds this file.
    public static let readyMarker = "READY"

    static let ownFolders: Set<String> = [processing, done, failed]
}

/// A top-level entry of the inbox: a file or a folder, holding one or more returns.
public struct InboxEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case file
        case folder
        /// Something rcc does not read (a symbolic link, a pipe, a socket, a device): failed without reading it.
        case unreadable(String)
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// What a pass finds in the inbox.
public struct InboxSurvey: Sendable, Equatable {
    /// An entry not complete yet, and why.
    public struct Waiting: Sendable, Equatable {
        public var name: String
        public var why: String
    }

    /// Complete entries, in name order: to be processed.
    public var ready: [InboxEntry] = []
    /// Entries that are still arriving (left untouched).
    public var waiting: [Waiting] = []
    /// Entries left in `processing/` by a pass that was stopped (killed, the machine restarted, a crash).
    public var interrupted: [InboxEntry] = []

    public init() {}

    /// Nothing to process (entries may still be waiting).
    public var isEmpty: Bool { ready.isEmpty && interrupted.isEmpty }
}

/// Finds the complete entries of an inbox.
///
/// - A top-level **folder** is complete when it holds a `READY` file (written last, by whoever sends it).
/// - A top-level **file** is complete when it has not been modified for the settle time: a file still
///   being copied keeps changing. (Uploads are safest written under a hidden name and renamed.)
/// - Hidden entries (`.name`, as rsync and many uploaders use while writing), the inbox's own
///   `processing/`, `done/` and `failed/`, and a stray `READY` or manifest at the top are ignored.
/// - Symbolic links, pipes, sockets and devices are complete but never read: they fail with a reason.
public enum InboxScan {
    public static func survey(inbox: String, settleSeconds: Double, now: Date = Date()) throws -> InboxSurvey {
        var survey = InboxSurvey()
        for name in try names(in: inbox) where !InboxLayout.ownFolders.contains(name)
            && name != InboxLayout.readyMarker && !Manifest.fileNames.contains(name) {
            guard let info = status(of: (inbox as NSString).appendingPathComponent(name)) else { continue }   // gone meanwhile
            switch info.kind {
            case .folder:
                if status(of: (inbox as NSString).appendingPathComponent(name + "/" + InboxLayout.readyMarker)) != nil {
                    survey.ready.append(InboxEntry(name: name, kind: .folder))
                } else {
                    survey.waiting.append(.init(name: name, why: "a folder without a \(InboxLayout.readyMarker) file yet"))
                }
            case .file:
                let age = now.timeIntervalSince(info.modified)
                if age >= settleSeconds {
                    survey.ready.append(InboxEntry(name: name, kind: .file))
                } else if age < 0 {
                    survey.waiting.append(.init(name: name, why: "modified in the future (\(Int((-age).rounded())) s ahead: is a clock wrong?); taken once it is \(Int(settleSeconds)) s old"))
                } else {
                    survey.waiting.append(.init(name: name, why: "modified \(Int(age.rounded())) s ago; taken once unchanged for \(Int(settleSeconds)) s"))
                }
            case .unreadable:
                survey.ready.append(InboxEntry(name: name, kind: info.kind))
            }
        }
        let processing = (inbox as NSString).appendingPathComponent(InboxLayout.processing)
        if status(of: processing)?.kind == .folder {
            for name in try names(in: processing) {
                guard let info = status(of: (processing as NSString).appendingPathComponent(name)) else { continue }
                survey.interrupted.append(InboxEntry(name: name, kind: info.kind))
            }
        }
        return survey
    }

    /// The visible names in a folder, sorted.
    static func names(in folder: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw RCCError(.io, "cannot list \(folder): \(error.localizedDescription)")
        }
    }

    struct Status {
        var kind: InboxEntry.Kind
        var modified: Date
    }

    /// What is at `path`, without following a symbolic link; nil when nothing is.
    static func status(of path: String) -> Status? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        let kind: InboxEntry.Kind
        switch info.st_mode & 0o170000 {
        case 0o100000: kind = .file
        case 0o040000: kind = .folder
        case 0o120000: kind = .unreadable("a symbolic link")
        case 0o010000: kind = .unreadable("a named pipe")
        case 0o140000: kind = .unreadable("a socket")
        default: kind = .unreadable("a device")
        }
        return Status(kind: kind, modified: modified)
    }
}
