#!/usr/bin/env bash
# The real-world corpus (docs/real-world.md): dbmigration against a psql oracle on public repositories.
#   scripts/corpus.sh [REPOS_DIR] [NAME...]
# REPOS_DIR (default /work/repos, or $CORPUS_REPOS) holds one git clone per repository, named as in
# the first column of CORPUS in scripts/corpus.py (hatchet-atlas and hatchet-goose share `hatchet`).
# With network access, `scripts/corpus.sh --clone DIR` clones the missing ones first. Needs the
# PostgreSQL 15 binaries, python3 and git; runs as root (the cluster runs as `postgres`) or as a
# user that may run initdb. Runs on demand, never in CI: it needs those clones.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
clone=0
if [ "${1:-}" = --clone ]; then clone=1; shift; fi
repos=${1:-${CORPUS_REPOS:-/work/repos}}
[ $# -gt 0 ] && shift
if [ $clone = 1 ]; then
    mkdir -p "$repos"
    python3 "$root/scripts/corpus.py" --clone "$repos"
fi
cargo build --release -p dbmigration --manifest-path "$root/Cargo.toml" >&2
exec python3 "$root/scripts/corpus.py" "$repos" "$root/target/release/dbmigration" "$@"
