#!/usr/bin/env python3
"""Real-world corpus: dbmigration against an independent psql oracle (docs/real-world.md).

Driven by scripts/corpus.sh. For every repository and ref in CORPUS below:
  1. `dbmigration hcl <ref>` renders the schema (on the scratch cluster this script starts);
  2. the oracle applies the same migrations with psql, one psql per file, in the order and
     transaction mode of the repository's own migration tool (read from that tool's source,
     cited at each lister below), to a fresh database of the same cluster;
  3. every table and column with its nullability, read from pg_catalog on the oracle database,
     is compared with the tables and columns in dbmigration's HCL.
It prints one line per repository and ref, then `run` and `diff --verify` per pair, then a total.
The oracle shares no code with dbmigration: listing, ordering, section extraction and
transaction mode are written again here, from the tools' sources.
"""

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

# name, repository URL, migrations dir, format, (older ref, newer ref), dbmigration flags.
# The refs are commits about six months apart; `flags` names the directory/format only where
# dbmigration cannot discover them in that repository.
CORPUS = [
    ("openmeter", "https://github.com/openmeterio/openmeter", "tools/migrate/migrations",
     "golang-migrate", ("d2609d85a6a9", "a344c1f6fd00"), []),
    ("lemmy", "https://github.com/LemmyNet/lemmy", "migrations",
     "diesel", ("4175a1af80e8", "02ba54c58964"), []),
    ("crates.io", "https://github.com/rust-lang/crates.io", "migrations",
     "diesel", ("66b0618972c8", "1e2d7fbc03ac"), []),
    ("hatchet-atlas", "https://github.com/hatchet-dev/hatchet", "sql/migrations",
     "atlas", ("297c7fc905bf", "b7a706a18f0c"), ["dir", "format"]),
    ("hatchet-goose", "https://github.com/hatchet-dev/hatchet", "cmd/hatchet-migrate/migrate/migrations",
     "goose", ("0fc28cef8a24", "981c004f58e2"), ["dir", "format"]),
    ("atuin", "https://github.com/atuinsh/atuin", "crates/atuin-server-postgres/migrations",
     "sqlx", ("6c31530c7aab", "e2b421c88479"), ["dir"]),
    ("kestra", "https://github.com/kestra-io/kestra", "jdbc-postgres/src/main/resources/migrations/postgres",
     "flyway", ("7064bd297734", "5064606350bb"), ["dir"]),
    ("hawkbit", "https://github.com/eclipse-hawkbit/hawkbit",
     "hawkbit-repository/hawkbit-repository-jpa-flyway/src/main/resources/db/migration/POSTGRESQL",
     "flyway", ("0e4307059b9c", "fd9c0fc50d26"), ["dir"]),
    ("subway", "https://github.com/UPchieve/subway", "database/migrations",
     "dbmate", ("1ce96fd31097", "1bdd41a62e8a"), []),
    ("openfga", "https://github.com/openfga/openfga", "assets/migrations/postgres",
     "goose", ("63e4e6350ea1", "92a663b9eddd"), ["dir"]),
    ("ente", "https://github.com/ente-io/ente", "server/migrations",
     "golang-migrate", ("47c77627fb8b", "cf756cfb8b47"), []),
    ("umami", "https://github.com/umami-software/umami", "prisma/migrations",
     "prisma", ("df3ae72ab7f8", "d116cf2b1f94"), []),
    ("documenso", "https://github.com/documenso/documenso", "packages/prisma/migrations",
     "prisma", ("1e585e06e6e1", "04f6e761781a"), []),
]

# Tables the tools create for their own bookkeeping: never part of the compared schema.
TRACKING = {"schema_migrations", "__diesel_schema_migrations", "goose_db_version",
            "flyway_schema_history", "_sqlx_migrations", "atlas_schema_revisions",
            "_prisma_migrations", "schema_om"}

# Tables a repository's own configuration leaves out of its schema, which dbmigration honours
# (its atlas.hcl `migration { exclude }`): the oracle leaves them out too.
EXCLUDED = {
    # openmeter atlas.hcl, locals.migration_exlude
    "openmeter": ["distributed_locks", "om_migration_backup_*"],
}

# The history table each tool creates before the first migration; migrations may use it (lemmy
# puts a trigger on diesel's). Left out of the comparison like every name in TRACKING.
TRACKING_DDL = {
    # golang-migrate database/postgres/postgres.go ensureVersionTable
    "golang-migrate": "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)",
    # diesel diesel/src/migration/setup_migration_table.sql
    "diesel": "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, "
              "run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    # sqlx-postgres src/migrate.rs ensure_migrations_table
    "sqlx": "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, "
            "installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, "
            "checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)",
    # dbmate pkg/driver/postgres/postgres.go CreateMigrationsTable
    "dbmate": "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)",
    # goose internal/dialect/dialectquery/postgres.go CreateTable
    "goose": "CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "
             "version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now())",
}

# Statements PostgreSQL refuses in a transaction block. Tools that see them (Flyway, Atlas's
# linter) run the file outside one; the oracle then lets psql autocommit each statement.
NO_TX = re.compile(r"\b(create\s+(unique\s+)?index\s+concurrently|drop\s+index\s+concurrently|"
                   r"reindex\s+.*concurrently|alter\s+type\s+\S+\s+add\s+value|vacuum\b|"
                   r"create\s+database|alter\s+system)", re.I)


def git(repo, *args, binary=False):
    out = subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True)
    return out.stdout if binary else out.stdout.decode()


def ls(repo, ref, d):
    """Every file below d at ref, as paths relative to d."""
    out = git(repo, "ls-tree", "-r", "--name-only", "-z", ref, "--", d + "/")
    return sorted(p[len(d) + 1:] for p in out.split("\0") if p)


def natural(s):
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|\D", s)]


# Each lister returns [(label, sql, in_transaction)] in the tool's order; `read(rel)` gives a
# file's text. A migration the real tool would run but the oracle cannot (Go code) is reported.

def golang_migrate(files, read):
    # golang-migrate source/parse.go: ^([0-9]+)_(.*)\.(down|up)\.(.*)$, versions compared as
    # uint; database/postgres/postgres.go Run sends the whole file in one Exec (one implicit
    # transaction for a multi-statement file).
    ups = []
    for f in files:
        m = re.fullmatch(r"([0-9]+)_(.*)\.up\.sql", f)
        if m and "/" not in f:
            ups.append((int(m.group(1)), f))
    return [(f, read(f), True) for _, f in sorted(ups)]


def atlas(files, read):
    # ariga/atlas sql/migrate/dir.go LocalDir.Files: top-level *.sql sorted by name;
    # cmd/atlas/internal/cmdapi/migrate.go: --tx-mode file (one transaction per file) unless the
    # header says `atlas:txmode none`; a fresh database starts at the last checkpoint file.
    out = []
    for f in sorted(x for x in files if x.endswith(".sql") and "/" not in x):
        text = read(f)
        header = header_directives(text)
        if "atlas:checkpoint" in header:
            out = []
        out.append((f, text, "atlas:txmode none" not in header))
    return out


def header_directives(text):
    lines = []
    for line in text.splitlines():
        if not line.strip():
            return " ".join(lines)
        if not line.startswith(("--", "#")):
            return ""
        lines.append(line)
    return ""


def diesel(files, read):
    # diesel_migrations src/file_based_migrations.rs: one directory per migration holding up.sql;
    # migrations_internals version_from_string: the name before the first `_` with `-` removed;
    # migration_harness.rs sorts by that version as a string and runs up.sql with batch_execute,
    # in a transaction unless metadata.toml says run_in_transaction = false.
    dirs = sorted({f.split("/")[0] for f in files if f.count("/") == 1 and f.endswith("/up.sql")},
                  key=lambda d: d.split("_")[0].replace("-", ""))
    out = []
    for d in dirs:
        tx = True
        if f"{d}/metadata.toml" in files:
            tx = not re.search(r"run_in_transaction\s*=\s*false", read(f"{d}/metadata.toml"))
        out.append((f"{d}/up.sql", read(f"{d}/up.sql"), tx))
    return out


def sqlx(files, read):
    # sqlx-core src/migrate/source.rs resolve: <i64>_<desc>.sql / .up.sql, sorted by version;
    # sqlx-postgres src/migrate.rs apply: in a transaction unless the file starts with
    # `-- no-transaction`.
    ups = []
    for f in files:
        m = re.fullmatch(r"([0-9]+)_(.*?)(\.up)?\.sql", f)
        if m and "/" not in f and not f.endswith(".down.sql"):
            ups.append((int(m.group(1)), f))
    out = []
    for _, f in sorted(ups):
        text = read(f)
        out.append((f, text, not text.startswith("-- no-transaction")))
    return out


def flyway(files, read):
    # flyway-core .../resolver/sql/SqlMigrationResolver.java + MigrationInfoHelper: V<ver>__<d>.sql
    # at any depth, versions compared numerically part by part (`_` is `.`); repeatables R__ after,
    # by description. Each migration runs in a transaction unless it holds a statement PostgreSQL
    # cannot run in one (PostgreSQLParser detects those) or its .conf says so.
    versioned, repeatable = [], []
    for f in files:
        base = f.rsplit("/", 1)[-1]
        m = re.fullmatch(r"V([0-9][0-9._]*)__(.*)\.sql", base)
        if m:
            versioned.append(([int(p) for p in re.split(r"[._]", m.group(1)) if p], f))
        m = re.fullmatch(r"R__(.*)\.sql", base)
        if m:
            repeatable.append((m.group(1), f))
    out = []
    for _, f in sorted(versioned) + sorted(repeatable):
        text = read(f)
        conf = f + ".conf"
        tx = not NO_TX.search(text)
        if conf in files and re.search(r"executeInTransaction\s*=\s*false", read(conf)):
            tx = False
        out.append((f, text, tx))
    return out


def dbmate(files, read):
    # dbmate pkg/dbmate/migration.go parseMigrationContents: the up section runs from
    # `-- migrate:up` to `-- migrate:down`; `transaction:false` on the up line opts out.
    # pkg/dbmate/db.go FindMigrations: files ^\d.*\.sql$ in directory (name) order.
    out = []
    for f in sorted(x for x in files if "/" not in x and re.match(r"\d.*\.sql$", x)):
        text = read(f)
        up, tx, cur = [], True, None
        for line in text.splitlines(keepends=True):
            m = re.match(r"--\s*migrate:(up|down)\b(.*)", line)
            if m:
                cur = m.group(1)
                if cur == "up" and "transaction:false" in m.group(2):
                    tx = False
                continue
            if cur == "up":
                up.append(line)
        out.append((f, "".join(up), tx))
    return out


def goose(files, read):
    # pressly/goose internal/sqlparser/parser.go: the Up section starts at `-- +goose Up` and ends
    # at `-- +goose Down`; `-- +goose NO TRANSACTION` runs it outside a transaction. migrate.go
    # collects <int64>_*.sql and <int64>_*.go sorted by version; Go files are compiled code the
    # oracle cannot run (neither does dbmigration: it skips them with a warning).
    items, skipped = [], []
    for f in files:
        m = re.fullmatch(r"([0-9]+)_.*\.(sql|go)", f)
        if m and "/" not in f and not f.endswith("_test.go"):
            items.append((int(m.group(1)), f))
    out = []
    for _, f in sorted(items):
        if f.endswith(".go"):
            skipped.append(f)
            continue
        text = read(f)
        up, tx, cur = [], True, None
        for line in text.splitlines(keepends=True):
            s = line.strip()
            if re.match(r"--\s*\+goose\s+no\s+transaction", s, re.I):
                tx = False
            m = re.match(r"--\s*\+goose\s+(up|down)\b", s, re.I)
            if m:
                cur = m.group(1).lower()
                continue
            if cur == "up":
                up.append(line)
        out.append((f, "".join(up), tx))
    return out, skipped


def prisma(files, read):
    # prisma-engines schema-engine/core/src/commands/apply_migrations.rs: migration directories
    # sorted by name, each migration.sql sent as one script (one implicit transaction).
    dirs = sorted({f.split("/")[0] for f in files if f.count("/") == 1 and f.endswith("/migration.sql")})
    return [(f"{d}/migration.sql", read(f"{d}/migration.sql"), True) for d in dirs]


def plain(files, read):
    # The postgres image's docker-entrypoint.sh: /docker-entrypoint-initdb.d/*.sql in glob
    # (name) order, each with `psql -v ON_ERROR_STOP=1 -f` (autocommit).
    return [(f, read(f), False) for f in sorted(x for x in files if "/" not in x and x.endswith(".sql"))]


LISTERS = {"golang-migrate": golang_migrate, "atlas": atlas, "diesel": diesel, "sqlx": sqlx,
           "flyway": flyway, "dbmate": dbmate, "goose": goose, "prisma": prisma, "plain": plain}


class Cluster:
    def __init__(self, work, pgbin):
        self.work, self.pgbin = work, pgbin
        self.sock = os.path.join(work, "sock")
        os.makedirs(self.sock)
        if os.getuid() == 0:
            shutil.chown(work, "postgres")
            shutil.chown(self.sock, "postgres")
        data = os.path.join(work, "data")
        self.as_pg([f"{pgbin}/initdb", "-D", data, "-A", "trust", "-U", "postgres"])
        opts = f"-k {self.sock} -c listen_addresses='' -c fsync=off -c max_locks_per_transaction=1024"
        self.as_pg([f"{pgbin}/pg_ctl", "-D", data, "-l", os.path.join(work, "log"), "-w", "-o", opts, "start"])
        self.data = data

    def as_pg(self, argv):
        if os.getuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, capture_output=True)

    def stop(self):
        self.as_pg([f"{self.pgbin}/pg_ctl", "-D", self.data, "-m", "immediate", "stop"])

    def url(self, db="postgres"):
        return f"host={self.sock} user=postgres dbname={db}"

    def psql(self, db, *args, check=True):
        argv = [f"{self.pgbin}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.sock,
                "-U", "postgres", "-d", db, *args]
        return subprocess.run(argv, check=check, capture_output=True, text=True)


COLUMNS_SQL = """
SELECT n.nspname, c.relname, a.attname, a.attnotnull
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
"""


def oracle(cluster, db, fmt, migrations, tmp):
    cluster.psql("postgres", "-c", f'CREATE DATABASE "{db}"')
    if fmt in TRACKING_DDL:
        cluster.psql(db, "-c", TRACKING_DDL[fmt])
    for i, (label, sql, tx) in enumerate(migrations, 1):
        path = os.path.join(tmp, "m.sql")
        with open(path, "w") as fh:
            fh.write(sql)
        # A file with a statement refused in a transaction block cannot be one (the tools that
        # send a file in one Exec then rely on it being that statement alone).
        single = ["-1"] if tx and not NO_TX.search(sql) else []
        r = cluster.psql(db, *single, "-f", path, check=False)
        if r.returncode != 0:
            return None, f"oracle failed at {i}/{len(migrations)} {label}: {r.stderr.strip()[:300]}"
    r = cluster.psql(db, "-At", "-F", "\t", "-c", COLUMNS_SQL)
    cols = set()
    for line in r.stdout.splitlines():
        s, t, c, notnull = line.split("\t")
        if t not in TRACKING:
            cols.add((s, t, c, notnull != "t"))
    return cols, None


LABEL = r'"((?:[^"\\]|\\.)*)"'


def unq(s):
    return re.sub(r"\\(.)", r"\1", s)


def hcl_columns(text):
    """Tables and columns with nullability from dbmigration's HCL (its documented layout:
    docs/hcl-format.md), read line by line with a brace depth."""
    cols, depth, table, schema, column, pending = set(), 0, None, None, None, []
    for line in text.splitlines():
        s = line.strip()
        if depth == 0:
            m = re.match(rf"table\s+{LABEL}(?:\s+{LABEL})?\s*\{{", s)
            table = unq(m.group(2) or m.group(1)) if m else None
            schema = unq(m.group(1)) if m and m.group(2) else None
            pending = []
        elif depth == 1 and table:
            m = re.match(r"schema\s*=\s*schema\.(\w+)|schema\s*=\s*schema\[" + LABEL + r"\]", s)
            if m:
                schema = m.group(1) or unq(m.group(2))
            m = re.match(rf"column\s+{LABEL}\s*\{{", s)
            column = unq(m.group(1)) if m else None
        elif depth == 2 and table and column:
            m = re.match(r"null\s*=\s*(true|false)", s)
            if m:
                pending.append((column, m.group(1) == "true"))
        depth += s.count("{") - s.count("}") if not s.startswith("#") else 0
        if depth == 0 and table:
            for c, null in pending:
                if table not in TRACKING:
                    cols.add((schema, table, c, null))
            table = None
    return cols


def local(repos_dir, name):
    """The clone a corpus entry reads: hatchet-atlas and hatchet-goose share `hatchet`."""
    return os.path.join(repos_dir, name.split("-")[0] if name.startswith("hatchet") else name)


def clone(repos_dir):
    for name, url, *_ in CORPUS:
        if not os.path.isdir(local(repos_dir, name)):
            subprocess.run(["git", "clone", "--no-checkout", url, local(repos_dir, name)], check=True)


def main():
    if sys.argv[1] == "--clone":
        return clone(sys.argv[2])
    repos_dir, binary, only = sys.argv[1], sys.argv[2], set(sys.argv[3:])
    pgbin = os.environ.get("PG_BIN") or sorted(
        os.path.join("/usr/lib/postgresql", v, "bin") for v in os.listdir("/usr/lib/postgresql"))[-1]
    work = tempfile.mkdtemp(prefix="dbm-corpus.")
    os.chmod(work, 0o755)
    cluster = Cluster(work, pgbin)
    # What a production server of these projects has before its first migration: roles the
    # migrations GRANT to. Roles are cluster-wide, so dbmigration's databases see them too.
    for role in ("anon", "authenticated", "service_role", "supabase_admin", "authenticator",
                 "pgbouncer", "supabase_auth_admin", "supabase_storage_admin", "dashboard_user"):
        cluster.psql("postgres", "-c", f"DO $$BEGIN CREATE ROLE {role}; EXCEPTION WHEN duplicate_object THEN NULL; END$$")
    totals = {"OK": 0, "MISMATCH": 0, "FAIL": 0}
    n = 0
    try:
        for name, url, d, fmt, refs, flags in CORPUS:
            if only and name not in only:
                continue
            repo = local(repos_dir, name)
            if not os.path.isdir(repo):
                print(f"{name:18} SKIP  no local copy at {repo} ({url})")
                continue
            rendered = []
            for ref in refs:
                n += 1
                line, status, hcl = one_ref(cluster, repo, name, d, fmt, ref, flags, binary, n, work)
                totals[status] += 1
                rendered.append(hcl)
                print(line, flush=True)
            print(pair(cluster, repo, name, d, fmt, refs, flags, binary, work, rendered), flush=True)
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"total: {sum(totals.values())} refs, " + ", ".join(f"{v} {k}" for k, v in totals.items()))
    return 0 if totals["OK"] == sum(totals.values()) else 1


def dbm_flags(d, fmt, flags):
    out = []
    if "dir" in flags:
        out += ["--migrations-dir", d]
    if "format" in flags:
        out += ["--migrations-format", fmt]
    return out


def one_ref(cluster, repo, name, d, fmt, ref, flags, binary, n, work):
    sha = git(repo, "rev-parse", "--short=9", ref).strip()
    tag = f"{name:18} {sha}"
    tmp = tempfile.mkdtemp(dir=work)
    out = os.path.join(tmp, "dbm.hcl")
    t0 = time.monotonic()
    argv = [binary, "hcl", ref, "-C", repo, "-o", out, "--database-url", cluster.url()]
    r = subprocess.run([*argv, *dbm_flags(d, fmt, flags)], capture_output=True, text=True)
    note = ""
    if "dbmigration::locate::" in r.stderr and "dir" not in flags:
        # Discovery is part of what the corpus checks, but the schema is still worth comparing.
        note = "  [needs --migrations-dir: " + r.stderr.split("\n")[0].strip() + "]"
        t0 = time.monotonic()
        r = subprocess.run([*argv, *dbm_flags(d, fmt, ["dir"])], capture_output=True, text=True)
    t_dbm = time.monotonic() - t0
    t0 = time.monotonic()
    tree = os.path.join(tmp, "tree")
    os.makedirs(tree)
    archive = subprocess.run(["git", "-C", repo, "archive", ref, d], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
    files = ls(repo, ref, d)

    def read(rel):
        with open(os.path.join(tree, d, rel), encoding="utf-8") as fh:
            return fh.read()

    migrations = LISTERS[fmt](files, read)
    skipped = []
    if isinstance(migrations, tuple):
        migrations, skipped = migrations
    expected, err = oracle(cluster, f"oracle{n}", fmt, migrations, tmp)
    t_oracle = time.monotonic() - t0
    times = f"dbmigration {t_dbm:6.2f}s  oracle {t_oracle:6.2f}s  {len(migrations)} migrations"
    if skipped:
        times += f" (+{len(skipped)} Go skipped)"
    times += note
    if r.returncode != 0:
        reason = " ".join(r.stderr.split())[:400]
        both = f"; {err}" if err else "; the oracle applies it"
        return f"{tag} FAIL      {times}  dbmigration: {reason}{both}", "FAIL", None
    if err:
        return f"{tag} FAIL      {times}  {err}", "FAIL", out
    with open(out) as fh:
        got = hcl_columns(fh.read())
    if got == expected:
        tables = len({(s, t) for s, t, _, _ in got})
        return f"{tag} OK        {times}  {tables} tables {len(got)} columns", "OK", out
    excluded = EXCLUDED.get(name, [])
    expected = {c for c in expected if not any(fnmatch.fnmatchcase(c[1], g) for g in excluded)}
    if excluded and got == expected:
        tables = len({(s, t) for s, t, _, _ in got})
        return (f"{tag} OK        {times}  {tables} tables {len(got)} columns "
                f"(without {', '.join(excluded)}: the repository's atlas.hcl excludes them)"), "OK", out
    missing, extra = sorted(expected - got), sorted(got - expected)
    detail = f"oracle only: {missing[:4]} dbmigration only: {extra[:4]}"
    return f"{tag} MISMATCH  {times}  {len(missing)}+{len(extra)} differ; {detail}", "MISMATCH", out


def pair(cluster, repo, name, d, fmt, refs, flags, binary, work, rendered):
    tmp = tempfile.mkdtemp(dir=work)
    t0 = time.monotonic()
    argv = [binary, "run", "--from", refs[0], "--to", refs[1], "-C", repo, "--out-dir", tmp,
            "--format", "json", "--database-url", cluster.url()]
    r = subprocess.run([*argv, *dbm_flags(d, fmt, flags)], capture_output=True, text=True)
    note = ""
    if "dbmigration::locate::" in r.stderr and "dir" not in flags:
        note = " [with --migrations-dir]"
        t0 = time.monotonic()
        r = subprocess.run([*argv, *dbm_flags(d, fmt, ["dir"])], capture_output=True, text=True)
    t_run = time.monotonic() - t0
    diff = os.path.join(tmp, "diff.sql")
    # `run` exits 1 when the lint finds something to report; it failed only when no diff.sql.
    if r.returncode not in (0, 1) or not os.path.exists(diff):
        return f"{name:18} run       FAIL {t_run:.2f}s: {' '.join(r.stderr.split())[:300]}"
    t0 = time.monotonic()
    v = subprocess.run([binary, "diff", *(os.path.join(tmp, stem(r) + ".hcl") for r in refs),
                        "-o", os.path.join(tmp, "verify.sql"), "--verify", "--database-url", cluster.url()],
                       capture_output=True, text=True)
    t_verify = time.monotonic() - t0
    with open(diff) as fh:
        stmts = sum(1 for line in fh if line.strip() and not line.startswith("--"))
    verdict = "OK" if v.returncode == 0 else "FAIL " + " ".join(v.stderr.split())[:300]
    return (f"{name:18} run       OK {t_run:.2f}s{note} ({stmts} diff lines), "
            f"diff --verify {verdict} {t_verify:.2f}s")


def stem(ref):
    """The file name `run` gives a ref's HCL (output.rs file_stem_for_ref)."""
    out = re.sub(r"[^\w.-]+", "-", ref).strip("-.")
    return out or "ref"


if __name__ == "__main__":
    sys.exit(main())
