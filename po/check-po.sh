#!/bin/sh
# A translation is well-formed (msgfmt --check: formats, headers, one
# mnemonic per string) and complete: no untranslated or fuzzy message.
set -u
po=${1:?usage: check-po.sh FILE.po}
stats=$(LC_ALL=C msgfmt --check --check-accelerators=_ --statistics -o /dev/null "$po" 2>&1) || {
  printf '%s\n' "$stats"
  exit 1
}
printf '%s: %s\n' "$po" "$stats"
case $stats in
  *untranslated*|*fuzzy*) echo "$po is not complete"; exit 1 ;;
esac
exit 0
