#!/usr/bin/env bash
# dist-test.sh installs and uninstalls what `make dist` built, as a
# coordinator would, and checks each step:
#   Windows: Enlace-*-setup.exe /S under Wine in a new private prefix puts
#     enlace.exe, its icon and uninstall.exe in C:\Program Files\Enlace, the
#     Start-menu link and the Add/Remove Programs entry; the installed
#     enlace.exe runs; uninstall.exe /S removes all of that and leaves the
#     user's %AppData%\Enlace (the database) in place.
#   Debian: dpkg -i enlace_*.deb; /usr/bin/enlace version; the desktop entry
#     and icon; a smoke start under Xvfb (scripts/smoke.sh with
#     ENLACE_BIN=/usr/bin/enlace); dpkg -r leaves no /usr/bin/enlace.
#
# Usage: scripts/dist-test.sh [DISTDIR]   (default dist; run as root, for dpkg)
# Environment: WINE as in scripts/wine/lib.sh. Never reads stdin.
#
# It stops only what it started (the prefix's Wine processes with
# `wineserver -k`), and removes the package it installed, whatever way it exits.
set -euo pipefail

dist=$(realpath -m "${1:-dist}")
cd "$(dirname "$0")/.."
started=$SECONDS
fail() {
	printf 'dist-test: FAIL: %s\n' "$@" >&2
	exit 1
}
say() { printf 'dist-test: %s\n' "$*"; }

shopt -s nullglob
setups=("$dist"/Enlace-*-setup.exe)
debs=("$dist"/enlace_*_amd64.deb)
shopt -u nullglob
((${#setups[@]} == 1)) || fail "want one Enlace-*-setup.exe in $dist, found ${#setups[@]} (make dist)"
((${#debs[@]} == 1)) || fail "want one enlace_*_amd64.deb in $dist, found ${#debs[@]} (make dist)"
((EUID == 0)) || fail "dpkg -i needs root"

# shellcheck source=scripts/wine/lib.sh
source scripts/wine/lib.sh
[[ -n $wine && -x $wine && -n $wineserver ]] ||
	fail "Wine not found (wine64); install the test packages with: make test-deps"
for cmd in x86_64-w64-mingw32-gcc dpkg desktop-file-validate; do
	command -v "$cmd" >/dev/null 2>&1 || fail "'$cmd' not found; install the test packages with: make test-deps"
done

tmp=$(mktemp -d -t enlace-dist.XXXXXX)
installed_deb=false
cleanup() {
	kill_prefix
	if $installed_deb; then
		dpkg -r enlace >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Windows: the installer under Wine ---------------------------------
export CI=true
new_prefix "$tmp/prefix" || fail "could not create the Wine prefix (wineboot -i)"
c=$WINEPREFIX/drive_c
cp "${setups[0]}" "$c/setup.exe"
key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Enlace'
# The user's data from before, which uninstalling must leave alone.
roaming=$(find "$c/users" -mindepth 3 -maxdepth 3 -path '*/AppData/Roaming' ! -path '*/Public/*' | head -n 1)
[[ -n $roaming ]] || fail "the new prefix has no users/*/AppData/Roaming"
mkdir -p "$roaming/Enlace"
echo 'datos del usuario' >"$roaming/Enlace/enlace.db"

timeout 120 "$wine" 'C:\setup.exe' /S </dev/null >"$tmp/setup.log" 2>&1 ||
	{ cat "$tmp/setup.log" >&2; fail "setup.exe /S failed"; }
inst=$c/Program\ Files/Enlace
for f in enlace.exe enlace.ico uninstall.exe; do
	[[ -s $inst/$f ]] || fail "setup.exe /S installed no C:\\Program Files\\Enlace\\$f"
done
cmp -s "$inst/enlace.exe" "$dist/build/enlace.exe" 2>/dev/null || [[ ! -f $dist/build/enlace.exe ]] ||
	fail "the installed enlace.exe differs from $dist/build/enlace.exe"
link=$c/ProgramData/Microsoft/Windows/Start\ Menu/Programs/Enlace.lnk
[[ -s $link ]] || fail "no Start-menu link ${link#"$c"/}"
"$wine" reg query "$key" </dev/null 2>/dev/null | tr -d '\r' >"$tmp/reg"
version=$(basename "${setups[0]}" | sed 's/^Enlace-\(.*\)-setup\.exe$/\1/')
grep -Eq 'DisplayVersion +REG_SZ +'"$version"'$' "$tmp/reg" &&
	grep -q 'UninstallString.*uninstall\.exe' "$tmp/reg" ||
	{ cat "$tmp/reg" >&2; fail "no Add/Remove Programs entry for Enlace $version"; }
timeout 60 "$wine" 'C:\Program Files\Enlace\enlace.exe' version </dev/null >"$tmp/out" 2>&1 ||
	{ cat "$tmp/out" >&2; fail "the installed enlace.exe does not run"; }
say "setup.exe /S: files, Start-menu link, Add/Remove Programs entry ($version); installed: $(tr -d '\r' <"$tmp/out")"

timeout 120 "$wine" 'C:\Program Files\Enlace\uninstall.exe' /S </dev/null >"$tmp/uninstall.log" 2>&1 ||
	{ cat "$tmp/uninstall.log" >&2; fail "uninstall.exe /S failed"; }
# NSIS's uninstaller runs on from a copy in %TEMP%: wait for it.
for _ in {1..120}; do
	[[ -e $inst ]] || break
	sleep 0.5
done
[[ ! -e $inst ]] || fail "uninstall.exe /S left $(ls -A "$inst" | tr '\n' ' ')in C:\\Program Files\\Enlace"
[[ ! -e $link ]] || fail "uninstall.exe /S left the Start-menu link"
! "$wine" reg query "$key" </dev/null >/dev/null 2>&1 || fail "uninstall.exe /S left the Add/Remove Programs entry"
[[ $(cat "$roaming/Enlace/enlace.db" 2>/dev/null) == 'datos del usuario' ]] ||
	fail "uninstalling removed or changed the user's %AppData%\\Enlace\\enlace.db"
say "uninstall.exe /S: program, link and entry gone; %AppData%\\Enlace kept"
kill_prefix

# --- Debian: the package -----------------------------------------------
if dpkg -s enlace >/dev/null 2>&1; then
	say "note: a package enlace was already installed; it is replaced, then removed"
fi
dpkg -i "${debs[0]}" >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -i ${debs[0]} failed"; }
installed_deb=true
[[ $(command -v enlace) == /usr/bin/enlace ]] || fail "dpkg -i put no enlace on PATH at /usr/bin/enlace"
out=$(/usr/bin/enlace version </dev/null) || fail "/usr/bin/enlace version failed"
say "dpkg -i: $out"
desktop=$(dpkg -L enlace | grep '^/usr/share/applications/.*\.desktop$')
desktop-file-validate "$desktop" || fail "$desktop is not valid"
icon=$(sed -n 's/^Icon=//p' "$desktop")
[[ -s /usr/share/icons/hicolor/256x256/apps/$icon.png ]] || fail "no icon $icon in /usr/share/icons/hicolor/256x256/apps"
ENLACE_BIN=/usr/bin/enlace scripts/smoke.sh
dpkg -r enlace >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -r enlace failed"; }
installed_deb=false
[[ ! -e /usr/bin/enlace && ! -e $desktop ]] || fail "dpkg -r left /usr/bin/enlace or $desktop"
say "dpkg -r: removed"

say "PASS in $((SECONDS - started))s"
