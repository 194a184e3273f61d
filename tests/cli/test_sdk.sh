#!/usr/bin/env bash
# test_sdk.sh — the SDK end to end: install zmc into a temporary prefix, build
# examples/erd-backend out of tree against it with pkg-config, and run the
# module through the installed zmc (--backend PATH, by name, and from a
# schema's plugin block). The Mermaid output must match
# tests/golden/erd/NAME.mmd exactly; ZM_BLESS=1 rewrites those files. Then a
# third-party dialect the same way (examples/dialect-litefile), and a new
# project with the installed zmc alone: zmc init, migrate dev, status.
#
# ZM_SANITIZE=ON builds the installed zmc and the module with the sanitizers,
# as a module loaded into a sanitized process must be.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

src=$(cd "$here/../.." && pwd)
prefix=$tmp/prefix
sanitize=${ZM_SANITIZE:-OFF}
jobs=${ZM_JOBS:-2}
schema=$golden/erd/blog.zmodel

# 1. Install.
if ! { cmake -S "$src" -B "$tmp/build" -DZM_BUILD_TESTS=OFF -DZM_SANITIZE="$sanitize" \
         -DCMAKE_INSTALL_PREFIX="$prefix" &&
       cmake --build "$tmp/build" -j"$jobs" &&
       cmake --install "$tmp/build"; } >"$tmp/install.log" 2>&1; then
  bad "configure, build or install failed:"
  tail -40 "$tmp/install.log"
  finish "cli.sdk"
  exit 1
fi
zmc=$prefix/bin/zmc
if [[ -x $zmc ]]; then ok; else bad "no $zmc"; fi
for h in zmc.h ir.h plugin.h; do
  if cmp -s "$prefix/include/zmc/$h" "$src/include/zmc/$h"; then ok; else bad "include/zmc/$h not installed"; fi
done
pcdir=$(dirname "$(ls "$prefix"/lib*/pkgconfig/zmc.pc 2>/dev/null | head -1)")
if [[ -f $pcdir/zmc.pc ]]; then ok; else bad "no zmc.pc under $prefix/lib*/pkgconfig"; fi
export PKG_CONFIG_PATH=$pcdir
plugindir=$(pkg-config --variable=zmc_plugindir zmc)
if [[ $(pkg-config --cflags zmc) == "-I$prefix/include"* ]]; then ok; else
  bad "pkg-config --cflags zmc: '$(pkg-config --cflags zmc)'"
fi
if [[ -d $plugindir && $plugindir == "$prefix"/lib*/zmc ]]; then ok; else bad "zmc_plugindir '$plugindir'"; fi
# Every module the build made is installed.
for m in "$tmp"/build/modules/*.so; do
  [[ -e $m ]] || continue
  if cmp -s "$m" "$plugindir/$(basename "$m")"; then ok; else bad "module $(basename "$m") not installed"; fi
done

# 2. Build the example out of tree: a copy of its folder, nothing else.
cp -r "$src/examples/erd-backend" "$tmp/erd"
rm -f "$tmp/erd/erd.so"
flags=()
if [[ $sanitize == ON ]]; then
  flags=(CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined")
fi
if make -C "$tmp/erd" "${flags[@]}" >"$tmp/make.log" 2>&1; then ok; else
  bad "make in examples/erd-backend failed:"
  cat "$tmp/make.log"
  finish "cli.sdk"
  exit 1
fi

# check NAME FILE: FILE must equal tests/golden/erd/NAME.mmd.
check() {
  if [[ -n "${ZM_BLESS:-}" && -f $2 ]]; then cp "$2" "$golden/erd/$1.mmd"; fi
  if cmp -s "$2" "$golden/erd/$1.mmd"; then ok; else
    bad "$1: $2 differs from tests/golden/erd/$1.mmd"
    diff -u "$golden/erd/$1.mmd" "$2" | head -40
  fi
}
# expect WHAT STATUS STDOUT STDERR -- command...: exact status and output.
expect() {
  local what=$1 status=$2 want_out=$3 want_err=$4
  shift 5
  local out err rc
  out=$("$@" 2>"$tmp/stderr"); rc=$?
  err=$(cat "$tmp/stderr")
  if [[ $rc == "$status" && $out == "$want_out" && $err == "$want_err" ]]; then ok; else
    bad "$what: exit $rc (want $status)"
    echo "  stdout: $out"; echo "  want:   $want_out"
    echo "  stderr: $err"; echo "  want:   $want_err"
  fi
}

# 3. --backend PATH --output PATH.
mkdir -p "$tmp/work"
cd "$tmp/work" || exit 1
expect "--backend PATH" 0 "wrote out.mmd" "" -- \
  "$zmc" build --backend "$tmp/erd/erd.so" --output out.mmd --schema "$schema"
check blog out.mmd

# By name, through $ZMC_PLUGIN_PATH, and from the installed module folder.
expect "--backend erd (ZMC_PLUGIN_PATH)" 0 "wrote by-name.mmd" "" -- \
  env ZMC_PLUGIN_PATH="$tmp/erd" "$zmc" build --backend erd --output by-name.mmd --schema "$schema"
check blog by-name.mmd
if make -C "$tmp/erd" "${flags[@]}" install >"$tmp/make.log" 2>&1 && [[ -f $plugindir/erd.so ]]; then ok; else
  bad "make install did not put erd.so into $plugindir"; cat "$tmp/make.log"
fi
expect "--backend erd (installed)" 0 "wrote installed.mmd" "" -- \
  "$zmc" build --backend erd --output installed.mmd --schema "$schema"
check blog installed.mmd

# 4. A plugin block: provider is a path next to the schema, and without an
# output the module writes erd.mmd in the project folder.
mkdir -p "$tmp/proj"
cp "$tmp/erd/erd.so" "$tmp/proj/"
{ cat "$schema"; printf '\nplugin erd {\n  provider = "./erd.so"\n}\n'; } >"$tmp/proj/schema.zmodel"
expect "plugin block" 0 "wrote $tmp/proj/erd.mmd" "" -- "$zmc" build --schema "$tmp/proj/schema.zmodel"
check blog "$tmp/proj/erd.mmd"

# Options from the block: database names, an output relative to the schema.
{ cat "$schema"; printf '\nplugin erd {\n  provider = "./erd.so"\n  output   = "docs/db.mmd"\n  names    = "db"\n}\n'; } \
  >"$tmp/proj/schema.zmodel"
expect "plugin block with options" 0 "wrote $tmp/proj/docs/db.mmd" "" -- \
  "$zmc" build --schema "$tmp/proj/schema.zmodel"
check blog.db "$tmp/proj/docs/db.mmd"

# A bad option is the module's error: exit 1, nothing written.
{ cat "$schema"; printf '\nplugin erd {\n  provider = "./erd.so"\n  output   = "bad.mmd"\n  names    = "sql"\n}\n'; } \
  >"$tmp/proj/schema.zmodel"
expect "bad option" 1 "" 'zmc: erd: error: names = "sql": expected "model" or "db"' -- \
  "$zmc" build --schema "$tmp/proj/schema.zmodel"
if [[ ! -e $tmp/proj/bad.mmd ]]; then ok; else bad "bad option: bad.mmd was written"; fi

# 5. A dialect from outside the tree (examples/dialect-litefile): built from a
# copy of its folder against the installed headers, loaded by its provider
# name from $ZMC_PLUGIN_PATH, driving migrate dev, deploy and status.
cp -r "$src/examples/dialect-litefile" "$tmp/litefile"
rm -f "$tmp/litefile"/*.so
if make -C "$tmp/litefile" "${flags[@]}" >"$tmp/make.log" 2>&1 && [[ -f $tmp/litefile/dialect_litefile.so &&
  -f $tmp/litefile/db_litefile.so ]]; then ok; else
  bad "make in examples/dialect-litefile failed:"
  cat "$tmp/make.log"
fi
for m in dialect_litefile db_litefile; do
  if [[ $(nm -D --defined-only "$tmp/litefile/$m.so" | awk '{print $3}' | grep -v '^__odr_asan\.') == zmc_plugin_descriptor ]]; then ok; else
    bad "$m.so exports more than its entry point"
  fi
done
lf=$tmp/lfproj
mkdir -p "$lf"
printf 'datasource db {\n  provider = "litefile"\n  url      = "litefile:./dev.db"\n}\nmodel Note {\n  id   Int    @id @default(autoincrement())\n  text String\n}\n' \
  >"$lf/schema.zmodel"
export ZMC_PLUGIN_PATH=$tmp/litefile
if out=$("$zmc" migrate dev -n init --schema "$lf/schema.zmodel" 2>&1) && [[ $out == *"Your database is now in sync"* ]] &&
  [[ $(sqlite3 "$lf/dev.db" "PRAGMA journal_mode") == wal ]] &&
  grep -qx 'provider = "litefile"' "$lf/migrations/migration_lock.toml"; then ok; else
  bad "litefile migrate dev: $out"
fi
printf 'model Tag {\n  id Int @id\n}\n' >>"$lf/schema.zmodel"
if out=$("$zmc" migrate dev -n tags --schema "$lf/schema.zmodel" 2>&1) &&
  [[ $(sqlite3 "$lf/dev.db" "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL") == 2 ]]; then ok; else
  bad "litefile second migration: $out"
fi
sed 's|./dev.db|./prod.db|' "$lf/schema.zmodel" >"$lf/prod.zmodel"
if out=$("$zmc" migrate deploy --schema "$lf/prod.zmodel" --migrations "$lf/migrations" 2>&1) &&
  [[ $(sqlite3 "$lf/prod.db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name" | tr '\n' ' ') == "Note Tag _prisma_migrations " ]] &&
  out=$("$zmc" migrate status --schema "$lf/prod.zmodel" --migrations "$lf/migrations" 2>&1) &&
  [[ $out == *"Database schema is up to date"* ]]; then ok; else
  bad "litefile deploy/status: $out"
fi
unset ZMC_PLUGIN_PATH
if out=$("$zmc" migrate status --schema "$lf/prod.zmodel" --migrations "$lf/migrations" 2>&1); then
  bad "without its module, litefile should be unknown"
elif [[ $out == *'no database dialect for the provider "litefile"'* || $out == *'Provider "litefile" is not supported'* ]]; then ok; else
  bad "litefile without its module: $out"
fi

# 5. A project started with the installed zmc alone: the build tree gone, an
#    empty folder, a PATH of the prefix and the system, no ZMC_* variable.
#    (The Debian package is made first, from the same build: step 6.)
if (cd "$tmp/build" && cpack -G DEB) >"$tmp/cpack.log" 2>&1 && deb=$(ls "$tmp"/build/zmc_*.deb 2>/dev/null | head -1) &&
  [[ -n $deb ]] && mv "$deb" "$tmp/" && deb=$tmp/$(basename "$deb"); then ok; else
  bad "cpack -G DEB: $(tail -5 "$tmp/cpack.log")"
fi
rm -rf "$tmp/build"
proj=$tmp/newproject
mkdir -p "$proj"
clean() { (cd "$proj" && env -i HOME="$tmp" PATH="$prefix/bin:/usr/bin:/bin" "$@" 2>&1); }
if out=$(clean zmc init) && [[ -f $proj/zenstack/schema.zmodel && $(cat "$proj/.env") == *'DATABASE_URL="file:./dev.db"'* ]] &&
  grep -qx '.env' "$proj/.gitignore" && grep -qx 'zenstack/dev.db' "$proj/.gitignore"; then ok; else
  bad "installed zmc init: $out"
fi
if out=$(clean zmc check) && out=$(clean zmc format --check); then ok; else bad "the schema zmc init writes: $out"; fi
if out=$(clean zmc migrate dev -n init) && [[ $out == *"Your database is now in sync"* ]] &&
  out=$(clean zmc migrate status) && [[ $out == *"Database schema is up to date"* ]] &&
  [[ $(sqlite3 "$proj/zenstack/dev.db" "SELECT count(*) FROM sqlite_master WHERE name = 'User'") == 1 ]]; then ok; else
  bad "installed zmc migrate dev in a new project: $out"
fi
if out=$(clean zmc init); then bad "a second zmc init overwrote the schema"; elif [[ $out == *"exists already"* ]]; then ok; else
  bad "second init: $out"
fi
# a server database: the URL given goes to .env; the lines .gitignore has are not repeated
if out=$(clean zmc init --dir pg --provider postgres --url "postgresql://app:pw@db:5432/app") &&
  grep -q 'provider = "postgresql"' "$proj/pg/zenstack/schema.zmodel" &&
  [[ $(cat "$proj/pg/.env") == *'DATABASE_URL="postgresql://app:pw@db:5432/app"'* ]] &&
  [[ $(grep -c '' "$proj/pg/.gitignore") == 2 ]]; then ok; else
  bad "zmc init --provider postgres: $out"
fi
# a URL whose password holds what .env reads specially (" \ $): written literally, in single quotes
if out=$(clean zmc init --dir q --provider postgresql --url 'postgresql://u:p"w\x$y@h:1/db') &&
  grep -qxF "DATABASE_URL='postgresql://u:p\"w\\x\$y@h:1/db'" "$proj/q/.env"; then ok; else
  bad "init with a URL .env would expand: $(cat "$proj/q/.env" 2>&1) $out"
fi
if out=$(clean zmc init --dir nl --url $'file:./a\nb.db'); then bad "init took a URL with a newline"; elif
  [[ $out == *"newline"* ]]; then ok; else bad "init, a newline in the URL: $out"; fi
if out=$(clean zmc init --dir x --provider oracle); then bad "init with an unknown provider"; elif
  [[ $out == *'no database dialect for the provider "oracle"'* ]]; then ok; else bad "init oracle: $out"; fi

# 6. The Debian package: its files, its dependencies, and its zmc run from where
#    it is unpacked (no install prefix left): modules found beside the binary.
if [[ -n ${deb:-} ]]; then
  deps=$(dpkg-deb -f "$deb" Depends)
  [[ $deps == *libsqlite3* && $deps == *libpq* && $deps == *libmariadb* && $deps == *libltdl* ]] && ok || bad "the package's Depends: $deps"
  files=$(dpkg-deb -c "$deb")
  [[ $files == *"/bin/zmc"* && $files == *"/zmc/migrate.so"* && $files == *"/zmc/dialect_postgresql.so"* &&
     $files == *"/include/zmc/dialect.h"* && $files == *"/pkgconfig/zmc.pc"* ]] && ok || bad "the package's files: $files"
  rm -rf "$prefix"
  dpkg-deb -x "$deb" "$tmp/unpacked"
  bin=$(dirname "$(find "$tmp/unpacked" -path '*/bin/zmc' | head -1)")
  proj=$tmp/debproject
  mkdir -p "$proj"
  clean() { (cd "$proj" && env -i HOME="$tmp" PATH="$bin:/usr/bin:/bin" "$@" 2>&1); }
  if out=$(clean zmc init) && out=$(clean zmc migrate dev -n init) && [[ $out == *"Your database is now in sync"* ]]; then ok; else
    bad "the unpacked package's zmc: $out"
  fi
fi

finish "cli.sdk"
