#!/bin/sh
# `topout --help` in LANGUAGE=$3 shows the translation built in the build
# tree: the line of --version must be the one gettext finds for that language.
set -u
topout=${1:?usage: check-language.sh TOPOUT LOCALEDIR LANG}
localedir=${2:?}
lang=${3:?}
expected=$(LC_ALL=C.UTF-8 LANGUAGE=$lang TEXTDOMAINDIR=$localedir gettext -d topout "Print the version and exit")
[ "$expected" != "Print the version and exit" ] || { echo "no $lang translation of the --version line"; exit 1; }
out=$(LC_ALL=C.UTF-8 LANGUAGE=$lang TOPOUT_LOCALEDIR=$localedir TOPOUT_NON_UNIQUE=1 "$topout" --help 2>&1)
case $out in
  *"$expected"*) echo "topout --help in $lang: $expected"; exit 0 ;;
  *) printf 'topout --help in %s does not show "%s":\n%s\n' "$lang" "$expected" "$out"; exit 1 ;;
esac
