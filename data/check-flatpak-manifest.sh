#!/bin/sh
# check-flatpak-manifest.sh FLATPAK_BUILDER MANIFEST
#
# flatpak-builder parses the manifest (no runtime needed), and the parsed
# manifest keeps the sandbox as narrow as the README says: no file system
# access and no session-bus holes (files go through the file chooser portal).
set -u

builder=$1 manifest=$2
# flatpak-builder leaves a .flatpak-builder/ state folder in its working
# directory: run it in a throw-away one.
case $manifest in /*) ;; *) manifest=$PWD/$manifest ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/manifest.json err=$tmp/stderr

if ! (cd "$tmp" && "$builder" --show-manifest "$manifest") > "$out" 2> "$err"; then
  cat "$err"
  echo "not ok: flatpak-builder --show-manifest $manifest failed"
  exit 1
fi
# A misspelt property is only a warning for flatpak-builder; not here.
if [ -s "$err" ]; then
  cat "$err"
  echo "not ok: flatpak-builder warns about $manifest"
  exit 1
fi
echo "ok: flatpak-builder parses $manifest"

failed=0
for arg in --filesystem --talk-name --system-talk-name --socket=session-bus \
            --socket=system-bus --socket=x11 --device=all; do
  if grep -q -- "\"$arg" "$out"; then
    echo "not ok: the manifest asks for $arg"
    failed=1
  fi
done
for arg in --share=network --share=ipc --socket=wayland --socket=fallback-x11 --device=dri; do
  if ! grep -q -- "\"$arg\"" "$out"; then
    echo "not ok: the manifest lacks $arg"
    failed=1
  fi
done
[ "$failed" -eq 0 ] && echo "ok: finish-args are the least the app needs"
# The folders ./dev and .ci/run make in the checkout are not copied into the
# build (the benchmarks' databases alone are hundreds of MB).
for dir in .git .dev-data _build _build-asan _build-bench; do
  if ! grep -q -- "\"$dir\"" "$out"; then
    echo "not ok: the manifest copies $dir into the build (add it to the source's skip)"
    failed=1
  fi
done
exit "$failed"
