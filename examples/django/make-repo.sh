#!/usr/bin/env bash
# Builds a git repository from this example: `release` (release/), then `main` (main/ on top).
#   examples/django/make-repo.sh DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: make-repo.sh DIR}"
mkdir -p "$dir"
cd "$dir"
git init -q -b release
cp -R "$here/release/." .
git add -A
git -c user.name=example -c user.email=example@example.invalid commit -qm release
git checkout -q -b main
cp -R "$here/main/." .
git add -A
git -c user.name=example -c user.email=example@example.invalid commit -qm main
echo "$dir: branches release and main"
