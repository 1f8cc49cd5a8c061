#!/usr/bin/env bash
# End-to-end figures for docs/benchmarks.md: the release binary on gen_schema.py pairs.
#   scripts/bench-e2e.sh [TABLES...]        (default: 1000 5000)
# For each size: `hcl --dir` (apply + inspect + render) of both sides, `diff a.hcl b.hcl`, and
# `diff URL URL` (inspect both live databases + diff) side by side with migra on the same two
# databases, and `inspect URL` side by side with `pg_dump --schema-only`, interleaved, 3 runs
# each, with wall time and peak RSS from /usr/bin/time. Needs python3, the PostgreSQL 15
# binaries, GNU time, and migra (`pip install migra psycopg2-binary`; skipped when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=("${@:-1000}")
[ $# -gt 0 ] || sizes=(1000 5000)
# BENCH_BIN: a binary built already (no build here).
bin="${BENCH_BIN:-$root/target/release/dbmigration}"
[ -n "${BENCH_BIN:-}" ] || cargo build --release -p dbmigration --manifest-path "$root/Cargo.toml" >/dev/null 2>&1
pgbin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
work=$(mktemp -d /tmp/dbm-bench.XXXXXX)
sock="$work/sock"; data="$work/data"
mkdir -p "$sock"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown -R postgres "$work"
cleanup() { as_pg "$pgbin/pg_ctl -D $data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
as_pg "$pgbin/initdb -D $data -A trust -U postgres" >/dev/null
as_pg "$pgbin/pg_ctl -D $data -l $work/log -o \"-k $sock -c listen_addresses='' -c fsync=off -c max_locks_per_transaction=2048 -c jit=off\" start" >/dev/null
# migra exits 2 when the databases differ; any other failure is printed instead of a time.
t() {
    { /usr/bin/time -f "%e s  %M KB  exit %x" "$@" 2>&1 >/dev/null || true; } | tail -1 \
        | sed -E 's/  exit (0|2)$//; s/^(.*exit [0-9]+)$/FAILED: \1/'
}
declare -A load
for n in "${sizes[@]}"; do
    g="$work/gen$n"
    # SHARED_TOOLS: where gen_schema.py is (default: the workplace's shared/tools beside the repository).
    python3 "${SHARED_TOOLS:-$root/../shared/tools}/gen_schema.py" "$n" 5 42 "$g" 2>/dev/null
    for v in a b; do
        mkdir -p "$g/$v"; cp "$g/$v.sql" "$g/$v/001_schema.sql"
        as_pg "$pgbin/psql -q -h $sock -U postgres -c 'CREATE DATABASE g${n}$v'" >/dev/null
        load[$v]=$( { /usr/bin/time -f "%e s" su postgres -s /bin/sh -c \
            "$pgbin/psql -q -X -h $sock -U postgres -d g${n}$v -f $g/$v.sql" >/dev/null; } 2>&1 | tail -1)
    done
    echo "== $n tables"
    for v in a b; do echo "psql -f ($v) for reference: ${load[$v]}"; done
    for v in a b; do
        echo "hcl --dir ($v):            $(t "$bin" hcl --dir "$g/$v" --migrations-format plain -o "$g/$v.hcl")"
    done
    for i in 1 2 3; do
        echo "diff a.hcl b.hcl:         $(t "$bin" diff "$g/a.hcl" "$g/b.hcl" -o "$g/diff.sql")"
    done
    url() { echo "postgresql://postgres@/g${n}$1?host=$sock"; }
    murl() { echo "postgresql+psycopg2://postgres@/g${n}$1?host=$sock"; }
    for i in 1 2 3; do
        echo "diff URL URL:             $(t "$bin" diff "$(url a)" "$(url b)" -o "$g/diff2.sql")"
        if command -v migra >/dev/null; then
            # SQLAlchemy 2 reads `postgresql://` as psycopg 3; migra's pip install brings psycopg2.
            echo "migra --unsafe URL URL:   $(t migra --unsafe "$(murl a)" "$(murl b)")"
        fi
    done
    for i in 1 2 3; do
        echo "inspect URL:              $(t "$bin" inspect "$(url a)" -o "$g/inspect.hcl")"
        echo "pg_dump --schema-only:    $(t "$pgbin/pg_dump" --schema-only -d "$(url a)" -f "$g/dump.sql")"
    done
    echo "statements: $(grep -c '^-- [A-Z]' "$g/diff.sql")"
done
