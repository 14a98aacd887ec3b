#!/bin/sh
# check-app-id.sh APP_ID EXEC DESKTOP METAINFO SERVICE ICON CONFIG_H
#
# The desktop file, the AppStream metainfo and the D-Bus service file that the
# build generated carry the configured profile's application id
# (io.github.topout.Topout, or io.github.topout.Topout.Devel with
# -Dprofile=development), and the service starts the installed binary.
set -u

app_id=$1 exec_path=$2 desktop=$3 metainfo=$4 service=$5 icon=$6 config_h=$7
failed=0

fail () {
  printf 'not ok: %s\n' "$*"
  failed=1
}

# VALUE of KEY= in the [GROUP] of a key file (desktop and service files).
key () {
  awk -v group="[$2]" -v key="$3" '
    /^\[/ { in_group = ($0 == group); next }
    in_group && index($0, key "=") == 1 { print substr($0, length(key) + 2); exit }
  ' "$1"
}

expect () {
  if [ "$2" = "$3" ]; then
    printf 'ok: %s is %s\n' "$1" "$3"
  else
    fail "$1 is '$2', expected '$3'"
  fi
}

for f in "$desktop" "$metainfo" "$service" "$icon" "$config_h"; do
  [ -f "$f" ] || fail "$f does not exist"
done
[ "$failed" -eq 0 ] || exit 1

# Desktop file: DBusActivatable=true needs the file name to be the app id.
expect "desktop file name" "$(basename "$desktop")" "$app_id.desktop"
expect "desktop Icon" "$(key "$desktop" 'Desktop Entry' Icon)" "$app_id"
expect "desktop DBusActivatable" "$(key "$desktop" 'Desktop Entry' DBusActivatable)" true
expect "desktop Exec" "$(key "$desktop" 'Desktop Entry' Exec)" topout

# Metainfo: id, launchable and the binary it provides.
expect "metainfo file name" "$(basename "$metainfo")" "$app_id.metainfo.xml"
expect "metainfo id" "$(sed -n 's:^ *<id>\(.*\)</id> *$:\1:p' "$metainfo")" "$app_id"
expect "metainfo launchable" \
  "$(sed -n 's:^ *<launchable type="desktop-id">\(.*\)</launchable> *$:\1:p' "$metainfo")" \
  "$app_id.desktop"
expect "metainfo provides binary" "$(sed -n 's:^ *<binary>\(.*\)</binary> *$:\1:p' "$metainfo")" topout

# D-Bus service: named after the app id, starting the installed binary as a
# GApplication service.
expect "service file name" "$(basename "$service")" "$app_id.service"
expect "service Name" "$(key "$service" 'D-BUS Service' Name)" "$app_id"
expect "service Exec" "$(key "$service" 'D-BUS Service' Exec)" "$exec_path --gapplication-service"
case $exec_path in
  /*) printf 'ok: service Exec is an absolute path\n' ;;
  *) fail "service Exec '$exec_path' is not an absolute path" ;;
esac

# The app icon installed under the app id exists in the source tree.
expect "icon file name" "$(basename "$icon")" "$app_id.svg"

# The binary registers the same id on the bus (GApplication), while its
# GSettings schema keeps the base id for both profiles.
expect "compiled-in APPLICATION_ID" \
  "$(sed -n 's/^#define APPLICATION_ID "\(.*\)"$/\1/p' "$config_h")" "$app_id"
expect "compiled-in BASE_APPLICATION_ID (GSettings schema id)" \
  "$(sed -n 's/^#define BASE_APPLICATION_ID "\(.*\)"$/\1/p' "$config_h")" io.github.topout.Topout

exit "$failed"
