#!/usr/bin/env python3
"""Turns peers' diff fixture suites into dbmigration case folders (from.sql, to.sql), so that the
apply-and-compare harness proves our plans on them:

    scripts/peer-fixtures.py --migra ~/src/migra --pg-schema-diff ~/src/pg-schema-diff OUT
    DIFF_CASES_DIR=OUT/migra cargo test -p dbmigration --test diff_apply plans_apply -- --nocapture

Peers' files stay in their own checkouts (djrobstep/migra `tests/FIXTURES/<name>/{a,b}.sql`;
stripe/pg-schema-diff `internal/migration_acceptance_tests/*_cases_test.go`, the Go struct
literals `oldSchemaDDL` / `newSchemaDDL`); nothing of theirs is copied into this repository.
pg-schema-diff cases that expect the planner to refuse, or that need roles, are skipped.
"""

import argparse
import pathlib
import re
import sys


def write_case(out: pathlib.Path, name: str, old: str, new: str) -> None:
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "from.sql").write_text(old)
    (d / "to.sql").write_text(new)


def migra(root: pathlib.Path, out: pathlib.Path) -> int:
    n = 0
    for case in sorted((root / "tests" / "FIXTURES").iterdir()):
        a, b = case / "a.sql", case / "b.sql"
        if a.is_file() and b.is_file():
            write_case(out / "migra", case.name, a.read_text(), b.read_text())
            n += 1
    return n


CASE = re.compile(r"\n\t\{\n(.*?)\n\t\},", re.S)
NAME = re.compile(r'\bname:\s*"((?:[^"\\]|\\.)*)"')
RAW = re.compile(r"`([^`]*)`")


def ddl(body: str, field: str):
    m = re.search(field + r":\s*\[\]string\{(.*?)\n\t\t\},", body, re.S)
    if not m:
        return None
    return ";\n".join(s.strip().rstrip(";") for s in RAW.findall(m.group(1))) + ";\n"


def pg_schema_diff(root: pathlib.Path, out: pathlib.Path) -> int:
    n = 0
    tests = root / "internal" / "migration_acceptance_tests"
    for f in sorted(tests.glob("*_cases_test.go")):
        text = f.read_text()
        for i, m in enumerate(CASE.finditer(text)):
            body = m.group(1)
            if re.search(r"\b(expectedPlanErrorIs|expectedPlanErrorContains|roles|planFactory)\s*:", body):
                continue
            old, new = ddl(body, "oldSchemaDDL"), ddl(body, "newSchemaDDL")
            name = NAME.search(body)
            if old is None or new is None or name is None:
                continue
            slug = re.sub(r"[^a-z0-9]+", "_", name.group(1).lower()).strip("_")[:60]
            write_case(out / "pg-schema-diff", f"{f.stem.removesuffix('_cases_test')}__{i:03}_{slug}", old, new)
            n += 1
    return n


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--migra", type=pathlib.Path, help="a checkout of djrobstep/migra")
    p.add_argument("--pg-schema-diff", type=pathlib.Path, help="a checkout of stripe/pg-schema-diff")
    p.add_argument("out", type=pathlib.Path, help="directory for the case folders")
    a = p.parse_args()
    if a.migra:
        print(f"migra: {migra(a.migra, a.out)} case(s)")
    if a.pg_schema_diff:
        print(f"pg-schema-diff: {pg_schema_diff(a.pg_schema_diff, a.out)} case(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
