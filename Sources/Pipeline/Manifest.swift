import Foundation
import RCCCore
import Yams

/// A manifest beside a return says what it is when names cannot: `manifest.yaml` (or `rcc-manifest.yaml`)
/// in the file's folder or any folder above it within the input, holding any of
/// `la: "352"`, `collection: ssda903`, `year: 2025`. The nearest manifest wins.
public struct Manifest: Sendable, Equatable, Decodable {
    public var la: String?
    public var collection: String?
    public var year: Int?

    public static let fileNames = ["manifest.yaml", "manifest.yml", "rcc-manifest.yaml"]

    enum CodingKeys: String, CodingKey { case la, collection, year }

    public init(la: String? = nil, collection: String? = nil, year: Int? = nil) {
        self.la = la
        self.collection = collection
        self.year = year
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // An LA code written as a number (la: 352) is read as text.
        if let text = try? c.decodeIfPresent(String.self, forKey: .la) {
            la = text
        } else {
            la = try c.decodeIfPresent(Int.self, forKey: .la).map(String.init)
        }
        collection = try c.decodeIfPresent(String.self, forKey: .collection)
        year = try c.decodeIfPresent(Int.self, forKey: .year)
    }

    /// The nearest manifest for `file` (a path on disk), looking up to `root`; nil when there is none.
    public static func find(for file: String, root: String) throws -> (path: String, manifest: Manifest)? {
        var folder = (file as NSString).deletingLastPathComponent
        let stop = (root as NSString).standardizingPath
        while true {
            for name in fileNames {
                let path = (folder as NSString).appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: path) {
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                        throw RCCError(.identity, "manifest \(path) cannot be read")
                    }
                    do {
                        return (path, try YAMLDecoder().decode(Manifest.self, from: text))
                    } catch {
                        throw RCCError(.identity, "manifest \(path) is not valid: it takes la, collection and year")
                    }
                }
            }
            let standard = (folder as NSString).standardizingPath
            if standard == stop || folder.isEmpty || folder == "/" || !standard.hasPrefix(stop) { return nil }
            folder = (folder as NSString).deletingLastPathComponent
        }
    }
}
