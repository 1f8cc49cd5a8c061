#!/usr/bin/env bash
# Installs the real migration tools the code-migration tests run (tests/code_migrations.rs):
# Django and Alembic (PyPI, into one virtualenv), Knex (npm), and Go with lib/pq (Debian).
# Once per machine: everything lands under $DBMIGRATION_ORMS (default ~/.cache/dbmigration-orms)
# and a second run only checks it is there. An ecosystem that cannot be installed is reported
# and left out; the tests that need it then skip with a message saying so.
#
#   scripts/install-orms.sh            # all
#   scripts/install-orms.sh python go  # some
set -uo pipefail

ORMS="${DBMIGRATION_ORMS:-$HOME/.cache/dbmigration-orms}"
mkdir -p "$ORMS"
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(python node go)

# Versions pinned so a render is the same from one CI run to the next.
DJANGO=5.1.4
ALEMBIC=1.14.0
SQLALCHEMY=2.0.36
PSYCOPG2=2.9.10
KNEX=3.1.0
PG_NODE=8.13.1

python_tools() {
    if "$ORMS/venv/bin/python" -c 'import django, alembic, psycopg2' 2>/dev/null; then
        echo "python: Django, Alembic already in $ORMS/venv"
        return 0
    fi
    python3 -m venv "$ORMS/venv" &&
        "$ORMS/venv/bin/pip" install --quiet --disable-pip-version-check \
            "Django==$DJANGO" "alembic==$ALEMBIC" "SQLAlchemy==$SQLALCHEMY" \
            "psycopg2-binary==$PSYCOPG2"
}

node_tools() {
    if [ -f "$ORMS/node/node_modules/knex/package.json" ] && [ -f "$ORMS/node/node_modules/pg/package.json" ]; then
        echo "node: Knex already in $ORMS/node"
        return 0
    fi
    command -v npm >/dev/null 2>&1 || {
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq --no-install-recommends npm >/dev/null
    }
    mkdir -p "$ORMS/node" &&
        (cd "$ORMS/node" && [ -f package.json ] || echo '{"private":true}' >package.json) &&
        npm install --prefix "$ORMS/node" --no-audit --no-fund --silent "knex@$KNEX" "pg@$PG_NODE"
}

go_tools() {
    if command -v go >/dev/null 2>&1 && [ -f /usr/share/gocode/src/github.com/lib/pq/conn.go ]; then
        echo "go: $(go version), lib/pq in /usr/share/gocode"
        return 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends golang-go golang-github-lib-pq-dev >/dev/null
}

status=0
for eco in "${wanted[@]}"; do
    start=$SECONDS
    case "$eco" in
        python) python_tools ;;
        node) node_tools ;;
        go) go_tools ;;
        *) echo "unknown ecosystem $eco (python, node, go)" >&2; status=2; continue ;;
    esac
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "install-orms: $eco could not be installed (exit $rc); its code-migration tests will skip" >&2
    else
        echo "install-orms: $eco ready ($((SECONDS - start)) s)"
    fi
done
exit $status
