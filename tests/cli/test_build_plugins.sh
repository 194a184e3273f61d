#!/usr/bin/env bash
# test_build_plugins.sh — `zmc build` with the loader's fixture modules
# (tests/unit/fixtures), and `zmc migrate` with a wrong engine module: every way a module can fail to load gets its own
# message, and a backend's error writes nothing. The messages, with the
# fixture and module folders replaced by <fixtures>, <modules> and
# <installed>, must equal tests/golden/build/plugin-errors.txt
# (ZM_BLESS=1 rewrites it).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
: "${FIXTURES:?set FIXTURES to the fixture module folder}" "${MODULES:?}" "${INSTALLED:?}"

printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n\nmodel A {\n  id Int @id\n}\n' \
  >"$tmp/schema.zmodel"
cd "$tmp" || exit 1

actual=$(
  for backend in nope "$FIXTURES/absent.so" "$FIXTURES/nodesc.so" "$FIXTURES/abi_major.so" \
                 "$FIXTURES/abi_minor.so" "$FIXTURES/undefined.so" "$FIXTURES/notelf.so"; do
    echo "\$ zmc build --backend $backend"
    ZMC_PLUGIN_PATH=/nonexistent/zmc-plugins "$ZMC" build --backend "$backend" --output out.txt 2>&1
    echo "exit $?"
  done
  # A backend that reports an error: exit 1 and no file.
  printf '\nplugin good {\n  provider = "%s"\n  fail     = true\n}\n' "$FIXTURES/good.so" >>schema.zmodel
  echo "\$ zmc build (plugin good, fail = true)"
  "$ZMC" build 2>&1
  echo "exit $?"
  ls
  # The migration engine is a module too, found through the same search
  # path: a backend in its place is refused, a missing one named.
  mkdir engine
  ln -s "$FIXTURES/good.so" engine/migrate.so
  echo "\$ zmc migrate status (migrate.so is a backend)"
  ZMC_PLUGIN_PATH=$tmp/engine "$ZMC" migrate status 2>&1
  echo "exit $?"
  ln -sf "$FIXTURES/notelf.so" engine/migrate.so
  echo "\$ zmc db push (migrate.so is not a shared object)"
  ZMC_PLUGIN_PATH=$tmp/engine "$ZMC" db push 2>&1
  echo "exit $?"
)
actual=${actual//$tmp/<tmp>}
actual=${actual//$FIXTURES/<fixtures>}
actual=${actual//$MODULES/<modules>}
actual=${actual//$INSTALLED/<installed>}

want=$golden/build/plugin-errors.txt
if [[ -n "${ZM_BLESS:-}" ]]; then printf '%s\n' "$actual" >"$want"; fi
if [[ "$actual" == "$(cat "$want")" ]]; then ok; else
  bad "zmc build messages differ from tests/golden/build/plugin-errors.txt"
  diff -u "$want" <(printf '%s\n' "$actual")
fi

finish "cli.build_plugins"
