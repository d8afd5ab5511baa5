import Foundation
import RCCCore

/// Expands the inputs named on the command line into the files to read: files as given, folders
/// walked in name order. Hidden files and folders (`.git`, `.DS_Store`), manifests and `READY`
/// markers are skipped: they describe returns, they are not part of them.
public enum InputDiscovery {
    public static func files(in inputs: [String]) throws -> [String] {
        let fm = FileManager.default
        var found: [String] = []
        for input in inputs {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDir) else {
                throw RCCError(.usage, "input \(input) does not exist")
            }
            guard isDir.boolValue else { found.append(input); continue }
            guard let walker = fm.enumerator(atPath: input) else { continue }
            var inFolder: [String] = []
            for case let relative as String in walker {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") { walker.skipDescendants(); continue }
                if Manifest.fileNames.contains(name) || name == "READY" { continue }
                let path = (input as NSString).appendingPathComponent(relative)
                var sub: ObjCBool = false
                if fm.fileExists(atPath: path, isDirectory: &sub), !sub.boolValue { inFolder.append(path) }
            }
            found.append(contentsOf: inFolder.sorted())
        }
        return found
    }
}
