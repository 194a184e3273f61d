#!/usr/bin/env bash
# test_language.sh — language rules found missing on real projects:
#
#   - a schema without a datasource (after its imports are merged): zmc
#     check takes it (a module is checked alone), but build, ir and the
#     migration commands stop with ZenStack's words for the level;
#   - ZenStack 3 warns of a generator block (v3 uses no Prisma client),
#     ZenStack 2 does not;
#   - the attributes a plugin declares in its plugin.zmodel (a package in
#     node_modules, or a path) are known wherever the plugin block is, and
#     unknown without it.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

ds='datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n\n'

# ---- no datasource
printf 'model A {\n  id Int @id\n}\n' >"$tmp/module.zmodel"
"$ZMC" check --schema "$tmp/module.zmodel" >/dev/null 2>&1 && ok || bad "check of a module without a datasource failed"
for cmd in "build --backend prisma --output $tmp/out.prisma" "ir" "migrate dev -n x"; do
  out=$("$ZMC" $cmd --schema "$tmp/module.zmodel" 2>&1)
  [[ $? != 0 && $out == *"schema must have a datasource declaration"* ]] && ok || bad "$cmd without a datasource: $out"
done
out=$("$ZMC" build --zenstack 2 --backend prisma --output "$tmp/out.prisma" --schema "$tmp/module.zmodel" 2>&1)
[[ $? == 1 && $out == *"Model must define a datasource"* ]] && ok || bad "v2 build without a datasource: $out"
# one in an imported file is enough
printf "$ds" >"$tmp/ds.zmodel"
printf 'import "ds"\nmodel A {\n  id Int @id\n}\n' >"$tmp/main.zmodel"
"$ZMC" build --backend prisma --output "$tmp/out.prisma" --schema "$tmp/main.zmodel" >/dev/null 2>&1 && ok ||
  bad "a datasource in an imported file was not found"

# ---- a generator block: a warning with v3 rules only
printf "$ds"'generator client {\n  provider = "prisma-client-js"\n}\n\nmodel A {\n  id Int @id\n}\n' >"$tmp/gen.zmodel"
out=$("$ZMC" check --schema "$tmp/gen.zmodel" 2>&1)
[[ $? == 0 && $out == *'gen.zmodel:6:1: warning: "generator" is not used by ZenStack and should be removed.'* ]] && ok ||
  bad "v3 generator: $out"
out=$("$ZMC" check --zenstack 2 --schema "$tmp/gen.zmodel" 2>&1)
[[ $? == 0 && $out != *warning* ]] && ok || bad "v2 generator: $out"

# ---- a plugin's own attributes
p=$tmp/plugins
mkdir -p "$p/node_modules/zenstack-audit" "$p/local"
printf 'attribute @audited(_ reason: String?)\nattribute @@audit(table: String)\n' >"$p/node_modules/zenstack-audit/plugin.zmodel"
printf 'attribute @secret()\n' >"$p/local/plugin.zmodel"
{
  printf "$ds"'plugin audit {\n  provider = "zenstack-audit"\n}\n\nplugin local {\n  provider = "./local"\n}\n\n'
  printf 'model User {\n  id    Int    @id\n  email String @audited("pii") @secret\n  @@audit(table: "user_audit")\n}\n'
} >"$p/schema.zmodel"
out=$("$ZMC" check --schema "$p/schema.zmodel" 2>&1)
[[ $? == 0 ]] && ok || bad "plugin attributes: $out"
"$ZMC" build --backend sql --output "$tmp/plugins.sql" --schema "$p/schema.zmodel" >/dev/null 2>&1 && ok ||
  bad "plugin attributes: build"
mkdir -p "$p/sub"
sed 's|"./local"|"../local"|' "$p/schema.zmodel" >"$p/sub/schema.zmodel" # packages found from a parent folder too
"$ZMC" check --schema "$p/sub/schema.zmodel" >/dev/null 2>&1 && ok || bad "plugin attributes: node_modules in a parent folder"
sed 's/"zenstack-audit"/"not-installed"/' "$p/schema.zmodel" >"$p/missing.zmodel"
out=$("$ZMC" check --schema "$p/missing.zmodel" 2>&1)
[[ $? == 1 && $out == *"Could not resolve reference to Attribute named '@audited'"* ]] && ok ||
  bad "plugin attributes without the plugin: $out"

finish cli.language
