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
