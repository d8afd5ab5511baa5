#!/usr/bin/env python3
"""The table `make bench` prints, and out/bench.json: `report.py RESULTS.tsv META.json OUT.json [POSTGRES_URL]`.

RESULTS.tsv is written by tools/bench/run.sh, one line per measurement. Units: seconds of wall time; MB is
10^6 bytes (MB/s of the files as given to the command: compressed for gz and zip); peak MB is the peak
resident set (/usr/bin/time %M, KiB) times 1024 / 10^6.
"""
import csv, datetime, json, os, platform, subprocess, sys


# The issue's targets: (name, rcc measurement, reference measurement, limit as a multiple of the reference's time).
RATIO_TARGETS = [
    ("rcc ingest of the Episodes CSV into SQLite within 2x sqlite3 .import", "rcc-csv-sqlite", "ref-csv-sqlite3", 2.0),
    ("rcc ingest of the Episodes CSV into PostgreSQL within 2x psql \\copy", "rcc-csv-postgres", "ref-csv-psql", 2.0),
    ("rcc ingest of the CIN XML into SQLite within 3x xmllint --stream", "rcc-xml-sqlite", "ref-xml-xmllint", 3.0),
    ("rcc ingest of the CIN XML into PostgreSQL within 3x xmllint --stream", "rcc-xml-postgres", "ref-xml-xmllint", 3.0),
]
PEAK_LIMIT_MB = 200.0


def floor_of(rcc_id):
    """The floor under an rcc measurement: the warehouse it wrote, written by sqlite3 or psql alone from its rows
    (tools/bench/run.sh). The gz and zip cases load the same rows as the CSV, so they share its floor."""
    parts = rcc_id.split("-")   # rcc-CASE-ENGINE
    if len(parts) != 3 or parts[0] != "rcc":
        return None
    return f"floor-{'xml' if parts[1] == 'xml' else 'csv'}-{parts[2]}"


def run(*args):
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=30)
        return (done.stdout or done.stderr).strip()
    except Exception:
        return None


def machine(pg_url):
    info = {"cpus": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version(),
            "load_average_at_start": os.environ.get("BENCH_LOAD_START"),
            "load_average_at_end": " ".join(f"{x:.2f}" for x in os.getloadavg())}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), None)
        with open("/proc/meminfo") as f:
            info["memory_gb"] = round(int(next(l for l in f if l.startswith("MemTotal")).split()[1]) * 1024 / 1e9, 1)
    except Exception:
        pass
    info["sqlite3"] = (run("sqlite3", "--version") or "").split(" ")[0] or None
    info["xmllint"] = (run("xmllint", "--version") or "").split("\n")[0] or None
    info["swift"] = (run("swift", "--version") or "").split("\n")[0] or None
    if pg_url:
        info["postgresql"] = run("psql", pg_url, "-qAtX", "-c", "SHOW server_version")
        info["postgresql_server"] = "throwaway, default settings" if os.environ.get("BENCH_PG_OWN") == "1" else "RCC_BENCH_POSTGRES_URL"
    info["rcc_commit"] = os.environ.get("BENCH_COMMIT")   # the tree as built, before the measurements
    info["rcc_binary"] = os.environ.get("BENCH_RCC")
    return info


def main():
    results_path, meta_path, json_path = sys.argv[1:4]
    pg_url = sys.argv[4] if len(sys.argv) > 4 else None
    with open(meta_path) as f:
        meta = json.load(f)
    with open(results_path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))

    results, by_id = [], {}
    for r in rows:
        seconds = float(r["seconds"])
        n, size, kib = int(r["rows"]), int(r["bytes"]), int(r["peak_kib"] or 0)
        ok = r["status"] in ("ok", "ok?")
        item = {
            "id": r["id"], "case": r["case"], "kind": {"ref": "reference", "stage": "stage"}.get(r["kind"], "rcc"),
            "command": r["what"], "status": r["status"], "note": r["note"] or None,
            "rows": n, "bytes": size,
            "seconds": round(seconds, 3) if ok else None,
            "cpu_seconds": float(r["cpu_seconds"] or 0) if ok else None,
            "rows_per_second": round(n / seconds) if ok and seconds > 0 else None,
            "mb_per_second": round(size / 1e6 / seconds, 1) if ok and seconds > 0 else None,
            "peak_rss_mb": round(kib * 1024 / 1e6, 1) if ok else None,
            "reference": r["reference"] or None, "ratio": None,
            "floor": None, "ratio_to_floor": None,
        }
        results.append(item)
        by_id[item["id"]] = item
    for item in results:
        ref = by_id.get(item["reference"] or "")
        if ref and item["seconds"] and ref["seconds"]:
            item["ratio"] = round(item["seconds"] / ref["seconds"], 2)
        floor = by_id.get(floor_of(item["id"]) or "") if item["kind"] == "rcc" else None
        if floor:
            item["floor"] = floor["id"]
            if item["seconds"] and floor["seconds"]:
                item["ratio_to_floor"] = round(item["seconds"] / floor["seconds"], 2)

    targets = []
    for name, rcc_id, ref_id, limit in RATIO_TARGETS:
        a, b = by_id.get(rcc_id), by_id.get(ref_id)
        if a is None or b is None:
            targets.append({"target": name, "limit": limit, "ratio": None, "status": "not measured"})
        elif a["ratio"] is None:
            targets.append({"target": name, "limit": limit, "ratio": None, "status": a["status"]})
        else:
            target = {"target": name, "limit": limit, "ratio": a["ratio"],
                      "status": "met" if a["ratio"] <= limit else "missed"}
            # How much of the limit the warehouse's own writing takes, with no rcc in it.
            floor = by_id.get(a["floor"] or "")
            if floor and floor["seconds"] and b["seconds"]:
                target["floor"] = floor["id"]
                target["floor_ratio"] = round(floor["seconds"] / b["seconds"], 2)
                target["ratio_to_floor"] = a["ratio_to_floor"]
            targets.append(target)
    measured = [x for x in results if x["kind"] in ("rcc", "stage") and x["peak_rss_mb"] is not None]
    worst = max(measured, key=lambda x: x["peak_rss_mb"], default=None)
    targets.append({"target": f"rcc peak resident memory under {PEAK_LIMIT_MB:.0f} MB", "limit": PEAK_LIMIT_MB,
                    "peak_rss_mb": worst and worst["peak_rss_mb"], "worst": worst and worst["id"],
                    "status": "not measured" if worst is None else ("met" if worst["peak_rss_mb"] < PEAK_LIMIT_MB else "missed")})

    # The stages of each case, summed, beside the one `rcc ingest` of the same files into SQLite.
    per_stage = []
    for case, ingest_id in (("csv-stages", "rcc-csv-sqlite"), ("xml-stages", "rcc-xml-sqlite")):
        stages = [x for x in results if x["case"] == case]
        if not stages:
            continue
        ingest = by_id.get(ingest_id)
        total = sum(x["seconds"] for x in stages) if all(x["seconds"] is not None for x in stages) else None
        per_stage.append({"case": case, "stages": {x["command"].split(" ")[1]: x["seconds"] for x in stages},
                          "sum_seconds": total and round(total, 3),
                          "ingest_seconds": ingest and ingest["seconds"],
                          "ratio_to_ingest": round(total / ingest["seconds"], 2) if total and ingest and ingest["seconds"] else None})

    report = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "rows": meta["rows"], "cin_children": meta["cin_children"],
        "units": {"seconds": "wall time", "cpu_seconds": "user + system CPU time of the command and its children", "mb": "10^6 bytes of the files as given to the command (compressed for gz and zip)",
                  "peak_rss_mb": "peak resident set of the command and its children (/usr/bin/time %M) in 10^6 bytes",
                  "ratio": "seconds / the reference's seconds, same files, same run",
                  "ratio_to_floor": "seconds / the seconds sqlite3 or psql alone take to write the same warehouse from the rows rcc loaded (its floor), same run"},
        "notes": ["files are read once before timing, so every measurement starts from the page cache",
                  "PostgreSQL figures are the client's memory; the server's work counts in the time only",
                  "each measurement runs once, into a new SQLite file or a new PostgreSQL database"],
        "machine": machine(pg_url), "data": meta, "results": results, "targets": targets,
        "per_stage": per_stage,
    }
    os.makedirs(os.path.dirname(os.path.abspath(json_path)), exist_ok=True)
    with open(json_path, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")

    # The table.
    def num(x, fmt):
        return "-" if x is None else format(x, fmt)
    files = meta["files"]
    print()
    print(f"rcc benchmark: {files['header.csv']['rows']:,} Header + {files['episodes.csv']['rows']:,} Episodes rows "
          f"({(files['header.csv']['bytes'] + files['episodes.csv']['bytes']) / 1e6:.0f} MB of CSV); CIN XML of "
          f"{meta['cin_children']:,} children ({files['cin.xml']['rows']:,} rows, {files['cin.xml']['bytes'] / 1e6:.0f} MB); "
          f"{report['machine'].get('cpus')} CPUs")
    header = f"{'case':<10} {'command':<38} {'status':<11} {'seconds':>8} {'CPU s':>7} {'rows/s':>11} {'MB/s':>7} {'peak MB':>8}  ratio"
    print(header)
    print("-" * (len(header) + 28))
    last_case = None
    for x in results:
        if last_case is not None and x["case"] != last_case:
            print()
        last_case = x["case"]
        ratio = ""
        if x["ratio"] is not None:
            ratio = f"{x['ratio']:.2f}x {by_id[x['reference']]['command']}"
            if x["ratio_to_floor"] is not None:
                ratio += f"; {x['ratio_to_floor']:.2f}x its floor"
        elif x["status"] not in ("ok", "ok?") or (x["kind"] == "reference" and x["note"]):
            ratio = (x["note"] or "")[:70]
        print(f"{x['case']:<10} {x['command']:<38} {x['status']:<11} {num(x['seconds'], '8.2f'):>8} {num(x['cpu_seconds'], '.2f'):>7} "
              f"{num(x['rows_per_second'], ',d'):>11} {num(x['mb_per_second'], '.1f'):>7} {num(x['peak_rss_mb'], '.1f'):>8}  {ratio}")
    for p in per_stage:
        if p["sum_seconds"] is not None:
            print(f"\n{p['case']}: the four stages one at a time take {p['sum_seconds']:.2f} s in all"
                  + (f", {p['ratio_to_ingest']:.2f}x one rcc ingest of the same files ({p['ingest_seconds']:.2f} s)" if p["ratio_to_ingest"] else "")
                  + ": " + ", ".join(f"{k} {v:.2f} s" for k, v in p["stages"].items()))
    print()
    print("Targets (release build, this machine):")
    for t in targets:
        figure = ""
        if t.get("ratio") is not None:
            figure = f"{t['ratio']:.2f}x (limit {t['limit']:.0f}x)"
        elif t.get("peak_rss_mb") is not None:
            figure = f"{t['peak_rss_mb']:.1f} MB, {t['worst']} (limit {t['limit']:.0f} MB)"
        if t.get("floor_ratio") is not None:
            figure += (f"; its floor {t['floor_ratio']:.2f}x ({by_id[t['floor']]['command'].split(' ')[0]} alone writing the same"
                       f" warehouse from rcc's rows), rcc {t['ratio_to_floor']:.2f}x its floor")
        print(f"  {t['status']:<12} {t['target']}" + (f": {figure}" if figure else ""))
    odd = [x for x in results if x["kind"] == "rcc" and x["status"] in ("ok", "ok?")
           and (x["status"] == "ok?" or "quarantined 0" not in (x["note"] or ""))]
    if odd:
        print("\nThe synthetic data did not load cleanly, so these figures are not of the usual path "
              "(if the schemas changed, delete out/bench/data to generate it again):")
        for x in odd:
            print(f"  {x['id']}: {x['note']}")
    print(f"\nLoad average at start {report['machine']['load_average_at_start']}, at end {report['machine']['load_average_at_end']}"
          " (other work on the machine slows every figure).")
    print(f"Figures written to {json_path}")


if __name__ == "__main__":
    main()
