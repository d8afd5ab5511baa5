#!/usr/bin/env python3
"""Synthetic returns at scale for `make bench`: `python3 tools/bench/generate.py --rows 2000000 --out out/bench/data`.

Writes, into OUT/ROWS-rows-CHILDREN-children-vVERSION/ (reused when already complete):
  header.csv, episodes.csv       an SSDA903 Header and an Episodes table of exactly ROWS rows
  header.csv.gz, episodes.csv.gz the same, gzipped
  ssda903.zip                    the same two CSV files in one zip archive (deflated)
  cin.xml                        a CIN census XML of CHILDREN children (default ROWS / 10)
  meta.json                      rows and bytes of each file, the seed, what was generated

Every value is synthetic, made up from a fixed seed: CHILD ids are sequence numbers, UPNs are the LA and
the child's number with a correct DfE check letter (or an unknown-UPN code), dates fall in or before the collection year 1 April 2024 to 31 March
2025, codes are those schemas/codes/ lists as valid in 2025, postcodes are shaped like M1 1AE. The rows are
meant to load cleanly (no rule of schemas/rules/ broken), so the benchmark measures the loading path.

Generation streams: a child's rows are written as they are made, so memory stays flat whatever ROWS is.
"""
import argparse, datetime, gzip, json, os, random, re, shutil, sys, time, zipfile

LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"         # UPN check letters: no I, O or S
INWARD = "ABDEFGHJLNPQRSTUWXYZ"             # letters a postcode's inward code uses
YEAR = 2025                                  # collection year: 1 April 2024 to 31 March 2025
YEAR_START = datetime.date(2024, 4, 1)
YEAR_END = datetime.date(2025, 3, 31)
EPOCH = datetime.date(2000, 1, 1)           # day 0 of the precomputed date tables
SEED = 903_2025
VERSION = 4                                  # part of the cache folder's name: bump it when the data changes


def codes(schemas, collection, name, year=YEAR):
    """The codes of schemas/codes/COLLECTION/NAME.yaml valid in `year` (from/to are collection years).

    A small reader for that one regular shape (`- code: X` then optional `from:`/`to:`), so the
    generator needs nothing beyond the Python standard library."""
    path = os.path.join(schemas, "codes", collection, name + ".yaml")
    entries, current = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^-\s+code:\s*(.+?)\s*$", line)
            if m:
                current = {"code": m.group(1).strip("'\""), "from": None, "to": None}
                entries.append(current)
                continue
            m = re.match(r"^\s+(from|to):\s*(\d+)\s*$", line)
            if m and current is not None:
                current[m.group(1)] = int(m.group(2))
    valid = [e["code"] for e in entries
             if (e["from"] is None or e["from"] <= year) and (e["to"] is None or e["to"] >= year)]
    if not valid:
        sys.exit(f"generate.py: no code of {path} is valid in {year}")
    return valid


def upn_check(body):
    return LETTERS[sum(int(c) * (i + 2) for i, c in enumerate(body)) % 23]


class Dates:
    """Day numbers (days since 2000-01-01) to text, precomputed: strftime per value is the slow part."""

    def __init__(self, last=datetime.date(2027, 12, 31)):
        days = (last - EPOCH).days + 1
        self.dmy = [(EPOCH + datetime.timedelta(d)).strftime("%d/%m/%Y") for d in range(days)]
        self.iso = [(EPOCH + datetime.timedelta(d)).isoformat() for d in range(days)]

    @staticmethod
    def day(date):
        return (date - EPOCH).days


# MARK: SSDA903


def ssda903(schemas, folder, rows, la, rng, dates):
    """Header and Episodes, written together child by child. Returns (header rows, episode rows).

    Each child's episodes are one plausible period of care, so that the DfE rules find next to nothing
    (a real return has few findings, and writing findings is not the path being measured): one legal
    status and category of need for the period, a first episode starting it (RNE S), later ones changes
    of placement (RNE P, with a reason) among foster and children's-home placements and providers that
    fit them, the last one open at 31 March or ending with a final reason. Codes come from schemas/codes/
    and are checked to be valid in the year."""
    def pick(name, wanted):
        valid = set(codes(schemas, "ssda903", name))
        missing = [c for c in wanted if c not in valid]
        if missing:
            sys.exit(f"generate.py: {name} codes {missing} are not valid in {YEAR}: update the generator")
        return wanted
    sex = pick("SEX", ["M", "F"])
    ethnic = [c for c in codes(schemas, "ssda903", "ETHNIC") if c not in ("REFU", "NOBT")]
    ls = pick("LS", ["C2", "V2", "C1"])
    cin = codes(schemas, "ssda903", "CIN")
    # Placement → providers that fit it (family and friends foster: the LA or an agency; other foster
    # care: any but PR0/PR3-on-family; children's homes: any but PR0).
    placements = {
        "U1": ["PR1"], "U2": ["PR1"], "U3": ["PR1"],
        "U4": ["PR1", "PR2"], "U5": ["PR1", "PR2"], "U6": ["PR1", "PR2"],
        "K2": ["PR1", "PR4", "PR5"],
    }
    pick("PLACE", list(placements))
    pick("PLACE_PROVIDER", sorted({p for ps in placements.values() for p in ps}))
    place = list(placements)
    with_urn = {"K2"}
    rec_final = pick("REC", ["E13", "E4A", "E41"])
    rpc = pick("REASON_PLACE_CHANGE", ["CARPL", "CHILD", "LAREQ", "PLACE", "OTHER"])
    # UN1: not at school age; UN4 (UPN not yet given) is wrong for a child looked after at 31 March (210)
    unknown = [c for c in codes(schemas, "ssda903", "UPN-unknown") if c not in ("UN1", "UN4")]
    outward = [f"M{n}" for n in range(1, 41)]

    d = dates.dmy
    start, end = Dates.day(YEAR_START), Dates.day(YEAR_END)
    dob_lo, dob_hi = Dates.day(datetime.date(2008, 4, 1)), Dates.day(datetime.date(2022, 12, 31))
    rand, randint, choice = rng.random, rng.randint, rng.choice

    def postcode():
        return f"{choice(outward)} {randint(1, 9)}{choice(INWARD)}{choice(INWARD)}"

    def placed_at(home):
        """A placement postcode other than the home's (the same is the DfE's 392d unless placed with parents)."""
        while (placed := postcode()) == home:
            pass
        return placed

    buffer = 1 << 20
    with open(os.path.join(folder, "header.csv"), "w", encoding="ascii", newline="", buffering=buffer) as h, \
         open(os.path.join(folder, "episodes.csv"), "w", encoding="ascii", newline="", buffering=buffer) as e:
        h.write("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n")
        e.write("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n")
        written, children = 0, 0
        while written < rows:
            children += 1
            child = str(1_000_000 + children)
            dob = randint(dob_lo, dob_hi)
            s = choice(sex)
            if rand() < 0.9:
                body = f"{la}{children:09d}"   # one UPN per child: a UPN given twice is the DfE's 444
                upn = upn_check(body) + body
            else:
                upn = choice(unknown)
            # MOTHER for every girl (asked of those who cease to be looked after); none a mother.
            mother = "0" if s == "F" else ""
            h.write(f"{child},{s},{d[dob]},{choice(ethnic)},{upn},{mother},\n")

            # One period of care: started in the year or up to two years before it (not before birth),
            # one to four back-to-back placements; the last open at 31 March or ended with a final reason.
            episodes = min(randint(1, 4), rows - written)
            decom = max(dob + 30, randint(start - 730, end - 60))
            status, need = choice(ls), choice(cin)
            home = postcode()
            p = None
            for n in range(episodes):
                last = n == episodes - 1
                dec = decom + randint(30, 240)
                if dec > end:   # cannot end after the year: this episode is the child's last, and open
                    last = True
                closed = dec <= end and (not last or rand() < 0.4)
                p = choice([x for x in place if x != p])
                e.write(",".join((
                    child, d[decom], "S" if n == 0 else "P", status, need, p, choice(placements[p]),
                    d[dec] if closed else "", ("X1" if not last else choice(rec_final)) if closed else "",
                    choice(rpc) if closed and not last else "", home, placed_at(home),   # the reason is on the episode the change ends
                    f"SC{randint(100000, 999999)}" if p in with_urn else "XXXXXXX")) + "\n")   # XXXXXXX: no URN of its own
                written += 1
                if last:
                    break
                decom = dec
    return children, written


# MARK: CIN census XML


def cin_xml(schemas, path, children, la, rng, dates):
    """A CIN census XML of `children` children. Returns the rows it holds per table (as rcc reads it)."""
    # U (not known) is left out: more than a few per cent of children without a sex is the DfE's query 2886Q.
    sex = [c for c in codes(schemas, "cin", "Sex") if c != "U"]
    ethnic = codes(schemas, "ssda903", "ETHNIC")
    disability = [c for c in codes(schemas, "cin", "Disability") if c != "NONE"]
    source = codes(schemas, "cin", "ReferralSource")
    need = codes(schemas, "cin", "PrimaryNeedCode")
    # Reasons that need something else in the return (RC2: a date of death; RC8/RC9: closed after
    # assessment, so no plan or enquiry) and factors the DfE queries (21 alone; 18A, 19A) are left out, so
    # the census is clean and the loading path is what is measured.
    closure = [c for c in codes(schemas, "cin", "ReasonForClosure") if c not in ("RC2", "RC8", "RC9")]
    factors = [c for c in codes(schemas, "cin", "AssessmentFactors") if c not in ("21", "18A", "19A")]
    abuse = codes(schemas, "cin", "CategoryOfAbuse")
    unknown = [c for c in codes(schemas, "cin", "UPNunknown") if c not in ("UN1", "UN7")]   # both queried

    iso = dates.iso
    start, end = Dates.day(YEAR_START), Dates.day(YEAR_END)
    dob_lo, dob_hi = Dates.day(datetime.date(2007, 4, 1)), Dates.day(datetime.date(2024, 12, 31))
    rand, randint, choice, sample = rng.random, rng.randint, rng.choice, rng.sample

    def weekday(day):
        """The day, or the Monday after it when it falls on a weekend (day 0, 1 January 2000, a Saturday)."""
        return day + {0: 2, 1: 1}.get(day % 7, 0)
    counts = dict.fromkeys(["child", "disability", "referral", "assessment", "assessment_factor", "plan",
                            "section47", "protection_plan", "cpp_review"], 0)

    with open(path, "w", encoding="utf-8", newline="", buffering=1 << 20) as f:
        w = f.write
        w('<?xml version="1.0" encoding="utf-8"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n'
          f'      <Collection>CIN</Collection>\n      <Year>{YEAR}</Year>\n'
          f'      <ReferenceDate>{YEAR_END.isoformat()}</ReferenceDate>\n    </CollectionDetails>\n'
          f'    <Source>\n      <SourceLevel>L</SourceLevel>\n      <LEA>{la}</LEA>\n'
          '      <SoftwareCode>rcc-bench</SoftwareCode>\n      <Release>1.0</Release>\n'
          '      <SerialNo>001</SerialNo>\n      <DateTime>2025-05-01T10:00:00</DateTime>\n    </Source>\n'
          '  </Header>\n  <Children>\n')
        for i in range(children):
            counts["child"] += 1
            dob = randint(dob_lo, dob_hi)
            if rand() < 0.9:
                body = f"{la}{i:09d}"   # one UPN per child: a UPN given twice is the DfE's 1520
                upn = f"<UPN>{upn_check(body)}{body}</UPN>"
            else:
                upn = f"<UPNunknown>{choice(unknown)}</UPNunknown>"
            parts = [f"    <Child>\n      <ChildIdentifiers>\n        <LAchildID>{2_000_000 + i}</LAchildID>\n"
                     f"        {upn}\n        <PersonBirthDate>{iso[dob]}</PersonBirthDate>\n"
                     f"        <Sex>{choice(sex)}</Sex>\n      </ChildIdentifiers>\n"
                     f"      <ChildCharacteristics>\n        <Ethnicity>{choice(ethnic)}</Ethnicity>\n"]
            disabilities = sample(disability, randint(0, 2)) if rand() < 0.2 else []
            if disabilities:
                counts["disability"] += len(disabilities)
                parts.append("        <Disabilities>\n" + "".join(
                    f"          <Disability>{x}</Disability>\n" for x in disabilities) + "        </Disabilities>\n")
            parts.append("      </ChildCharacteristics>\n")

            referral = max(dob, randint(start, end - 120))
            for _ in range(1 if rand() < 0.8 else 2):
                counts["referral"] += 1
                closed = rand() < 0.6
                close = min(referral + randint(120, 240), end)   # after its assessments and plan began
                nfa = rand() < 0.1
                parts.append(f"      <CINdetails>\n        <CINreferralDate>{iso[referral]}</CINreferralDate>\n"
                             f"        <ReferralSource>{choice(source)}</ReferralSource>\n"
                             f"        <PrimaryNeedCode>{choice(need)}</PrimaryNeedCode>\n")
                if closed:
                    parts.append(f"        <CINclosureDate>{iso[close]}</CINclosureDate>\n"
                                 f"        <ReasonForClosure>{choice(closure)}</ReasonForClosure>\n")
                s47 = not nfa and rand() < 0.3
                cpp = s47 and rand() < 0.5
                icpc = weekday(referral + randint(10, 15))   # conferences fall on working days
                parts.append(f"        <ReferralNFA>{'1' if nfa else '0'}</ReferralNFA>\n")
                if not nfa:
                    for a in range(randint(1, 2)):
                        counts["assessment"] += 1
                        a_start = referral + 1 + 40 * a
                        found = sample(factors, randint(1, 3))
                        counts["assessment_factor"] += len(found)
                        parts.append(
                            f"        <Assessments>\n"
                            f"          <AssessmentActualStartDate>{iso[a_start]}</AssessmentActualStartDate>\n"
                            f"          <AssessmentAuthorisationDate>{iso[a_start + randint(5, 35)]}</AssessmentAuthorisationDate>\n"
                            f"          <FactorsIdentifiedAtAssessment>\n" + "".join(
                                f"            <AssessmentFactors>{x}</AssessmentFactors>\n" for x in found) +
                            f"          </FactorsIdentifiedAtAssessment>\n        </Assessments>\n")
                    if not cpp and rand() < 0.5:   # a CIN plan never alongside a protection plan
                        counts["plan"] += 1
                        p_start = referral + randint(20, 40)
                        parts.append(f"        <CINPlanDates>\n          <CINPlanStartDate>{iso[p_start]}</CINPlanStartDate>\n"
                                     + (f"          <CINPlanEndDate>{iso[max(close, p_start)]}</CINPlanEndDate>\n" if closed else "")
                                     + "        </CINPlanDates>\n")
                if s47:
                    counts["section47"] += 1
                    parts.append(f"        <Section47>\n          <S47ActualStartDate>{iso[referral + 2]}</S47ActualStartDate>\n"
                                 f"          <InitialCPCtarget>{iso[weekday(referral + 17)]}</InitialCPCtarget>\n"
                                 + (f"          <DateOfInitialCPC>{iso[icpc]}</DateOfInitialCPC>\n" if cpp else "")
                                 + f"          <ICPCnotRequired>{'0' if cpp else '1'}</ICPCnotRequired>\n        </Section47>\n")
                if cpp:
                    counts["protection_plan"] += 1
                    # reviews while the plan is open: one after it ended could fall in a later referral's CIN plan (4003)
                    reviews = [r for r in (icpc + 90, icpc + 180)[:randint(0, 2)] if r <= end and (not closed or r < close)]
                    counts["cpp_review"] += len(reviews)
                    category = choice(abuse)
                    parts.append(f"        <ChildProtectionPlans>\n          <CPPstartDate>{iso[icpc]}</CPPstartDate>\n"
                                 + (f"          <CPPendDate>{iso[max(close, icpc)]}</CPPendDate>\n" if closed else "")
                                 + f"          <InitialCategoryOfAbuse>{category}</InitialCategoryOfAbuse>\n"
                                 f"          <LatestCategoryOfAbuse>{category if rand() < 0.8 else choice(abuse)}</LatestCategoryOfAbuse>\n"
                                 f"          <NumberOfPreviousCPP>{randint(0, 2)}</NumberOfPreviousCPP>\n"
                                 + ("          <Reviews>\n" + "".join(f"            <CPPreviewDate>{iso[r]}</CPPreviewDate>\n" for r in reviews)
                                    + "          </Reviews>\n" if reviews else "")
                                 + "        </ChildProtectionPlans>\n")
                parts.append("      </CINdetails>\n")
                referral = close + randint(10, 60)   # a second referral only after the first closed
                if not closed or referral > end - 120:
                    break
            parts.append("    </Child>\n")
            w("".join(parts))
        w("  </Children>\n</Message>\n")
    return counts


# MARK: Main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000, help="rows of the Episodes table (default 2,000,000)")
    parser.add_argument("--cin-children", type=int, default=None, help="children in the CIN XML (default rows / 10)")
    parser.add_argument("--out", default="out/bench/data", help="cache folder (default out/bench/data)")
    parser.add_argument("--schemas", default="schemas", help="the schemas folder, for the code lists")
    parser.add_argument("--la", default="352", help="the LA code written into UPNs and the XML header")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    children = args.cin_children if args.cin_children is not None else max(1, args.rows // 10)
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))

    folder = os.path.join(args.out, f"{args.rows}-rows-{children}-children-v{VERSION}")
    meta_path = os.path.join(folder, "meta.json")
    if os.path.exists(meta_path):
        say(f"Reusing the synthetic data in {folder}")
        print(folder)
        return
    partial = folder + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)

    began = time.monotonic()
    dates = Dates()
    say(f"Generating {args.rows:,} Episodes rows with their Header into {folder} ...")
    header_rows, episode_rows = ssda903(args.schemas, partial, args.rows, args.la, random.Random(SEED), dates)
    say(f"  {header_rows:,} children, {episode_rows:,} episodes ({time.monotonic() - began:.1f} s); gzip and zip ...")
    for name in ("header.csv", "episodes.csv"):
        with open(os.path.join(partial, name), "rb") as src, \
             gzip.GzipFile(os.path.join(partial, name + ".gz"), "wb", compresslevel=6, mtime=0) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    with zipfile.ZipFile(os.path.join(partial, "ssda903.zip"), "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name in ("header.csv", "episodes.csv"):
            z.write(os.path.join(partial, name), name)
    say(f"  CIN census XML of {children:,} children ...")
    cin = cin_xml(args.schemas, os.path.join(partial, "cin.xml"), children, args.la, random.Random(SEED + 1), dates)

    def size(name):
        return os.path.getsize(os.path.join(partial, name))
    meta = {
        "generator": "tools/bench/generate.py", "version": VERSION, "seed": SEED, "la": args.la, "collection_year": YEAR,
        "rows": args.rows, "cin_children": children,
        "files": {
            "header.csv": {"rows": header_rows, "bytes": size("header.csv")},
            "episodes.csv": {"rows": episode_rows, "bytes": size("episodes.csv")},
            "header.csv.gz": {"rows": header_rows, "bytes": size("header.csv.gz")},
            "episodes.csv.gz": {"rows": episode_rows, "bytes": size("episodes.csv.gz")},
            "ssda903.zip": {"rows": header_rows + episode_rows, "bytes": size("ssda903.zip"),
                            "contains": ["header.csv", "episodes.csv"]},
            "cin.xml": {"rows": sum(cin.values()), "bytes": size("cin.xml"), "children": children,
                        "rows_by_table": {f"cin.{k}": v for k, v in cin.items()}},
        },
        "seconds": round(time.monotonic() - began, 1),
    }
    with open(os.path.join(partial, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    shutil.rmtree(folder, ignore_errors=True)   # a folder without meta.json is an interrupted run's
    os.replace(partial, folder)
    say(f"  done in {meta['seconds']} s")
    print(folder)


if __name__ == "__main__":
    main()
