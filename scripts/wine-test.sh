#!/usr/bin/env bash
# wine-test.sh runs the Windows build, bin/enlace.exe, under Wine (Debian's
# wine64) in a new private Wine prefix on a private Xvfb display, and checks
# what a coordinator does on Windows: the version; a demo database on the C:
# drive; a PDF; a backup to a folder, its list, and a restore (beside the
# database and over it); the window, opened with no --db, creating its
# database in %AppData%\Enlace and drawing something (a screenshot with more
# than a few colours); and the Spanish message a second Enlace gets for the
# same database, from the command line and as a window.
#
# Wine 8 lacks ProcessPrng in bcryptprimitives.dll, which Go 1.24+ needs for
# crypto/rand: a stand-in built from scripts/wine/bcryptprimitives.c is put
# in the prefix's system32 (never shipped: real Windows has the real one).
#
# Usage: scripts/wine-test.sh
# Environment:
#   ENLACE_EXE     Windows binary to run (default bin/enlace.exe, built with
#                  `make build-windows` if missing)
#   WINE           Wine loader (default /usr/lib/wine/wine64, else wine64)
#   WINE_TIMEOUT   seconds for each command and for the window (default 60)
#   WINE_SHOT      if set, copy the screenshot (PNG) to this path, and the
#                  second instance's error window to its -locked.png
#   WINE_KEEP      if set, keep the prefix and print where it is
# Relative paths are taken from the current directory. Never reads stdin.
#
# It stops only what it started: the app and Xvfb by PID, and the Wine
# processes of its own prefix with `wineserver -k`, whatever way it exits.
set -euo pipefail

abs() {
	if [[ $1 == /* ]]; then echo "$1"; else echo "$PWD/$1"; fi
}
exe=''
shot_dest=''
[[ -z ${ENLACE_EXE:-} ]] || exe=$(abs "$ENLACE_EXE")
[[ -z ${WINE_SHOT:-} ]] || shot_dest=$(abs "$WINE_SHOT")

cd "$(dirname "$0")/.."
exe=${exe:-$PWD/bin/enlace.exe}
timeout=${WINE_TIMEOUT:-60}
started=$SECONDS

fail() {
	printf 'wine-test: FAIL: %s\n' "$@" >&2
	exit 1
}
say() { printf 'wine-test: %s\n' "$*"; }

# shellcheck source=scripts/wine/lib.sh
source scripts/wine/lib.sh
# shellcheck source=scripts/xvfb.sh
source scripts/xvfb.sh
[[ -n $wine && -x $wine && -n $wineserver ]] ||
	fail "Wine not found (wine64); install the test packages with: make test-deps"
for cmd in Xvfb xwininfo import convert pdfinfo x86_64-w64-mingw32-gcc; do
	command -v "$cmd" >/dev/null 2>&1 ||
		fail "'$cmd' not found; install the test packages with: make test-deps"
done

if [[ ! -f $exe ]]; then
	say "building $exe"
	make --no-print-directory build-windows BIN_WINDOWS="$exe"
fi

tmp=$(mktemp -d -t enlace-wine.XXXXXX)
export CI=true LANG=es_ES.UTF-8
export ENLACE_USER=prueba ENLACE_PASSPHRASE='frase de la prueba en wine'
export ENLACE_BACKUP_PASSPHRASE='copia de la prueba en wine'
unset ENLACE_DB
app_pid=
app2_pid=

cleanup() {
	stop "$app2_pid"
	stop "$app_pid"
	kill_prefix # only this prefix's processes
	stop "$xvfb_pid"
	if [[ -n ${WINE_KEEP:-} ]]; then
		echo "wine-test: prefix kept in $tmp/prefix" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# smoke.sh takes :99..:120; both may run at once
start_display 121 140 || fail "could not start Xvfb on any free display in :121..:140"
export DISPLAY=$display
say "Xvfb on $display (pid $xvfb_pid)"

# The prefix: a new Windows, with the ProcessPrng stand-in.
say "creating the Wine prefix ($("$wine" --version 2>/dev/null || echo wine))"
new_prefix "$tmp/prefix" || fail "could not create the Wine prefix (wineboot -i)"
c=$WINEPREFIX/drive_c
cp "$exe" "$c/enlace.exe"

# win runs enlace.exe with arguments $@, its stdout in $tmp/out, its
# stderr in $tmp/err, and returns its status.
win() {
	timeout "$timeout" "$wine" 'C:\enlace.exe' "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
}
# ok runs win and fails, showing the output, unless it exits 0.
ok() {
	local rc=0
	win "$@" || rc=$?
	if ((rc != 0)); then
		cat "$tmp/out" "$tmp/err" >&2
		fail "enlace.exe $* exited with status $rc"
	fi
}

ok version
grep -q '^Enlace ' "$tmp/out" || fail "enlace.exe version printed: $(cat "$tmp/out")"
say "version: $(tr -d '\r' <"$tmp/out")"

db='C:\Enlace prueba\demo.db' # a space, as in "Mis documentos"
mkdir -p "$c/Enlace prueba"
ok demo --db "$db" --people 60
[[ -s "$c/Enlace prueba/demo.db" ]] || fail "demo wrote no $c/Enlace prueba/demo.db"
say "demo: $(tr -d '\r' <"$tmp/out")"
ok info --db "$db"
tr -d '\r' <"$tmp/out" | grep -v '^Base de datos' >"$tmp/info.before"

ok pdf stats --db "$db" -o 'C:\Enlace prueba\estadisticas.pdf'
pdf=$c/Enlace\ prueba/estadisticas.pdf
pages=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
[[ ${pages:-0} -ge 1 ]] || fail "the PDF $pdf is not readable by pdfinfo"
say "pdf: $pages pages, $(stat -c %s "$pdf") bytes"

ok backup --db "$db" --to 'C:\Copias Enlace'
say "backup: $(tr -d '\r' <"$tmp/out")"
mapfile -t copies < <(ls -A "$c/Copias Enlace")
[[ ${#copies[@]} == 1 && ${copies[0]} == enlace-*.age ]] ||
	fail "the backup folder holds '${copies[*]}', want one enlace-*.age (no .tmp left)"
leftovers=$(ls -A "$c/Enlace prueba" | grep '\.tmp$' || true)
[[ -z $leftovers ]] || fail "the backup left temporary files beside the database: $leftovers"
ok backup list --from 'C:\Copias Enlace'
grep -q '1 copias' "$tmp/out" || fail "backup list printed: $(cat "$tmp/out")"

ok restore latest --from 'C:\Copias Enlace' --db 'C:\Enlace prueba\restaurada.db'
ok info --db 'C:\Enlace prueba\restaurada.db'
tr -d '\r' <"$tmp/out" | grep -v '^Base de datos' >"$tmp/info.after"
diff "$tmp/info.before" "$tmp/info.after" >&2 || fail "the restored database does not hold what was backed up"
ok restore latest --from 'C:\Copias Enlace' --db "$db"
grep -q 'before-restore' "$tmp/out" || fail "restore over the database kept no copy: $(cat "$tmp/out")"
say "restore: into a new file and over the database (old one kept as .before-restore)"

# The window, with no --db: the database goes to %AppData%\Enlace.
DISPLAY=$display timeout 600 "$wine" 'C:\enlace.exe' </dev/null >"$tmp/app.out" 2>"$tmp/app.err" &
app_pid=$!
say "started enlace.exe with no --db (pid $app_pid)"

# window_shown succeeds when a viewable window named exactly $1 exists.
window_shown() {
	local tree id ids
	tree=$(xwininfo -display "$display" -root -tree 2>/dev/null) || return 1
	mapfile -t ids < <(awk -v t="\"$1\":" 'index($0, t) { print $1 }' <<<"$tree")
	for id in "${ids[@]}"; do
		if xwininfo -display "$display" -id "$id" 2>/dev/null | grep -q 'Map State: IsViewable'; then
			return 0
		fi
	done
	return 1
}
# wait_window waits for window $1 of process $2.
wait_window() {
	local start=$SECONDS
	while ((SECONDS - start < timeout)); do
		kill -0 "$2" 2>/dev/null || return 1
		window_shown "$1" && return 0
		sleep 0.5
	done
	return 1
}
if ! wait_window Enlace "$app_pid"; then
	xwininfo -display "$display" -root -tree >&2 2>/dev/null || true
	tail -n 50 "$tmp/app.err" >&2 || true
	fail "no window named \"Enlace\" appeared within ${timeout}s"
fi
say "window \"Enlace\" appeared"

appdata=$(find "$c/users" -path '*/AppData/Roaming/Enlace/enlace.db' 2>/dev/null | head -n 1)
[[ -n $appdata ]] || fail "no enlace.db under $c/users/*/AppData/Roaming/Enlace"
say "database in %AppData%: ${appdata#"$c"/}"

sleep 3 # the first frames
shot=$tmp/screenshot.png
import -display "$display" -window root "$shot" 2>"$tmp/import.err" ||
	fail "screenshot failed: $(cat "$tmp/import.err")"
colours=$(convert "$shot" -format '%k' info:)
((colours >= 50)) || fail "the screenshot has only $colours colours: the window looks blank"
say "screenshot: $colours colours"
if [[ -n $shot_dest ]]; then
	mkdir -p "$(dirname "$shot_dest")"
	cp "$shot" "$shot_dest"
	say "screenshot saved to $shot_dest"
fi
kill -0 "$app_pid" 2>/dev/null || fail "enlace.exe exited after its window appeared"

# A second Enlace on the same database: a clear Spanish message.
rc=0
win info || rc=$?
msg=$(tr -d '\r' <"$tmp/err")
((rc == 1)) && grep -q 'abierta en otra ventana o programa de Enlace' <<<"$msg" ||
	fail "a second enlace.exe on the open database exited $rc with: $msg"
say "second instance (command line): $msg"
timeout "$timeout" "$wine" 'C:\enlace.exe' </dev/null >"$tmp/app2.out" 2>"$tmp/app2.err" &
app2_pid=$!
wait_window 'Enlace: error' "$app2_pid" ||
	fail "a second enlace.exe window showed no \"Enlace: error\" window: $(cat "$tmp/app2.err")"
say "second instance (window): \"Enlace: error\" shown"
if [[ -n $shot_dest ]]; then
	sleep 1
	import -display "$display" -window root "${shot_dest%.png}-locked.png" 2>/dev/null &&
		say "its screenshot saved to ${shot_dest%.png}-locked.png"
fi
stop "$app2_pid"
app2_pid=
stop "$app_pid"
app_pid=

say "PASS in $((SECONDS - started))s"
