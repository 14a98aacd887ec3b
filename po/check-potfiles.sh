#!/bin/sh
# Every source file with translatable strings is listed in po/POTFILES.in,
# and every file listed there exists. In a git checkout only the files git
# tracks are searched, so work in progress does not fail the suite.
set -u
cd "${1:?usage: check-potfiles.sh SOURCE_ROOT}" || exit 2
status=0

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')

for file in $listed; do
  [ -f "$file" ] || { echo "po/POTFILES.in lists $file, which does not exist"; status=1; }
done

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  sources=$(git ls-files -- 'src/*.c' 'bench/*.c' 'data/*.ui')
else
  sources=$(find src bench data -name '*.c' -o -name '*.ui')
fi

for file in $sources; do
  [ -f "$file" ] || continue
  case "$file" in
    *.c)  grep -qE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext)[[:space:]]*\(' "$file" || continue ;;
    *.ui) grep -q 'translatable="yes"' "$file" || continue ;;
  esac
  printf '%s\n' "$listed" | grep -qxF "$file" ||
    { echo "$file has translatable strings but is not in po/POTFILES.in"; status=1; }
done

[ "$status" -eq 0 ] && echo "po/POTFILES.in lists every file with translatable strings"
exit "$status"
