#!/usr/bin/env bash
# structure.sh — the boundaries of the code, checked:
#
#   providers  outside the dialect folders (backends/sql/dialects/*) no code
#              compares anything with a provider name ("sqlite", "postgresql",
#              "postgres", "mysql", "mariadb"): what differs between databases
#              is read off a dialect's descriptor;
#   includes   runtime/ includes no header of backends/ or plugins/;
#   headers    every installed header (include/zmc/*.h) compiles alone, as C
#              and as C++, with every warning an error;
#   exports    every module of the build defines one dynamic symbol, its
#              entry point zmc_plugin_descriptor (nm -D --defined-only; the
#              sanitizers' own markers aside);
#   engine     the migration engine (plugins/migrate) includes only zmc/
#              headers and its own, and migrate.so holds no function or data
#              of zmc's libraries (runtime, front end, databases, SQL and
#              Prisma backends): everything comes through the host's tables.
#
# Each check prints what breaks it; the test fails if any does.
set -uo pipefail
: "${SRC:?}" "${MODULES:?}" "${CC:?}" "${ZMC_LIBS:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() {
  echo "FAIL: $*"
  fail=$((fail + 1))
}
cd "$SRC"

# ---- providers ----------------------------------------------------------------------------
names='sqlite|postgresql|postgres|mysql|mariadb'
hits=$(grep -rnE --include='*.c' --include='*.h' --include='*.y' --include='*.l' \
  "(str(n|case|ncase)?cmp|memcmp)[[:space:]]*\([^;]*\"($names)\"|[=!]=[[:space:]]*\"($names)\"|\"($names)\"[[:space:]]*[=!]=" \
  backends plugins runtime cli frontend include | grep -v '^backends/sql/dialects/')
if [[ -z $hits ]]; then ok; else bad "provider comparisons outside the dialect folders:"$'\n'"$hits"; fi
# the check finds what it looks for
printf 'int f(const char *p) { return strcmp(p, "mysql") == 0; }\n' >"$tmp/probe.c"
if grep -qE "(str(n|case|ncase)?cmp|memcmp)[[:space:]]*\([^;]*\"($names)\"" "$tmp/probe.c"; then ok; else bad "the provider check misses a strcmp"; fi

# ---- includes ------------------------------------------------------------------------------
private=$(find backends plugins -name '*.h' -printf '%f\n' | sort -u)
hits=""
while IFS= read -r line; do
  h=${line#*#include \"}
  h=${h%%\"*}
  [[ $h == zmc/* ]] && continue
  [[ -f runtime/$h || -f runtime/db/$h ]] && continue
  if grep -qxF "$(basename "$h")" <<<"$private"; then hits+="$line"$'\n'; fi
done < <(grep -rn '#include "' runtime)
if [[ -z $hits ]]; then ok; else bad "runtime/ includes headers of backends/ or plugins/:"$'\n'"$hits"; fi

# ---- headers ----------------------------------------------------------------------------------
for h in include/zmc/*.h; do
  printf '#include "zmc/%s"\n#include "zmc/%s"\nint zm_header_probe;\n' "$(basename "$h")" "$(basename "$h")" >"$tmp/h.c"
  if "$CC" -std=c17 -Wall -Wextra -Werror -pedantic -fsyntax-only -I include "$tmp/h.c" 2>"$tmp/err"; then ok; else
    bad "$h does not compile alone as C: $(cat "$tmp/err")"
  fi
  if command -v c++ >/dev/null; then
    cp "$tmp/h.c" "$tmp/h.cc"
    if c++ -std=c++17 -Wall -Wextra -Werror -fsyntax-only -I include "$tmp/h.cc" 2>"$tmp/err"; then ok; else
      bad "$h does not compile alone as C++: $(cat "$tmp/err")"
    fi
  fi
done

# ---- exports -----------------------------------------------------------------------------------
count=0
for m in "$MODULES"/*.so; do
  count=$((count + 1))
  # (AddressSanitizer adds an __odr_asan.<name> marker beside each global)
  syms=$(nm -D --defined-only "$m" | awk '{print $3}' | grep -v '^$' | grep -v '^__odr_asan\.')
  if [[ $syms == zmc_plugin_descriptor ]]; then ok; else
    bad "$(basename "$m") exports more than its entry point: $(tr '\n' ' ' <<<"$syms")"
  fi
done
if ((count >= 9)); then ok; else bad "only $count modules in $MODULES"; fi

# ---- engine -------------------------------------------------------------------------------------
hits=""
while IFS= read -r line; do
  h=${line#*#include \"}
  h=${h%%\"*}
  [[ $h == zmc/* || -f plugins/migrate/$h ]] || hits+="$line"$'\n'
done < <(grep -rn '#include "' plugins/migrate)
if [[ -z $hits ]]; then ok; else bad "the migration engine includes headers outside include/zmc:"$'\n'"$hits"; fi
# every global a zmc library defines, then which of them a module holds
# (its full symbol table: static linking leaves them there, hidden)
# shellcheck disable=SC2086
nm --defined-only -g $ZMC_LIBS 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u >"$tmp/zmc_syms"
held() { nm --defined-only "$1" 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u | comm -12 - "$tmp/zmc_syms"; }
if [[ -f $MODULES/migrate.so ]]; then
  linked=$(held "$MODULES/migrate.so")
  if [[ -z $linked ]]; then ok; else
    bad "migrate.so links zmc's libraries statically: $(head -20 <<<"$linked" | tr '\n' ' ')"
  fi
else
  bad "no migrate.so in $MODULES"
fi
# the check finds what it looks for: the sql module does link its library
if [[ -n $(held "$MODULES/sql.so" | grep -x zm_rel_lower) ]]; then ok; else
  bad "the link check does not see zm_sql's zm_rel_lower in sql.so"
fi

echo "structure: $pass passed, $fail failed"
[[ $fail == 0 ]]
