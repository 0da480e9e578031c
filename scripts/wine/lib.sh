# lib.sh is sourced by scripts/wine-test.sh and scripts/dist-test.sh: it
# finds Wine and makes a new private Wine prefix that runs Go programs.
#
# After sourcing: $wine is the loader (WINE, else /usr/lib/wine/wine64 — not
# /usr/bin/wine, which nags about a missing wine32 —, else wine64 on PATH),
# $wineserver its server; new_prefix DIR makes the prefix DIR and exports
# WINEPREFIX, WINEDEBUG and WINEDLLOVERRIDES; kill_prefix stops the Wine
# processes of that prefix only (wineserver -k), and waits for them.

unset WINEPREFIX # never the caller's own: kill_prefix would stop its programs
wine=${WINE:-}
if [[ -z $wine ]]; then
	if [[ -x /usr/lib/wine/wine64 ]]; then
		wine=/usr/lib/wine/wine64
	else
		wine=$(command -v wine64 || command -v wine || true)
	fi
fi
wineserver=''
if [[ -n $wine ]]; then
	wineserver=$(dirname "$wine")/wineserver
	[[ -x $wineserver ]] || wineserver=$(command -v wineserver || true)
fi

# new_prefix DIR creates a Windows in DIR (wineboot -i) and puts in its
# system32 the bcryptprimitives.dll stand-in: Wine 8 lacks ProcessPrng,
# which Go 1.24+ calls for crypto/rand. Output goes to DIR.log.
new_prefix() {
	export WINEPREFIX=$1
	export WINEDEBUG=-all
	# No Mono or Gecko install prompts, no menu entries on the host desktop.
	export WINEDLLOVERRIDES='mscoree,mshtml=;winemenubuilder.exe=d'
	local here
	here=$(dirname "${BASH_SOURCE[0]}")
	if ! timeout 120 "$wine" wineboot -i </dev/null >"$1.log" 2>&1 ||
		[[ ! -d $1/drive_c/windows/system32 ]]; then
		cat "$1.log" >&2
		return 1
	fi
	x86_64-w64-mingw32-gcc -shared -O2 -o "$1/drive_c/windows/system32/bcryptprimitives.dll" \
		"$here/bcryptprimitives.c" "$here/bcryptprimitives.def" -ladvapi32
}

# kill_prefix stops every process of $WINEPREFIX, if there is one.
kill_prefix() {
	[[ -n ${WINEPREFIX:-} && -d $WINEPREFIX && -n $wineserver ]] || return 0
	"$wineserver" -k >/dev/null 2>&1 || true
	timeout 20 "$wineserver" -w >/dev/null 2>&1 || true
}
