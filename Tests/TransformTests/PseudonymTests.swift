import Foundation
import RCCCore
import RCCTestSupport
import Testing
@testable import Transform

@Suite struct PseudonymTests {
    let keyA = try! PseudonymKey(bytes: Array(repeating: 1, count: 32))
    let keyB = try! PseudonymKey(bytes: Array(repeating: 2, count: 32))

    @Test func sameKeySameValueSamePseudonym() {
        let p = Pseudonymiser(key: keyA)
        #expect(p.pseudonym("C123", namespace: .laChild, la: "352") == p.pseudonym(" c123 ", namespace: .laChild, la: "352"))
        #expect(p.pseudonym("C123", namespace: .laChild, la: "352").count == 32)
    }

    /// The pseudonym is HMAC-SHA256 of the namespaced, normalised value, its first 16 bytes in hex: these
    /// were worked out apart from rcc (Python's `hmac`, key bytes 0…31), so a change to how the input is
    /// put together or written out, which would give every child a new pseudonym, fails here.
    @Test(arguments: [
        ("C123", RegionalColumn.Namespace.laChild, "352", "acc3d6c8850cec6abd996f403b66e6b7"),
        (" c123 ", .laChild, "352", "acc3d6c8850cec6abd996f403b66e6b7"),
        ("L352200024123", .upn, "352", "6f3bd7799a2facc233c68a6f3390e273"),
        ("ÉLÈVE-7", .laChild, "350", "4845db2edde59492e280e132919c3c59"),
        (String(repeating: "A", count: 200), .laChild, "352", "9ff386854fe6ebd054036de5630e2a2a"),
    ])
    func pseudonymsAreTheKeyedHashWorkedOutApart(value: String, namespace: RegionalColumn.Namespace, la: String, expected: String) throws {
        let p = Pseudonymiser(key: try PseudonymKey(bytes: Array(0..<32)))
        #expect(p.pseudonym(value, namespace: namespace, la: la) == expected)
    }

    @Test func differentKeysGiveUnrelatedPseudonyms() {
        let a = Pseudonymiser(key: keyA).pseudonym("C123", namespace: .laChild, la: "352")
        let b = Pseudonymiser(key: keyB).pseudonym("C123", namespace: .laChild, la: "352")
        #expect(a != b)
        // Unrelated: no shared prefix beyond chance.
        #expect(a.prefix(6) != b.prefix(6))
    }

    @Test func childIdsAreScopedByLAButUPNsAreNational() {
        let p = Pseudonymiser(key: keyA)
        #expect(p.pseudonym("C123", namespace: .laChild, la: "352") != p.pseudonym("C123", namespace: .laChild, la: "350"))
        #expect(p.pseudonym("L352200024123", namespace: .upn, la: "352") == p.pseudonym("L352200024123", namespace: .upn, la: "350"))
        #expect(p.pseudonym("X", namespace: .upn, la: "352") != p.pseudonym("X", namespace: .laChild, la: "352"))
    }

    @Test func keyFilesReadableByOthersAreRefused() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("k").path
        let (_, hex) = PseudonymKey.generate()
        try TestSupport.write(hex + "\n", to: URL(fileURLWithPath: path))
        chmod(path, 0o644)
        #expect { try PseudonymKey.load(file: path) } throws: { "\($0)".contains("chmod 600") }
        chmod(path, 0o600)
        let key = try PseudonymKey.load(file: path)
        #expect(key.fingerprint.hasPrefix("sha256:") && key.fingerprint.count == 23)
        #expect(!key.fingerprint.contains(hex.prefix(16)))
    }

    @Test func keysFromTheEnvironmentAndBadKeys() throws {
        let (generated, hex) = PseudonymKey.generate()
        let fromEnv = try #require(try PseudonymKey.fromEnvironment(["RCC_KEY": hex]))
        #expect(fromEnv.fingerprint == generated.fingerprint)
        #expect(try PseudonymKey.fromEnvironment([:]) == nil)
        #expect { try PseudonymKey.fromEnvironment(["RCC_KEY": "abc"]) } throws: { "\($0)".contains("rcc keygen") }
        #expect { try PseudonymKey.fromEnvironment(["RCC_KEY": String(repeating: "zz", count: 32)]) } throws: { !"\($0)".contains("zz") }
    }
}
