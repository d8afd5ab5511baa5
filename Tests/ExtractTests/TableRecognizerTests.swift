import Extract
import RCCCore
import RCCTestSupport
import Testing

@Suite struct TableRecognizerTests {
    let recognizer = TableRecognizer(specs: TestSupport.catalog.inputs)

    @Test func recognisesHeaderInAnyCaseOrderAndSpacingWithAliases() throws {
        let header = [" sex ", "Child ID", "Date of birth", "ethnic", "UPN", "mother", "MC DOB", "Forename"]
        guard case .recognised(let match) = recognizer.recognise(header: header) else {
            Issue.record("not recognised"); return
        }
        #expect(match.spec.id == "ssda903.header")
        #expect(match.columns == [1, 0, 2, 3, 4, 5, 6, nil], "UASC: the XML's alone")
        #expect(match.extraColumns == ["Forename"])
    }

    /// The Header's UASC is the XML's alone: a CSV Header is recognised without it, and a UASC column there is
    /// not read (the DfE's validator derives a CSV child's UASC from the UASC table).
    @Test func aCSVHeaderNeedsNoUASCColumnAndOneThereIsNotRead() throws {
        let header = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB", "UASC"]
        guard case .recognised(let match) = recognizer.recognise(header: header) else {
            Issue.record("not recognised"); return
        }
        #expect(match.spec.id == "ssda903.header")
        #expect(match.columns.last == .some(nil))
        #expect(match.extraColumns == ["UASC"])
    }

    @Test func recognisesEpisodesNotHeaderFromItsColumns() throws {
        let header = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                      "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
        guard case .recognised(let match) = recognizer.recognise(header: header) else {
            Issue.record("not recognised"); return
        }
        #expect(match.spec.id == "ssda903.episodes")
    }

    @Test func aHeaderMissingColumnsIsNamedWithWhatIsMissing() throws {
        guard case .incomplete(let spec, let problem) = recognizer.recognise(header: ["CHILD", "SEX", "DOB", "ETHNIC", "UPN"]) else {
            Issue.record("expected incomplete"); return
        }
        #expect(spec.id == "ssda903.header")
        #expect(problem.contains("MOTHER") && problem.contains("MC_DOB"))
    }

    @Test func aRepeatedColumnIsRefused() throws {
        guard case .incomplete(_, let problem) = recognizer.recognise(header: ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB", "sex"]) else {
            Issue.record("expected incomplete"); return
        }
        #expect(problem.contains("SEX"))
    }

    @Test func anUnrelatedHeaderIsUnrecognised() {
        guard case .unrecognised = recognizer.recognise(header: ["invoice", "amount", "date"]) else {
            Issue.record("expected unrecognised"); return
        }
    }

    @Test func normalisesHeaderNames() {
        #expect(HeaderName.normalise(" Place Provider ") == "PLACE_PROVIDER")
        #expect(HeaderName.normalise("place-provider") == "PLACE_PROVIDER")
        #expect(HeaderName.normalise("\u{FEFF}CHILD") == "CHILD")
    }

    @Test func tableReaderPutsCellsInSpecOrderAndFlagsMisshapenRows() throws {
        let csv = try CSVReader(source: MemorySource("SEX,CHILD,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nM, 123 ,01/02/2010,WBRI,UN1,,\nF,9\n"))
        let header = try #require(try csv.next())
        guard case .recognised(let match) = recognizer.recognise(header: header.fields) else {
            Issue.record("not recognised"); return
        }
        let reader = TableReader(csv: csv, match: match, headerWidth: header.fields.count)
        let batch = try #require(try reader.nextBatch(size: 10))
        #expect(batch[0].cells == ["123", "M", "01/02/2010", "WBRI", "UN1", nil, nil, nil], "UASC, the XML's alone, is blank")
        #expect(batch[0].row == 2 && batch[0].problem == nil)
        #expect(batch[1].problem?.contains("2 fields") == true)
        #expect(try reader.nextBatch(size: 10) == nil)
        #expect(reader.rowsRead == 2)
    }
}
