#!/usr/bin/env bash
# build-setup.sh builds the Windows installer dist/Enlace-VERSION-setup.exe
# from a cross-built enlace.exe with Debian's NSIS (makensis), following
# packaging/windows/enlace.nsi. The version and the icon are FyneApp.toml's.
#
# Usage: scripts/build-setup.sh ENLACE_EXE [OUTDIR]
#   ENLACE_EXE  the Windows binary (make dist builds one stamped with the version)
#   OUTDIR      where the installer goes (default dist)
# Prints the installer's path on its last line.
set -euo pipefail

fail() {
	printf 'build-setup: %s\n' "$@" >&2
	exit 1
}
[[ $# -ge 1 ]] || fail "usage: scripts/build-setup.sh ENLACE_EXE [OUTDIR]"
exe=$(realpath "$1")
out=$(realpath -m "${2:-dist}")
cd "$(dirname "$0")/.."
for cmd in makensis convert; do
	command -v "$cmd" >/dev/null 2>&1 || fail "'$cmd' not found; install the test packages with: make test-deps"
done
[[ -f $exe ]] || fail "no $exe (make build-windows)"

# shellcheck source=scripts/fyneapp.sh
source scripts/fyneapp.sh

work=$(mktemp -d -t enlace-setup.XXXXXX)
trap 'rm -rf "$work"' EXIT
convert "$icon" -define icon:auto-resize=256,48,32,16 "$work/enlace.ico"

mkdir -p "$out"
setup=$out/Enlace-$version-setup.exe
makensis -V2 -NOCD -DVERSION="$version" -DBUILD="$build" -DEXE="$exe" \
	-DICON="$work/enlace.ico" -DOUTFILE="$setup" packaging/windows/enlace.nsi >&2
echo "$setup"
