import RCCCore
import RCCTestSupport
import Testing
@testable import Validate

/// The shapes of condition the compiler answers straight from a row's cells (`FIELD is blank`,
/// `FIELD in [texts]`, `FIELD == 'X'`, date fields against dates) must answer as the general path does,
/// which reads values (`coalesce(FIELD)` is a value the compiler does not look into): on blanks, empty
/// text, text that is no date, dates not written canonically, text equal only as Unicode compares it
/// (the Kelvin sign is a `K`), in every comparison. The rules' own cases (RuleCasesTests) run the real
/// rules; these run the shapes on values the cases do not hold.
@Suite struct ConditionShapesTests {
    let catalog = TestSupport.catalog
    let input = InputSpec(id: "t", collection: "ssda903", title: "t", fields: [
        FieldSpec(name: "T", type: .string), FieldSpec(name: "U", type: .code),
        FieldSpec(name: "D", type: .date), FieldSpec(name: "E", type: .date), FieldSpec(name: "N", type: .integer),
    ])

    /// Cells as a row may hold them (nil is blank).
    static let cells: [String?] = [
        nil, "", "A", "a", "B", "AB", "V3", "V4", "\u{212A}", "K", "\u{e9}", "e\u{301}", "ABCDEFGHIJ", "12", "007",
        "2024-04-01", "2024-4-1", "2025-03-31", "2023-10-28", "31/02/2024", "2024-02-30", "xx", "M9 5JG",
    ]

    func context() -> ReturnContext { ReturnContext(key: ReturnKey(la: "352", collection: "ssda903", year: 2025)) }

    func truth(_ text: String, _ cells: [String?], reusing typed: TypedCells? = nil) throws -> Truth {
        let compiled = try ExpressionCompiler.compile(text, input: input, catalog: catalog, year: 2025)
        let record = Record(row: 2, cells: cells)
        let row = typed.map { RowValues(record, reusing: $0) } ?? RowValues(record)
        let answer = compiled.test(row, context())
        // The value and the condition agree.
        #expect(Truth(compiled.evaluate(RowValues(record), context())) == answer, "\(text) on \(cells)")
        return answer
    }

    /// `shape` with fields put for `$F` and `$G`, against the same with each field read as a value.
    func expectSame(_ shape: String, _ fields: (String, String), _ rows: [[String?]]) throws {
        let fast = shape.replacingOccurrences(of: "$F", with: fields.0).replacingOccurrences(of: "$G", with: fields.1)
        let slow = shape.replacingOccurrences(of: "$F", with: "coalesce(\(fields.0))").replacingOccurrences(of: "$G", with: "coalesce(\(fields.1))")
        for cells in rows {
            #expect(try truth(fast, cells) == truth(slow, cells), "\(fast) on \(cells)")
        }
    }

    func rows(_ values: (String?, String?) -> [String?]) -> [[String?]] {
        Self.cells.flatMap { a in Self.cells.map { b in values(a, b) } }
    }

    @Test func blankAndMembership() throws {
        let rows = Self.cells.map { c in [c, c, c, c, c] }
        for field in ["T", "U", "D", "N"] {
            for shape in ["$F is blank", "$F is not blank", "$F in ['V3', 'V4']", "$F not in ['V3', 'V4', 'K', 'ABCDEFGHIJ']",
                          "$F in ['\u{e9}', 'A']", "$F in ['2024-04-01', 'B']", "$F in [12, 'A']", "$F in []"] {
                try expectSame(shape, (field, field), rows)
            }
        }
    }

    @Test func comparisonsOfTextWithText() throws {
        for op in ["==", "!=", "<", "<=", ">", ">="] {
            for constant in ["'A'", "'K'", "'e\u{301}'", "'12'", "''", "12"] {
                try expectSame("$F \(op) \(constant)", ("T", "T"), Self.cells.map { [$0, nil, nil, nil, nil] })
                try expectSame("\(constant) \(op) $F", ("U", "U"), Self.cells.map { [nil, $0, nil, nil, nil] })
            }
            try expectSame("$F \(op) $G", ("T", "U"), rows { [$0, $1, nil, nil, nil] })
        }
    }

    @Test func comparisonsOfDates() throws {
        for op in ["==", "!=", "<", "<=", ">", ">="] {
            for constant in ["date('2024-04-01')", "collection_end", "add_years(collection_start, -1)", "'2024-04-01'", "'xx'"] {
                try expectSame("$F \(op) \(constant)", ("D", "D"), Self.cells.map { [nil, nil, $0, nil, nil] })
                try expectSame("\(constant) \(op) $F", ("D", "D"), Self.cells.map { [nil, nil, $0, nil, nil] })
            }
            try expectSame("$F \(op) $G", ("D", "E"), rows { [nil, nil, $0, $1, nil] })
            try expectSame("$F \(op) $G", ("D", "T"), rows { [$1, nil, $0, nil, nil] })
        }
    }

    /// `and`, `or`, `not` over blank (unknown), true and false, as three-valued logic has them.
    @Test func andOrNotAreThreeValued() throws {
        let answers: [String?: Truth] = [nil: .unknown, "A": .yes, "B": .no]
        for (a, x) in answers {
            for (b, y) in answers {
                let cells: [String?] = [a, b, nil, nil, nil]
                let and: Truth = x == .no || y == .no ? .no : (x == .yes && y == .yes ? .yes : .unknown)
                let or: Truth = x == .yes || y == .yes ? .yes : (x == .no && y == .no ? .no : .unknown)
                #expect(try truth("T == 'A' and U == 'A'", cells) == and)
                #expect(try truth("T == 'A' or U == 'A'", cells) == or)
                #expect(try truth("not (T == 'A' and U == 'A')", cells) == (and == .unknown ? .unknown : (and == .yes ? .no : .yes)))
            }
        }
    }

    /// Cells read through storage reused row after row answer as a row read afresh: nothing of the row
    /// before is kept.
    @Test func reusedStorageForgetsTheRowBefore() throws {
        let typed = TypedCells(count: input.fields.count)
        let conditions = ["D < date('2024-06-01')", "D == E", "T in ['A', 'V3']", "N > 10", "days(D, E) > 3", "U is blank"]
        for a in Self.cells {
            for b in Self.cells.reversed() {
                let cells: [String?] = [a, b, a, b, a]
                for text in conditions { #expect(try truth(text, cells, reusing: typed) == truth(text, cells), "\(text) on \(cells)") }
            }
        }
    }

    /// A field looked up in another table is looked up for the row's own child, row after row through
    /// the same storage.
    @Test func lookedUpFieldsAreEachRowsOwn() throws {
        let episodes = try #require(catalog.input("ssda903.episodes")), header = try #require(catalog.input("ssda903.header"))
        let context = ReturnContext(key: ReturnKey(la: "352", collection: "ssda903", year: 2025), retainedFields: RowRule.lookupFields(catalog))
        let validator = try TableValidator(spec: header, catalog: catalog, year: 2025)
        for (child, dob) in [("1", "2010-05-01"), ("2", "2015-05-01")] {
            var cells = [String?](repeating: nil, count: header.fields.count)
            cells[header.index(of: "CHILD")!] = child
            cells[header.index(of: "DOB")!] = dob
            validator.register([Record(row: 2, cells: cells)], context: context)
        }
        let compiled = try ExpressionCompiler.compile("age(ssda903.header.DOB, DECOM) >= 10 and ssda903.header.DOB < DECOM",
                                                      input: episodes, catalog: catalog, year: 2025)
        let typed = TypedCells(count: episodes.fields.count)
        for (child, expected) in [("1", Truth.yes), ("2", .no), ("3", .unknown), ("1", .yes)] {
            var cells = [String?](repeating: nil, count: episodes.fields.count)
            cells[episodes.index(of: "CHILD")!] = child
            cells[episodes.index(of: "DECOM")!] = "2024-06-01"
            #expect(compiled.test(RowValues(Record(row: 2, cells: cells), reusing: typed), context) == expected, "child \(child)")
        }
    }

    /// A postcode is kept as written only when `Postcode.normalise` would give it back unchanged (which
    /// it does for the usual shapes; `GIR 0AA`, the one outside them, goes the long way).
    @Test func normalPostcodesAreThoseNormaliseKeeps() {
        for value in ["M9 5JG", "M10 7NS", "EC1A 1BB", "SW1A 2AA", "GIR 0AA", "m9 5jg", "M95JG", "M9  5JG", " M9 5JG", "M9 5JG ",
                      "M9 5J", "MM9A 5JG", "M9A9 5JG", "1M9 5JG", "ABC 1DE", "M9 5J1", "M\u{212A} 5JG", "", "M", "M9 ", "M9 5JGG"] {
            #expect(FieldCheck.isNormalPostcode(value) == (Postcode.normalise(value) == value && value != "GIR 0AA"), "\(value)")
        }
    }

    /// A code field accepts a value exactly when the code list's set holds it in upper case.
    @Test func codesAreFoundAsTheSetFindsThem() throws {
        let episodes = try #require(catalog.input("ssda903.episodes"))
        for name in ["PLACE", "LS", "REC", "REASON_PLACE_CHANGE"] {
            let field = episodes.fields[try #require(episodes.index(of: name))]
            let list = try #require(field.codelist)
            let codes = try #require(catalog.codeLists[list]).validCodes(in: 2025)
            let check = FieldCheck(field: field, table: episodes.id, catalog: catalog, year: 2025)
            for value in Array(codes) + Self.cells.compactMap({ $0 }) + codes.map({ $0.lowercased() }) + ["\u{212A}1", "U1 ", "CUSTODY", "CUSTOD"] {
                let valid = if case .invalid = check.check(value) { false } else { true }
                #expect(valid == codes.contains(FieldCheck.upper(value)), "\(name): \(value)")
            }
        }
    }

    @Test func packedTextIsOneToOne() {
        let texts = ["", "A", "AA", "A\u{0}", "\u{0}A", "ABCDEFG", "V3", "3V"]
        let packed = texts.map(ShortText.pack)
        #expect(Set(packed.compactMap { $0 }).count == texts.count)
        #expect(ShortText.pack("ABCDEFGH") == nil)
        #expect(ShortText.pack("\u{e9}") == nil)
        let sorted = packed.compactMap { $0 }.sorted()
        for p in sorted { #expect(ShortText.contains(sorted, p)) }
        #expect(!ShortText.contains(sorted, ShortText.pack("B")!))
    }
}

/// Functions given a fast way for ASCII text answer as they do for any text.
@Suite struct FunctionShortcutsTests {
    @Test func postcodeAreaOfASCIIText() {
        for text in ["SA1 1AA", "sa1 1aa", "M9 5JG", "m", "1AB", "", "AB\r\nC", "ab-c", "EC1A 1BB", "Xy"] {
            let expected = String(text.uppercased().prefix { $0.isLetter })
            #expect(ExpressionFunctions.asciiLetters(text) == expected, "\(text)")
        }
        #expect(ExpressionFunctions.asciiLetters("\u{e9}A") == nil)
    }
}
