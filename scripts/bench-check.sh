#!/usr/bin/env bash
# `check` against two sequential `hcl` runs, for docs/benchmarks.md.
#   scripts/bench-check.sh [RELEASED] [NEW] [HISTORIES]
#       (default: 260 released migrations, 5 new, 1 history)
# Builds a throwaway golang-migrate repository: `release` holds RELEASED migrations (each a
# table with an index and a foreign key to the previous one; every fifth also alters an older
# table), each with its down; `main` adds NEW more. With HISTORIES=2 the same migrations are
# dealt alternately into two histories applied into one database (named `migrations` blocks,
# each with its own table; foreign keys and alterations stay inside a history), so `check` also
# records the schema after each history and builds them in the other order. Then, 3 runs each
# with the release binary (DBMIGRATION_BIN to use another): `dbmigration check` (FROM and TO
# built concurrently, the new migrations applied on FROM's database, their downs walked back)
# and `dbmigration hcl release && dbmigration hcl main`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
released=${1:-260}
new=${2:-5}
histories=${3:-1}
bin=${DBMIGRATION_BIN:-"$root/target/release/dbmigration"}
if [ -z "${DBMIGRATION_BIN:-}" ]; then
    cargo build --release -p dbmigration --manifest-path "$root/Cargo.toml" >/dev/null 2>&1
fi
work=$(mktemp -d /tmp/dbm-bench-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
mkdir -p "$repo/db/migrations"
git -C "$repo" init -q -b release
git -C "$repo" config user.email bench@example.invalid
git -C "$repo" config user.name bench
if [ "$histories" -gt 1 ]; then
    for h in $(seq 0 $((histories - 1))); do
        mkdir -p "$repo/db/h$h"
        printf 'migrations "h%s" {\n  dir = "db/h%s"\n  format = "golang-migrate"\n  table = "schema_h%s"\n}\n' "$h" "$h" "$h" >>"$repo/dbmigration.hcl"
    done
fi
migration() {
    local i=$1 dir="$repo/db/migrations" prev=$(($1 - 1)) older=$(($1 / 2))
    if [ "$histories" -gt 1 ]; then
        dir="$repo/db/h$((i % histories))"
        prev=$((i - histories))
        older=$((i - 2 * histories))
    fi
    local f="$dir/$(printf '%05d' "$i")_t$i"
    {
        echo "CREATE TABLE t$i (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), parent bigint);"
        echo "CREATE INDEX t${i}_name_idx ON t$i (name);"
        if [ "$prev" -ge 1 ]; then echo "ALTER TABLE t$i ADD CONSTRAINT t${i}_parent_fk FOREIGN KEY (parent) REFERENCES t$prev (id);"; fi
        if [ $((i % 5)) -eq 0 ] && [ "$older" -ge 1 ]; then echo "ALTER TABLE t$older ADD COLUMN c$i integer NOT NULL DEFAULT 0;"; fi
    } >"$f.up.sql"
    {
        if [ $((i % 5)) -eq 0 ] && [ "$older" -ge 1 ]; then echo "ALTER TABLE t$older DROP COLUMN c$i;"; fi
        echo "DROP TABLE t$i;"
    } >"$f.down.sql"
}
for i in $(seq 1 "$released"); do migration "$i"; done
git -C "$repo" add -A && git -C "$repo" commit -qm release
git -C "$repo" checkout -q -b main
for i in $(seq $((released + 1)) $((released + new))); do migration "$i"; done
git -C "$repo" add -A && git -C "$repo" commit -qm main
cd "$work"
t() { /usr/bin/time -f "%e s  %M KB" "$@" 2>&1 >/dev/null | tail -1; }
echo "== $released released + $new new migrations in $histories history(ies)"
status=0; "$bin" check -C "$repo" >"$work/report.txt" 2>&1 || status=$?
echo "check exit status: $status ($(tail -1 "$work/report.txt"))"
for run in 1 2 3; do
    echo "check (run $run):              $(t "$bin" check -C "$repo")"
done
for run in 1 2 3; do
    start=$(date +%s.%N)
    "$bin" hcl -C "$repo" release -o "$work/release.hcl" 2>/dev/null
    "$bin" hcl -C "$repo" main -o "$work/main.hcl" 2>/dev/null
    end=$(date +%s.%N)
    echo "hcl release; hcl main (run $run): $(echo "$end - $start" | bc) s"
done
