#!/usr/bin/env bash
# smoke.sh starts Enlace on a private Xvfb display with an empty database,
# checks that its "Enlace" window appears and the app keeps running, and
# that it quits cleanly on SIGTERM (SMOKE_QUITS times, without a session
# D-Bus).
#
# Usage: scripts/smoke.sh
# Environment:
#   ENLACE_BIN     binary to run (default bin/enlace, built if missing)
#   SMOKE_TIMEOUT  seconds to wait for the window (default 30)
#   SMOKE_SHOT     if set, copy the screenshot (PNG) to this path
#   SMOKE_TITLE    exact title of the main window (default Enlace)
# Relative paths are taken from the current directory.
#
# It stops only the processes it started, by PID, whatever way it exits.
set -euo pipefail

# abs makes path $1 absolute against the directory the script was started in.
abs() {
	if [[ $1 == /* ]]; then echo "$1"; else echo "$PWD/$1"; fi
}
bin=''
shot_dest=''
[[ -z ${ENLACE_BIN:-} ]] || bin=$(abs "$ENLACE_BIN")
[[ -z ${SMOKE_SHOT:-} ]] || shot_dest=$(abs "$SMOKE_SHOT")

cd "$(dirname "$0")/.."
bin=${bin:-$PWD/bin/enlace}
timeout=${SMOKE_TIMEOUT:-30}
title=${SMOKE_TITLE:-Enlace}

fail() {
	printf 'smoke: FAIL: %s\n' "$@" >&2
	exit 1
}

for cmd in Xvfb xwininfo import; do
	command -v "$cmd" >/dev/null 2>&1 ||
		fail "'$cmd' not found; install the test packages with: make test-deps"
done

if [[ ! -x $bin ]]; then
	echo "smoke: building $bin"
	go build -o "$bin" ./cmd/enlace
fi

# A command on a minimal system's C locale prints its answer and nothing
# of Fyne's "Error parsing user locale C".
out=$(env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 "$bin" version 2>&1) || fail "'$bin version' failed: $out"
if grep -q 'Error parsing user locale' <<<"$out"; then
	fail "on LANG=C.UTF-8 '$bin version' prints Fyne's locale error: $out"
fi

tmp=$(mktemp -d -t enlace-smoke.XXXXXX)
# shellcheck source=scripts/xvfb.sh
source scripts/xvfb.sh
app_pid=

cleanup() {
	stop "$app_pid"
	stop "$xvfb_pid"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# show_app_output prints what the app wrote, for diagnosing a failure.
show_app_output() {
	echo "smoke: --- app stderr (last 100 lines) ---" >&2
	tail -n 100 "$tmp/app.err" >&2 || true
	if [[ -s $tmp/app.out ]]; then
		echo "smoke: --- app stdout ---" >&2
		tail -n 20 "$tmp/app.out" >&2 || true
	fi
	echo "smoke: --- end ---" >&2
}

start_display 99 120 || fail "could not start Xvfb on any free display in :99..:120"
echo "smoke: Xvfb on $display (pid $xvfb_pid)"

# Fyne keeps preferences under the XDG dirs: isolate them from the user's.
mkdir -p "$tmp/config" "$tmp/cache" "$tmp/data"
env -u DBUS_SESSION_BUS_ADDRESS DISPLAY=$display LANG=es_ES.UTF-8 LIBGL_ALWAYS_SOFTWARE=1 \
	XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache XDG_DATA_HOME=$tmp/data \
	"$bin" --db "$tmp/smoke.db" </dev/null >"$tmp/app.out" 2>"$tmp/app.err" &
app_pid=$!
echo "smoke: started $bin --db $tmp/smoke.db (pid $app_pid)"

# window_shown succeeds when a viewable window named exactly $title exists.
# xwininfo prints each window as: 0x200001 "Name": ("class" "Class") ...
window_shown() {
	local tree id ids
	tree=$(xwininfo -display "$display" -root -tree 2>/dev/null) || return 1
	mapfile -t ids < <(awk -v t="\"$title\":" 'index($0, t) { print $1 }' <<<"$tree")
	for id in "${ids[@]}"; do
		if xwininfo -display "$display" -id "$id" 2>/dev/null | grep -q 'Map State: IsViewable'; then
			return 0
		fi
	done
	return 1
}

shown=false
start=$SECONDS
while ((SECONDS - start < timeout)); do
	if ! kill -0 "$app_pid" 2>/dev/null; then
		rc=0
		wait "$app_pid" || rc=$?
		app_pid=
		show_app_output
		fail "$bin exited with status $rc before its window appeared"
	fi
	if window_shown; then
		shown=true
		break
	fi
	sleep 0.5
done
if ! $shown; then
	xwininfo -display "$display" -root -tree >&2 2>/dev/null || true
	show_app_output
	fail "no window named \"$title\" appeared within ${timeout}s"
fi
echo "smoke: window \"$title\" appeared after $((SECONDS - start))s"

# Give the first frame time to render, then take the screenshot.
sleep 2
shot=$tmp/screenshot.png
if import -display "$display" -window root "$shot" 2>"$tmp/import.err"; then
	if [[ -n $shot_dest ]]; then
		mkdir -p "$(dirname "$shot_dest")"
		cp "$shot" "$shot_dest"
		echo "smoke: screenshot saved to $shot_dest"
	fi
else
	echo "smoke: warning: screenshot failed: $(cat "$tmp/import.err")" >&2
fi

if ! kill -0 "$app_pid" 2>/dev/null; then
	rc=0
	wait "$app_pid" || rc=$?
	app_pid=
	show_app_output
	fail "$bin exited with status $rc after its window appeared"
fi

# quit_cleanly asks the app to quit as the desktop does at logout
# (SIGTERM) and fails unless it exits by itself with status 0 and no
# panic: systray's exit code once dereferenced a missing session D-Bus.
quit_cleanly() {
	kill -TERM "$app_pid"
	local rc=0 waited=0
	while kill -0 "$app_pid" 2>/dev/null && ((waited < 150)); do
		sleep 0.1
		waited=$((waited + 1))
	done
	if kill -0 "$app_pid" 2>/dev/null; then
		show_app_output
		fail "$bin did not quit within 15 s of SIGTERM"
	fi
	wait "$app_pid" || rc=$?
	app_pid=
	if ((rc != 0)) || grep -q '^panic:\|^goroutine .* \[running\]' "$tmp/app.err"; then
		show_app_output
		fail "$bin quit with status $rc after SIGTERM (start $1)"
	fi
}

# start_app starts the app on the test database, without a session D-Bus
# (as in CI and on desktops without one).
start_app() {
	env -u DBUS_SESSION_BUS_ADDRESS DISPLAY="$display" LANG=es_ES.UTF-8 LIBGL_ALWAYS_SOFTWARE=1 \
		XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/data" \
		"$bin" --db "$tmp/smoke.db" </dev/null >"$tmp/app.out" 2>"$tmp/app.err" &
	app_pid=$!
}

quit_cleanly 1
# The panic came 3 times in 4: quit a few more times, each start also
# proving the previous one released the database's lock.
quits=${SMOKE_QUITS:-4}
for ((i = 2; i <= quits; i++)); do
	start_app
	start=$SECONDS
	until window_shown; do
		if ! kill -0 "$app_pid" 2>/dev/null || ((SECONDS - start >= timeout)); then
			show_app_output
			fail "start $i: no window within ${timeout}s (or the app exited)"
		fi
		sleep 0.3
	done
	sleep 1
	quit_cleanly "$i"
done
echo "smoke: quit cleanly on SIGTERM $quits times, without a session D-Bus"

echo "smoke: PASS: window \"$title\" shown on $display, and Enlace quits cleanly"
