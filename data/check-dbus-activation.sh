#!/bin/sh
# check-dbus-activation.sh APP_ID TOPOUT
#
# What a launcher does with DBusActivatable=true, on a private session bus:
# org.freedesktop.Application.Activate on APP_ID makes the bus start
# `TOPOUT --gapplication-service` (from a service file like the installed
# one), which then opens its window; app.quit ends it. Needs a display
# (./dev test runs the suite under Xvfb); skipped without one.
set -u

app_id=$1 topout=$2

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "SKIP: no display"
  exit 77
fi
for tool in dbus-run-session gdbus; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool not found"
    exit 77
  fi
done
[ -x "$topout" ] || { echo "not ok: $topout is not built"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/services"
printf '[D-BUS Service]\nName=%s\nExec=%s --gapplication-service --db %s/topout.db\n' \
  "$app_id" "$topout" "$tmp" > "$tmp/services/$app_id.service"
cat > "$tmp/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$tmp</listen>
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

object_path=/$(printf '%s' "$app_id" | tr '.-' '/_')

# shellcheck disable=SC2016 # expanded by the inner shell
APP_ID=$app_id OBJECT_PATH=$object_path \
  dbus-run-session --config-file="$tmp/session.conf" -- sh -c '
    set -u
    if ! gdbus call --session --timeout 30 --dest "$APP_ID" --object-path "$OBJECT_PATH" \
         --method org.freedesktop.Application.Activate "{}" >/dev/null; then
      echo "not ok: Activate did not start $APP_ID"
      exit 1
    fi
    echo "ok: the bus started $APP_ID and Activate returned"
    # The window exports its actions at OBJECT_PATH/window/1 once it exists.
    i=0
    until gdbus call --session --dest "$APP_ID" --object-path "$OBJECT_PATH/window/1" \
            --method org.gtk.Actions.List >/dev/null 2>&1; do
      i=$((i + 1))
      if [ "$i" -ge 200 ]; then
        echo "not ok: no window 20 s after Activate"
        exit 1
      fi
      sleep 0.1
    done
    echo "ok: Activate opened the window"
    gdbus call --session --dest "$APP_ID" --object-path "$OBJECT_PATH" \
      --method org.freedesktop.Application.ActivateAction quit "[]" "{}" >/dev/null
    i=0
    while gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
            --method org.freedesktop.DBus.NameHasOwner "$APP_ID" 2>/dev/null | grep -q true; do
      i=$((i + 1))
      if [ "$i" -ge 100 ]; then
        echo "not ok: app.quit did not end the service"
        exit 1
      fi
      sleep 0.1
    done
    echo "ok: app.quit ended the service"'
