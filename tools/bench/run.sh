#!/usr/bin/env bash
# `make bench`: time the whole `rcc ingest` (release build) on synthetic returns at scale, into SQLite and
# into PostgreSQL, and the four stages one at a time (into SQLite), beside reference work on the same files in the same run (cat, gzip -dc, unzip -p,
# xmllint --stream, sqlite3 .import, psql \copy) and the floors under rcc's times (the warehouse rcc wrote,
# written again by sqlite3 or psql alone from its rows). Prints a table and writes out/bench.json.
#
# Variables (environment or make): ROWS (Episodes rows, default 2000000), CIN_CHILDREN (children in the CIN
# XML, default ROWS/10), OUT (default out), SCHEMAS (default schemas), RCC_BENCH_POSTGRES_URL (an existing
# server, postgres://user@host:port/db; else a throwaway server is started on loopback and stopped at the
# end), RCC_BENCH_PG_PORT (its port, default 54339), BENCH_POSTGRES=0 (skip PostgreSQL), PERF=1 (also
# `perf record` the SQLite ingest of the CSV: out/bench/perf.txt), REF_RUNS (runs of each reference tool and
# floor, the median kept, default 3).
#
# A benchmark, not a test: it fails only when something could not be run, never on a slow figure.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROWS=${ROWS:-2000000}
[[ "$ROWS" =~ ^[1-9][0-9]*$ ]] || { echo "bench: ROWS must be a positive whole number (got '$ROWS')" >&2; exit 64; }
CIN_CHILDREN=${CIN_CHILDREN:-$(( ROWS / 10 > 0 ? ROWS / 10 : 1 ))}
[[ "$CIN_CHILDREN" =~ ^[1-9][0-9]*$ ]] || { echo "bench: CIN_CHILDREN must be a positive whole number" >&2; exit 64; }
OUT=${OUT:-out}
SCHEMAS=${SCHEMAS:-schemas}
PERF=${PERF:-0}
REF_RUNS=${REF_RUNS:-3}
[[ "$REF_RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "bench: REF_RUNS must be a positive whole number" >&2; exit 64; }
BENCH_POSTGRES=${BENCH_POSTGRES:-1}
LA=352
YEAR=2025

[ -d "$SCHEMAS/inputs" ] || { echo "bench: no schemas folder at $SCHEMAS (set SCHEMAS=DIR)" >&2; exit 64; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SCHEMAS=$(cd "$SCHEMAS" && pwd)
bench=$OUT/bench
work=$bench/work               # this run's warehouses, logs and summaries (emptied at the start)
results=$work/results.tsv
say() { printf '%s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# MARK: Tools the measurements need, installed with apt-get when missing.

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
missing=()
command -v python3 >/dev/null || missing+=(python3)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
[ -x /usr/bin/time ] || missing+=(time)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v gzip >/dev/null || missing+=(gzip)
command -v unzip >/dev/null || missing+=(unzip)
if [ "$BENCH_POSTGRES" != 0 ]; then
  command -v psql >/dev/null || missing+=(postgresql-client)
  if [ -z "${RCC_BENCH_POSTGRES_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
  fi
fi
if [ "${#missing[@]}" -gt 0 ]; then
  say "Installing ${missing[*]} with apt-get (needed to measure)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}; install them and run again"
fi
if [ "$PERF" = 1 ] && ! command -v perf >/dev/null; then
  say "PERF=1 but perf is not installed (apt-get install linux-perf): the profile is skipped"; PERF=0
fi

# MARK: Release build, data, key.

say "Building rcc (release) ..."
if ! swift build -c release >"$bench.build.log" 2>&1; then   # once more: a source edited mid-build fails it
  swift build -c release >"$bench.build.log" 2>&1 || { tail -n 40 "$bench.build.log" >&2; die "the release build failed (log: $bench.build.log)"; }
fi
rcc="$(swift build -c release --show-bin-path)/rcc"
BENCH_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then BENCH_COMMIT="$BENCH_COMMIT+uncommitted changes"; fi
export BENCH_COMMIT
[ -x "$rcc" ] || die "no rcc at $rcc after the build"
rm -f "$bench.build.log"

rm -rf "$work"
mkdir -p "$work" "$bench/data"
data=$(python3 tools/bench/generate.py --rows "$ROWS" --cin-children "$CIN_CHILDREN" --out "$bench/data" --schemas "$SCHEMAS") \
  || die "generating the synthetic data failed"
data=$(cd "$data" && pwd)
eval "$(python3 - "$data/meta.json" <<'EOF'
import json, sys
f = json.load(open(sys.argv[1]))["files"]
for var, name in [("H", "header.csv"), ("E", "episodes.csv"), ("HGZ", "header.csv.gz"), ("EGZ", "episodes.csv.gz"),
                  ("ZIP", "ssda903.zip"), ("XML", "cin.xml")]:
    print(f"{var}_ROWS={f[name]['rows']} {var}_BYTES={f[name]['bytes']}")
EOF
)"
CSV_ROWS=$((H_ROWS + E_ROWS)); CSV_BYTES=$((H_BYTES + E_BYTES)); GZ_BYTES=$((HGZ_BYTES + EGZ_BYTES))

key=$bench/bench.key
[ -f "$key" ] || "$rcc" keygen --out "$key" >/dev/null || die "rcc keygen failed"

# MARK: PostgreSQL: the given server, or a throwaway one on loopback.

pg_url=""; pgdir=""; pgbin=""; pg_own=0
run_as_postgres() { if [ -z "$sudo" ]; then su postgres -s /bin/sh -c "$*"; else sudo -u postgres sh -c "$*"; fi; }
cleanup() {
  if [ -n "$pgdir" ]; then
    run_as_postgres "'$pgbin/pg_ctl' -D '$pgdir/data' -m fast stop" >/dev/null 2>&1 || true
    $sudo rm -rf "$pgdir" || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$BENCH_POSTGRES" != 0 ]; then
  if [ -n "${RCC_BENCH_POSTGRES_URL:-}" ]; then
    pg_url=$RCC_BENCH_POSTGRES_URL
    psql "$pg_url" -qAtX -c 'SELECT 1' >/dev/null || die "cannot connect to RCC_BENCH_POSTGRES_URL ($pg_url)"
    say "PostgreSQL: $pg_url (RCC_BENCH_POSTGRES_URL)"
  else
    pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
    port=${RCC_BENCH_PG_PORT:-54339}
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port is in use; set RCC_BENCH_PG_PORT to a free port, or RCC_BENCH_POSTGRES_URL to a server"
    fi
    pgdir=$(mktemp -d /tmp/rcc-bench-pg.XXXXXX)
    chmod 700 "$pgdir"
    chown postgres:postgres "$pgdir" 2>/dev/null || $sudo chown postgres:postgres "$pgdir"
    run_as_postgres "'$pgbin/initdb' -D '$pgdir/data' -U postgres --auth=trust >/dev/null" || die "initdb failed"
    run_as_postgres "'$pgbin/pg_ctl' -D '$pgdir/data' -l '$pgdir/log' -o \"-c listen_addresses=127.0.0.1 -p $port -k $pgdir\" -w start >/dev/null" \
      || { cat "$pgdir/log" >&2 || true; die "the throwaway PostgreSQL server did not start"; }
    pg_url="postgres://postgres@127.0.0.1:$port/postgres"
    pg_own=1
    say "PostgreSQL: throwaway server $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (stopped at the end)"
  fi
fi

# The URL of a fresh, empty database for one measurement (a return loaded twice into one database would
# be timed replacing its earlier version). When the server refuses CREATE DATABASE, the given database.
pg_fresh() {
  local name="rcc_bench_${1//-/_}" url
  url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$pg_url" "$name")
  if psql "$pg_url" -qAtX -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $name" \
       -c "CREATE DATABASE $name" >/dev/null 2>"$work/pg-create.log"; then
    echo "$url"
  else
    if [ ! -f "$work/pg-shared" ]; then   # (a file: this runs in a command substitution's subshell)
      say "Cannot create a database on $pg_url ($(head -n 1 "$work/pg-create.log")): every PostgreSQL measurement uses that database itself, and rcc's times include replacing the return loaded before"
      touch "$work/pg-shared"
    fi
    echo "$pg_url"
  fi
}
pg_drop() { [ "$1" = "$pg_url" ] || psql "$pg_url" -qAtX -c "DROP DATABASE IF EXISTS rcc_bench_${2//-/_}" >/dev/null 2>&1 || true; }

# MARK: Measuring.

printf 'id\tcase\tkind\twhat\treference\tstatus\tseconds\tcpu_seconds\tpeak_kib\trows\tbytes\tnote\n' >"$results"

# measure ID CASE KIND WHAT REFERENCE-ID ROWS BYTES -- COMMAND…: wall time (bash's microsecond clock), CPU time
# (user + system) and peak resident memory (/usr/bin/time %U %S %M: %M is the largest of the command and the
# processes it waited for).
measure() {
  local id=$1 case=$2 kind=$3 what=$4 ref=$5 rows=$6 bytes=$7; shift 8
  local log=$work/$id.log timing=$work/$id.time status=0 began ended seconds kib cpu note="" state=ok
  say "  $case: $what ..."
  began=$EPOCHREALTIME
  /usr/bin/time -f '%e %M %U %S' -o "$timing" "$@" >"$log" 2>&1 || status=$?
  ended=$EPOCHREALTIME
  seconds=$(python3 -c "print(f'{$ended - $began:.3f}')")
  kib=$(tail -n 1 "$timing" 2>/dev/null | awk '{print $2}' || true)
  cpu=$(tail -n 1 "$timing" 2>/dev/null | awk '{printf "%.2f", $3 + $4}' || true)
  if [ "$kind" = rcc ]; then
    local summary=$work/$id.summary.json
    read -r state note < <(python3 - "$summary" "$status" "$rows" <<'EOF'
import json, sys
path, status, expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
try:
    s = json.load(open(path))
except Exception:
    s = None
if s is None:
    print("failed", f"exit status {status}, no summary"); sys.exit()
refused = [x["rejected"] for x in s["sources"] if x.get("rejected")]
if status == 3 and refused and all("not read yet" in r for r in refused):
    print("unsupported", "rcc: " + refused[0].split(";")[0]); sys.exit()
read = sum(r["rowsRead"] for r in s["returns"]); loaded = sum(r["rowsLoaded"] for r in s["returns"])
quarantined = sum(r["rowsQuarantined"] for r in s["returns"])
if status not in (0, 2) or refused:
    print("failed", f"exit status {status}" + (f": {refused[0]}" if refused else "")); sys.exit()
note = f"read {read}, loaded {loaded}, quarantined {quarantined}"
print("ok" if read == expected else "ok?", note + ("" if read == expected else f" (expected {expected} rows)"))
EOF
)
  elif [ "$kind" = stage ] && [ "$status" -eq 2 ]; then
    :   # a stage's status 2: rows quarantined, the rest went on
  elif [ "$status" -ne 0 ]; then
    state=failed; note="exit status $status: $(tail -n 2 "$log" | tr '\t\n' '  ' | cut -c1-160)"
  fi
  if [ "$state" = failed ]; then say "    failed ($note); log: $log"; fi
  if [ "$state" = unsupported ]; then say "    unsupported: $note"; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$case" "$kind" "$what" "$ref" "$state" "$seconds" \
    "${cpu:-0}" "${kib:-0}" "$rows" "$bytes" "$note" >>"${MEASURE_OUT:-$results}"
}

# repeated FUNCTION ARGS…: runs a reference measurement (measure, sqlite_import or psql_copy, each with its
# own set-up) REF_RUNS times and keeps the run of median wall time, noting every run's time. The references
# take seconds, and one run of `psql \copy` was seen to take 1.7 to 2.7 s on one day: a ratio to a single
# run said more about the reference than about rcc.
repeated() {
  local runs=$work/repeated.tsv
  : >"$runs"
  for ((run = 1; run <= REF_RUNS; run++)); do MEASURE_OUT=$runs "$@"; done
  python3 - "$runs" >>"$results" <<'EOF'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
if not rows:
    sys.exit()
ok = sorted((r for r in rows if r[5] == "ok"), key=lambda r: float(r[6]))
if len(ok) < len(rows):
    print("\t".join(next(r for r in rows if r[5] != "ok")))   # a failed run: reported as failed
    sys.exit()
median = ok[(len(ok) - 1) // 2]
if len(rows) > 1:
    times = ", ".join(f"{float(r[6]):.2f}" for r in rows)
    median[11] = (median[11] + "; " if median[11] else "") + f"median of {len(rows)} runs: {times} s"
print("\t".join(median))
EOF
}

# Whether measurement ID ran and loaded what it should (a floor under a failed ingest would mean nothing).
measured_ok() { awk -F '\t' -v id="$1" '$1 == id { state = $6 } END { exit !(state == "ok" || state == "ok?") }' "$results"; }

# rcc ingest into SQLite (a new file) and PostgreSQL (a new database) of INPUT…. With FLOOR set (an id), the
# warehouse rcc wrote is then measured again without rcc (sqlite_floor, pg_floor) before it goes.
rcc_sqlite() {
  local id=$1 case=$2 ref=$3 rows=$4 bytes=$5; shift 5
  rm -f "$work/$id.sqlite"*
  measure "$id" "$case" rcc "rcc ingest → SQLite" "$ref" "$rows" "$bytes" -- \
    "$rcc" ingest --warehouse "$work/$id.sqlite" --key-file "$key" --la "$LA" --year "$YEAR" --schemas "$SCHEMAS" \
      --summary "$work/$id.summary.json" --run-dir "$work/runs/$id" --quiet "$@"
  if [ -n "${FLOOR:-}" ] && measured_ok "$id"; then sqlite_floor "$FLOOR" "$case" "$rows" "$bytes" "$work/$id.sqlite"; fi
  rm -f "$work/$id.sqlite"*
}
rcc_postgres() {
  local id=$1 case=$2 ref=$3 rows=$4 bytes=$5 url; shift 5
  [ -n "$pg_url" ] || return 0
  url=$(pg_fresh "$id")
  measure "$id" "$case" rcc "rcc ingest → PostgreSQL" "$ref" "$rows" "$bytes" -- \
    "$rcc" ingest --warehouse "$url" --key-file "$key" --la "$LA" --year "$YEAR" --schemas "$SCHEMAS" \
      --summary "$work/$id.summary.json" --run-dir "$work/runs/$id" --quiet "$@"
  if [ -n "${FLOOR:-}" ] && measured_ok "$id"; then pg_floor "$FLOOR" "$case" "$rows" "$bytes" "$url"; fi
  pg_drop "$url" "$id"
}

# The floors under rcc's times: the same warehouse written by the database's own tool alone, from the rows rcc
# loaded, with nothing read from the return, checked or pseudonymised. What no ingest that writes this
# warehouse (its tables, their indexes, its journal) can take less than, on this machine: beside it, a ratio
# to .import or \copy (which fill bare tables) says how much of a target is left for the rest of the work.
#
# SQLite: the sqlite3 shell makes every table of rcc's file in a new file with rcc's settings (page size,
# WAL journal, synchronous FULL, 32 MiB cache), copies the rows in with INSERT … SELECT from rcc's file
# (records copied as they are, which SQLite does faster than any insert of values), then builds the indexes,
# as rcc builds those of tables it fills alone, and commits in one transaction.
sqlite_floor() {
  local id=$1 case=$2 rows=$3 bytes=$4 src=$5 script=$work/$1.sql
  [ -s "$src" ] || { say "    (no SQLite floor: rcc left no warehouse)"; return 0; }
  { printf '%s\n' "PRAGMA page_size = 16384;" "PRAGMA journal_mode = WAL;" "PRAGMA synchronous = FULL;" \
      "PRAGMA cache_size = -32768;" "ATTACH '$src' AS src;" "BEGIN IMMEDIATE;"
    sqlite3 -batch -bail "$src" \
      "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid" \
      "SELECT 'INSERT INTO main.\"' || name || '\" SELECT * FROM src.\"' || name || '\";' FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid" \
      "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid"
    echo "COMMIT;"
  } >"$script" || die "could not read the tables of $src for the SQLite floor"
  repeated sqlite_floor_run "$id" "$case" "$rows" "$bytes" "$script"
  rm -f "$script"
}
sqlite_floor_run() {
  local id=$1 case=$2 rows=$3 bytes=$4 script=$5
  rm -f "$work/$id.sqlite"*
  measure "$id" "$case" ref "sqlite3 writing rcc's warehouse" "" "$rows" "$bytes" -- \
    sh -c 'sqlite3 -batch -bail "$1" <"$2" >/dev/null' sh "$work/$id.sqlite" "$script"
  rm -f "$work/$id.sqlite"*
}

# PostgreSQL: in a new database, the schema rcc made (pg_dump --schema-only: tables, indexes, views) is
# restored untimed; then psql copies every table's rows, taken out of rcc's database as CSV, in one
# transaction (\copy), the indexes kept up row by row as the server keeps them up under rcc.
pg_floor() {
  local id=$1 case=$2 rows=$3 bytes=$4 src=$5 dir=$work/$1.copy table copies=()
  if [ "$src" = "$pg_url" ]; then say "    (no PostgreSQL floor: every measurement uses one database)"; return 0; fi
  rm -rf "$dir"; mkdir -p "$dir"
  if ! pg_dump --schema-only --no-owner --no-privileges --dbname="$src" >"$dir/schema.sql" 2>"$dir/pg_dump.log"; then
    say "    (no PostgreSQL floor: pg_dump failed: $(head -n 1 "$dir/pg_dump.log"))"; rm -rf "$dir"; return 0
  fi
  for table in $(psql "$src" -qAtX -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
    psql "$src" -qAtX -v ON_ERROR_STOP=1 -c "\\copy public.\"$table\" TO '$dir/$table.csv' WITH (FORMAT csv)" >/dev/null \
      || die "could not copy $table out of $src for the PostgreSQL floor"
    if [ -s "$dir/$table.csv" ]; then copies+=(-c "\\copy public.\"$table\" FROM '$dir/$table.csv' WITH (FORMAT csv)"); fi
  done
  repeated pg_floor_run "$id" "$case" "$rows" "$bytes" "$dir/schema.sql" "${copies[@]}"
  rm -rf "$dir"
}
pg_floor_run() {
  local id=$1 case=$2 rows=$3 bytes=$4 schema=$5 url; shift 5
  url=$(pg_fresh "$id")
  psql "$url" -qX -v ON_ERROR_STOP=1 -f "$schema" >/dev/null 2>"$work/$id.schema.log" \
    || die "could not restore rcc's schema for the PostgreSQL floor (log: $work/$id.schema.log)"
  measure "$id" "$case" ref "psql \\copy of rcc's warehouse rows" "" "$rows" "$bytes" -- \
    psql "$url" -qAtX -v ON_ERROR_STOP=1 --single-transaction "$@"
  pg_drop "$url" "$id"
}

# The four stages one at a time (make extract, validate, transform, load) over a work folder, loading into
# SQLite: what each costs, and what handing over through files costs beside one `rcc ingest`.
rcc_stages() {
  local id=$1 case=$2 rows=$3 bytes=$4 stage_work=$work/$1.work; shift 4
  rm -rf "$stage_work" "$work/$id.sqlite"*
  measure "$id-extract" "$case" stage "rcc extract (stage 1)" "" "$rows" "$bytes" -- \
    "$rcc" extract --work "$stage_work" --la "$LA" --year "$YEAR" --schemas "$SCHEMAS" --quiet "$@"
  measure "$id-validate" "$case" stage "rcc validate (stage 2)" "" "$rows" "$bytes" -- \
    "$rcc" validate --work "$stage_work" --schemas "$SCHEMAS" --quiet
  measure "$id-transform" "$case" stage "rcc transform (stage 3)" "" "$rows" "$bytes" -- \
    "$rcc" transform --work "$stage_work" --key-file "$key" --schemas "$SCHEMAS" --quiet
  measure "$id-load" "$case" stage "rcc load (stage 4) → SQLite" "" "$rows" "$bytes" -- \
    "$rcc" load --work "$stage_work" --warehouse "$work/$id.sqlite" --schemas "$SCHEMAS" --quiet
  rm -rf "$stage_work" "$work/$id.sqlite"*
}

# The sqlite3 shell's .import of the Header and Episodes (it creates each table from the CSV's first line
# and imports in one transaction). SOURCE_H and SOURCE_E are file names, or '|command' to read a pipe.
sqlite_import() {
  local id=$1 case=$2 what=$3 rows=$4 bytes=$5 h=$6 e=$7
  rm -f "$work/$id.sqlite"
  measure "$id" "$case" ref "$what" "" "$rows" "$bytes" -- \
    sqlite3 -batch -bail "$work/$id.sqlite" ".import --csv '$h' header" ".import --csv '$e' episodes"
  rm -f "$work/$id.sqlite"
}

# psql's \copy of the Header and Episodes into text tables made beforehand, in one transaction.
# FROM_H and FROM_E are "'file'" or "PROGRAM 'command'".
psql_copy() {
  local id=$1 case=$2 what=$3 rows=$4 bytes=$5 from_h=$6 from_e=$7 url
  [ -n "$pg_url" ] || return 0
  url=$(pg_fresh "$id")
  psql "$url" -qAtX -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
    -c "DROP TABLE IF EXISTS bench_header, bench_episodes" \
    -c "CREATE TABLE bench_header ($(head -n 1 "$data/header.csv" | sed 's/,/ text, /g') text)" \
    -c "CREATE TABLE bench_episodes ($(head -n 1 "$data/episodes.csv" | sed 's/,/ text, /g') text)" >/dev/null \
    || die "could not create the tables for psql \\copy in $url"
  measure "$id" "$case" ref "$what" "" "$rows" "$bytes" -- \
    psql "$url" -qAtX -v ON_ERROR_STOP=1 --single-transaction \
      -c "\\copy bench_header FROM $from_h WITH (FORMAT csv, HEADER true)" \
      -c "\\copy bench_episodes FROM $from_e WITH (FORMAT csv, HEADER true)"
  psql "$url" -qAtX -c "DROP TABLE IF EXISTS bench_header, bench_episodes" >/dev/null 2>&1 || true
  pg_drop "$url" "$id"
}

say "Reading every data file once so all measurements start from the page cache ..."
export BENCH_LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$data"/* >/dev/null

h=$data/header.csv e=$data/episodes.csv hgz=$data/header.csv.gz egz=$data/episodes.csv.gz zip=$data/ssda903.zip xml=$data/cin.xml
say "Measuring (ROWS=$ROWS: Header $H_ROWS + Episodes $E_ROWS rows; CIN XML of $CIN_CHILDREN children, $XML_ROWS rows):"

repeated measure ref-csv-cat csv ref "cat (read the files)" "" "$CSV_ROWS" "$CSV_BYTES" -- sh -c 'cat "$1" "$2" >/dev/null' sh "$h" "$e"
repeated sqlite_import ref-csv-sqlite3 csv "sqlite3 .import" "$CSV_ROWS" "$CSV_BYTES" "$h" "$e"
repeated psql_copy ref-csv-psql csv "psql \\copy" "$CSV_ROWS" "$CSV_BYTES" "'$h'" "'$e'"
FLOOR=floor-csv-sqlite rcc_sqlite rcc-csv-sqlite csv ref-csv-sqlite3 "$CSV_ROWS" "$CSV_BYTES" "$h" "$e"
FLOOR=floor-csv-postgres rcc_postgres rcc-csv-postgres csv ref-csv-psql "$CSV_ROWS" "$CSV_BYTES" "$h" "$e"
rcc_stages stages-csv csv-stages "$CSV_ROWS" "$CSV_BYTES" "$h" "$e"

repeated measure ref-gz-cat gz ref "cat (read the files)" "" "$CSV_ROWS" "$GZ_BYTES" -- sh -c 'cat "$1" "$2" >/dev/null' sh "$hgz" "$egz"
repeated measure ref-gz-gzip gz ref "gzip -dc" "" "$CSV_ROWS" "$GZ_BYTES" -- sh -c 'gzip -dc "$1" "$2" >/dev/null' sh "$hgz" "$egz"
repeated sqlite_import ref-gz-sqlite3 gz "sqlite3 .import '|gzip -dc'" "$CSV_ROWS" "$GZ_BYTES" "|gzip -dc $hgz" "|gzip -dc $egz"
repeated psql_copy ref-gz-psql gz "psql \\copy from program 'gzip -dc'" "$CSV_ROWS" "$GZ_BYTES" "PROGRAM 'gzip -dc $hgz'" "PROGRAM 'gzip -dc $egz'"
rcc_sqlite rcc-gz-sqlite gz ref-gz-sqlite3 "$CSV_ROWS" "$GZ_BYTES" "$hgz" "$egz"
rcc_postgres rcc-gz-postgres gz ref-gz-psql "$CSV_ROWS" "$GZ_BYTES" "$hgz" "$egz"

repeated measure ref-zip-cat zip ref "cat (read the file)" "" "$CSV_ROWS" "$ZIP_BYTES" -- sh -c 'cat "$1" >/dev/null' sh "$zip"
repeated measure ref-zip-unzip zip ref "unzip -p" "" "$CSV_ROWS" "$ZIP_BYTES" -- sh -c 'unzip -p "$1" >/dev/null' sh "$zip"
repeated sqlite_import ref-zip-sqlite3 zip "sqlite3 .import '|unzip -p'" "$CSV_ROWS" "$ZIP_BYTES" "|unzip -p $zip header.csv" "|unzip -p $zip episodes.csv"
repeated psql_copy ref-zip-psql zip "psql \\copy from program 'unzip -p'" "$CSV_ROWS" "$ZIP_BYTES" "PROGRAM 'unzip -p $zip header.csv'" "PROGRAM 'unzip -p $zip episodes.csv'"
rcc_sqlite rcc-zip-sqlite zip ref-zip-sqlite3 "$CSV_ROWS" "$ZIP_BYTES" "$zip"
rcc_postgres rcc-zip-postgres zip ref-zip-psql "$CSV_ROWS" "$ZIP_BYTES" "$zip"

repeated measure ref-xml-cat cin-xml ref "cat (read the file)" "" "$XML_ROWS" "$XML_BYTES" -- sh -c 'cat "$1" >/dev/null' sh "$xml"
repeated measure ref-xml-xmllint cin-xml ref "xmllint --stream --noout" "" "$XML_ROWS" "$XML_BYTES" -- xmllint --stream --noout "$xml"
FLOOR=floor-xml-sqlite rcc_sqlite rcc-xml-sqlite cin-xml ref-xml-xmllint "$XML_ROWS" "$XML_BYTES" "$xml"
FLOOR=floor-xml-postgres rcc_postgres rcc-xml-postgres cin-xml ref-xml-xmllint "$XML_ROWS" "$XML_BYTES" "$xml"
rcc_stages stages-xml xml-stages "$XML_ROWS" "$XML_BYTES" "$xml"

# MARK: Optional profile of the SQLite ingest of the CSV.

if [ "$PERF" = 1 ]; then
  say "perf record of rcc ingest → SQLite (CSV) ..."
  rm -f "$work/perf.sqlite"*
  if perf record -q -e cpu-clock -F 999 -o "$bench/perf.data" -- "$rcc" ingest --warehouse "$work/perf.sqlite" \
       --key-file "$key" --la "$LA" --year "$YEAR" --schemas "$SCHEMAS" --run-dir "$work/runs/perf" --quiet "$h" "$e" \
       >"$work/perf.log" 2>&1 || [ $? -eq 2 ]; then
    { echo "perf record -e cpu-clock of rcc ingest → SQLite, CSV, ROWS=$ROWS: share of samples by library, then by symbol"
      perf report -i "$bench/perf.data" --stdio --no-children --sort dso --percent-limit 0.5 2>/dev/null
      echo
      perf report -i "$bench/perf.data" --stdio --no-children --sort dso,symbol --percent-limit 0.5 2>/dev/null \
        | swift demangle --simplified
    } | grep -v '^#' | grep -v '^$' | sed -E 's/[[:space:]]+-[[:space:]]+-[[:space:]]*$//; s/[[:space:]]+$//' >"$bench/perf.txt" || true
    say "  profile: $bench/perf.txt (perf report -i $bench/perf.data for more)"
  else
    say "  perf record failed (see $work/perf.log); no profile"
  fi
  rm -f "$work/perf.sqlite"*
fi

# MARK: Report.

export BENCH_ROWS=$ROWS BENCH_CIN_CHILDREN=$CIN_CHILDREN BENCH_PG_URL=$pg_url BENCH_PG_OWN=$pg_own BENCH_RCC=$rcc
python3 tools/bench/report.py "$results" "$data/meta.json" "$OUT/bench.json" ${pg_url:+"$pg_url"}
