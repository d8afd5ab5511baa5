#!/usr/bin/env python3
"""Writes the synthetic SSDA903 returns in samples/: `python3 tools/generate_samples.py` from the repository root.

Every identifier, date and postcode here is made up from a fixed seed; none is a real child's.
Four LAs: 350 (Bolton) clean, 352 (Manchester) with gzipped Episodes, 357 (Tameside) messy the
ways LA files really are (UTF-8 BOM, CRLF, semicolons, header names in other case, order and
spelling, an extra column of (made-up) names, and a few rows that cannot be loaded faithfully), and
886 (Kent) sending one zip that holds its SSDA903 tables and its CIN census XML, whose header names
the LA and year itself.
"""
import csv, datetime, gzip, io, os, random, zipfile

LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
ETHNIC = ["WBRI"] * 8 + ["WIRI", "WOTH", "MWBC", "MWBA", "MWAS", "AIND", "APKN", "ABAN", "BCRB", "BAFR", "CHNE", "OOTH"]
PLACES = ["U1", "U3", "U4", "U6", "U6", "U6", "K2", "P1", "R1", "K3", "A4", "S1"]
PROVIDER = {"P1": "PR0", "K2": "PR4", "R1": "PR4", "K3": "PR5", "A4": "PR1", "S1": "PR2"}
LS = ["C2", "C2", "C1", "V2", "E1", "L2"]
CIN = ["N1", "N1", "N1", "N2", "N4", "N5", "N8"]
REC = ["E11", "E13", "E4A", "E41", "E45", "E8", "X1"]
OUTWARD = {"350": ["BL1", "BL2", "BL3", "BL4", "BL5"], "352": ["M8", "M9", "M11", "M13", "M14", "M22"],
           "357": ["OL6", "OL7", "SK14", "SK15", "M34"], "886": ["CT1", "ME14", "TN23", "DA1", "CT20"]}
FIRST = ["Alex", "Sam", "Jo", "Charlie", "Rowan", "Kai", "Robin", "Jesse", "Frankie", "Ellis"]


def upn(la, rng):
    body = f"{la}{rng.randint(2000, 2999):04d}{rng.randint(10, 23):02d}{rng.randint(0, 999):03d}"
    total = sum(int(c) * (i + 2) for i, c in enumerate(body))
    return LETTERS[total % 23] + body


def postcode(la, rng):
    return f"{rng.choice(OUTWARD[la])} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def d(date):
    return date.strftime("%d/%m/%Y")


def make_la(la, prefix, children, seed):
    rng = random.Random(seed)
    headers, episodes = [], []
    start, end = datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)
    for n in range(children):
        child = f"{prefix}{100000 + n * 7 + rng.randint(0, 6)}"
        dob = datetime.date(2007, 1, 1) + datetime.timedelta(days=rng.randint(0, 17 * 365))
        sex = rng.choice("MF")
        u = upn(la, rng) if rng.random() > 0.12 else rng.choice(["UN1", "UN2", "UN4"])
        mother = ("1" if rng.random() < 0.05 else "0") if sex == "F" and dob.year < 2010 else ""
        mc_dob = d(dob + datetime.timedelta(days=16 * 365 + rng.randint(0, 400))) if mother == "1" else ""
        headers.append({"CHILD": child, "SEX": sex, "DOB": d(dob), "ETHNIC": rng.choice(ETHNIC), "UPN": u,
                        "MOTHER": mother, "MC_DOB": mc_dob, "_name": rng.choice(FIRST)})
        decom = max(dob, start - datetime.timedelta(days=rng.randint(0, 300)))
        home = postcode(la, rng)
        for e in range(rng.randint(1, 4)):
            place = rng.choice(PLACES)
            length = rng.randint(20, 400)
            dec = decom + datetime.timedelta(days=length)
            last = dec > end or e == 3
            episode = ({"CHILD": child, "DECOM": d(decom), "RNE": "S" if e == 0 else rng.choice("PTLBU"),
                             "LS": rng.choice(LS), "CIN": rng.choice(CIN), "PLACE": place,
                             "PLACE_PROVIDER": PROVIDER.get(place, rng.choice(["PR1", "PR4"])),
                             "DEC": "" if last else d(dec), "REC": "" if last else ("X1" if rng.random() < .7 else rng.choice(REC)),
                             "REASON_PLACE_CHANGE": "" if e == 0 else rng.choice(["CARPL", "CHILD", "CREQB", "OTHER"]),
                             "HOME_POST": home, "PL_POST": postcode(la, rng),
                             "URN": f"SC{rng.randint(100000, 999999)}" if place in ("K2", "K3", "R1") else ""})
            if last or dec >= start:   # a return holds the episodes open at some time in its year
                episodes.append(episode)
            if last:
                break
            decom = dec
    return headers, episodes


H = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
E = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
     "HOME_POST", "PL_POST", "URN"]


def write_csv(path, fields, rows, header=None, delimiter=",", newline="\n", bom=False, gz=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    w.writerow(header or fields)
    for row in rows:
        w.writerow([row.get(f, "") for f in fields])
    data = (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")
    if gz:
        with open(path, "wb") as f:
            f.write(gzip.compress(data, mtime=0))
    else:
        with open(path, "wb") as f:
            f.write(data)


def cin_census(la, children, seed):
    """A CIN census document (2025 layout, with Sex) of `children` made-up children."""
    rng = random.Random(seed)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<Message>", "  <Header>",
           "    <CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>",
           f"    <Source><SourceLevel>L</SourceLevel><LEA>{la}</LEA><SoftwareCode>Synthetic</SoftwareCode><Release>1</Release>"
           "<SerialNo>1</SerialNo><DateTime>2025-04-30T09:00:00</DateTime></Source>", "  </Header>", "  <Children>"]
    for n in range(children):
        dob = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randint(0, 16 * 365))
        out += ["    <Child>", "      <ChildIdentifiers>", f"        <LAchildID>K{200000 + n}</LAchildID>",
                f"        <UPN>{upn(la, rng)}</UPN>" if rng.random() > 0.15 else "        <UPNunknown>UN2</UPNunknown>",
                f"        <PersonBirthDate>{dob.isoformat()}</PersonBirthDate>", f"        <Sex>{rng.choice('MF')}</Sex>",
                "      </ChildIdentifiers>", "      <ChildCharacteristics>", f"        <Ethnicity>{rng.choice(ETHNIC)}</Ethnicity>",
                f"        <Disabilities><Disability>{rng.choice(['NONE'] * 5 + ['MOB', 'COMM'])}</Disability></Disabilities>",
                "      </ChildCharacteristics>"]
        referral = datetime.date(2024, 4, 1) + datetime.timedelta(days=rng.randint(0, 300))
        closed = referral + datetime.timedelta(days=rng.randint(20, 200))
        out += ["      <CINdetails>", f"        <CINreferralDate>{referral.isoformat()}</CINreferralDate>",
                f"        <ReferralSource>{rng.choice(['1A', '1B', '2A', '2B'])}</ReferralSource>",
                f"        <PrimaryNeedCode>{rng.choice(['N1', 'N2', 'N4', 'N5'])}</PrimaryNeedCode>"]
        if closed <= datetime.date(2025, 3, 31):
            out += [f"        <CINclosureDate>{closed.isoformat()}</CINclosureDate>", "        <ReasonForClosure>RC8</ReasonForClosure>"]
        out += ["        <ReferralNFA>false</ReferralNFA>", "        <Assessments>",
                f"          <AssessmentActualStartDate>{(referral + datetime.timedelta(days=2)).isoformat()}</AssessmentActualStartDate>",
                f"          <AssessmentAuthorisationDate>{(referral + datetime.timedelta(days=30)).isoformat()}</AssessmentAuthorisationDate>",
                f"          <FactorsIdentifiedAtAssessment><AssessmentFactors>{rng.choice(['1A', '2B'])}</AssessmentFactors></FactorsIdentifiedAtAssessment>",
                "        </Assessments>", "      </CINdetails>", "    </Child>"]
    out += ["  </Children>", "</Message>", ""]
    return "\n".join(out).encode("utf-8")


def csv_bytes(fields, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(fields)
    for row in rows:
        w.writerow([row.get(f, "") for f in fields])
    return out.getvalue().encode("utf-8")


def main():
    h, e = make_la("350", "B", 40, 350)
    write_csv("samples/350/2025/header.csv", H, h)
    write_csv("samples/350/2025/episodes.csv", E, e)

    h, e = make_la("352", "M", 60, 352)
    write_csv("samples/352/ssda903_2024-25/Header.csv", H, h)
    write_csv("samples/352/ssda903_2024-25/Episodes.csv.gz", E, e, gz=True)

    h, e = make_la("357", "", 30, 357)
    # Rows that cannot be loaded faithfully, each for one reason the summary names.
    h[3]["UPN"] = h[3]["UPN"][0] + h[3]["UPN"][1:12] + str((int(h[3]["UPN"][12]) + 1) % 10)   # check letter now wrong
    h[5]["DOB"] = "31/02/2012"                                                             # no such date
    h[7]["SEX"] = "X"                                                                      # not a code
    e[2]["DEC"], e[2]["DECOM"] = e[2]["DECOM"], e[2]["DEC"] or "01/03/2025"                # ends before it starts
    if not e[2]["DEC"]:
        e[2]["DEC"] = "01/01/2024"
    e[4]["PLACE"] = "ZZ"                                                                   # not a placement type
    e[6]["DECOM"] = ""                                                                     # mandatory field missing
    e.append(dict(e[8], CHILD="999999"))                                                   # child not in Header
    e[10]["HOME_POST"] = "OL6 XYZ"                                                         # not a postcode: loads, with a finding
    e[12]["REC"], e[12]["DEC"] = "E8", ""                                                  # REC without DEC: a finding
    for row in h:
        row["SEX"] = row["SEX"].lower() if row is h[1] else row["SEX"]                     # lower-case codes are repaired
    header_names = ["Child ID", " sex ", "Date of birth", "ethnic", "upn", "Mother", "MC DOB", "Forename"]
    write_csv("samples/357/903 return 2425/CLA header export.csv", H + ["_name"], h, header=header_names,
              newline="\r\n", bom=True)
    episode_names = ["child_id", "decom", "rne", "ls", "cin", "place", "Place Provider", "dec", "rec",
                     "reason_place_change", "Home Postcode", "Placement Postcode", "urn"]
    write_csv("samples/357/903 return 2425/CLA episodes export.csv", E, e, header=episode_names,
              delimiter=";", newline="\r\n", bom=True)
    # A short row: a line cut off when the file was edited by hand.
    path = "samples/357/903 return 2425/CLA episodes export.csv"
    with open(path, "ab") as f:
        f.write(";".join([h[0]["CHILD"], "05/05/2024", "P", "C2"]).encode() + b"\r\n\r\n")


def kent():
    h, e = make_la("886", "K", 25, 886)
    os.makedirs("samples/886", exist_ok=True)
    with zipfile.ZipFile("samples/886/kent_returns_2024-25.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("903/episodes.csv", csv_bytes(E, e)), ("903/header.csv", csv_bytes(H, h)),
                           ("cin/cin_census.xml", cin_census("886", 20, 887))]:
            info = zipfile.ZipInfo(name, date_time=(2025, 4, 30, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


if __name__ == "__main__":
    main()
    kent()
