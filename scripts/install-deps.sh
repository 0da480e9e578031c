#!/usr/bin/env bash
# install-deps.sh installs the Debian/Ubuntu packages Enlace needs, and only
# those that are missing. It is quiet when there is nothing to do.
#
# Usage: scripts/install-deps.sh [run|test]
#   run   C toolchain and GL/X11 headers for Fyne's cgo (GLFW) build.
#   test  the run packages plus Xvfb, screenshot, PDF, Windows cross-compiler,
#         Wine and NSIS (the .exe and its installer, run under Wine), the
#         .deb checks, WebDAV (Apache, rclone), zstd and age (the backup
#         benchmark's `tar | zstd | age` yardstick) and font packages used
#         by `make test`.
#
# As root it runs apt-get directly; otherwise it uses sudo when available and
# else prints the command to run and fails. Never reads stdin.
set -euo pipefail

run_pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev)
test_pkgs=(
	xvfb xauth x11-utils imagemagick poppler-utils
	gcc-mingw-w64-x86-64 apache2 apache2-utils fonts-dejavu-core
	rclone zbar-tools zstd age pdftk-java
	wine wine64 nsis desktop-file-utils
)

die() {
	printf 'install-deps: %s\n' "$@" >&2
	exit 1
}

mode=${1:-run}
case $mode in
run) pkgs=("${run_pkgs[@]}") ;;
test) pkgs=("${run_pkgs[@]}" "${test_pkgs[@]}") ;;
*) die "unknown mode '$mode' (use: run | test)" ;;
esac

# Go is installed from go.dev, not apt; only check that it can be found.
if ! command -v go >/dev/null 2>&1; then
	if [[ -x /usr/local/go/bin/go ]]; then
		export PATH=/usr/local/go/bin:$PATH
	else
		die "'go' not found on PATH nor in /usr/local/go/bin." \
			"Install Go (see go.mod for the version) from https://go.dev/dl/ and retry."
	fi
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
	die "this script needs dpkg/apt (Debian or Ubuntu). Install the equivalents of:" \
		"  ${pkgs[*]}"
fi

# installed reports whether package $1 is fully installed (not merely known to
# dpkg, e.g. removed with its configuration files left behind).
installed() {
	local status
	status=$(dpkg -s "$1" 2>/dev/null | sed -n 's/^Status: //p') || return 1
	[[ $status == "install ok installed" ]]
}

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	exit 0
fi

apt_cmd=(env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
if ((EUID != 0)); then
	if ! command -v sudo >/dev/null 2>&1; then
		die "missing packages: ${missing[*]}" \
			"not root and sudo is not available; as root run:" \
			"  apt-get update && apt-get install -y ${missing[*]}"
	fi
	# Without a terminal sudo cannot ask for a password: fail instead of hanging.
	if [[ -t 0 ]]; then
		apt_cmd=(sudo "${apt_cmd[@]}")
	else
		apt_cmd=(sudo -n "${apt_cmd[@]}")
	fi
fi

echo "install-deps: installing ${missing[*]}"
log=$(mktemp -t install-deps.XXXXXX)
trap 'rm -f "$log"' EXIT
if ! "${apt_cmd[@]}" update </dev/null >"$log" 2>&1 ||
	! "${apt_cmd[@]}" install -y --no-install-recommends "${missing[@]}" </dev/null >>"$log" 2>&1; then
	tail -n 40 "$log" >&2
	die "apt-get failed; to install by hand run as root:" \
		"  apt-get update && apt-get install -y ${missing[*]}"
fi

still=()
for p in "${missing[@]}"; do
	installed "$p" || still+=("$p")
done
((${#still[@]} == 0)) || die "still not installed after apt-get: ${still[*]}"
echo "install-deps: done"
