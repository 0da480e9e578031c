#!/usr/bin/env bash
# build-deb.sh builds dist/enlace_VERSION-BUILD_amd64.deb from a Linux
# build of Enlace with dpkg-deb: /usr/bin/enlace, the desktop entry
# (packaging/linux/es.madrid.enlace.desktop, checked with
# desktop-file-validate) and the icon in /usr/share/icons/hicolor. The
# version, build number and icon are FyneApp.toml's. Depends lists the
# libraries the binary links and those GLFW loads when it starts (X11
# extensions); the build fails if the binary needs a library it does not list.
#
# Usage: scripts/build-deb.sh ENLACE_BIN [OUTDIR]
#   ENLACE_BIN  the Linux binary (make dist builds one stamped with the version)
#   OUTDIR      where the package goes (default dist)
# Prints the package's path on its last line.
set -euo pipefail

fail() {
	printf 'build-deb: %s\n' "$@" >&2
	exit 1
}
[[ $# -ge 1 ]] || fail "usage: scripts/build-deb.sh ENLACE_BIN [OUTDIR]"
bin=$(realpath "$1")
out=$(realpath -m "${2:-dist}")
cd "$(dirname "$0")/.."
for cmd in dpkg-deb desktop-file-validate convert objdump; do
	command -v "$cmd" >/dev/null 2>&1 || fail "'$cmd' not found; install the test packages with: make test-deps"
done
[[ -x $bin ]] || fail "no $bin (make build)"

# shellcheck source=scripts/fyneapp.sh
source scripts/fyneapp.sh
desktop=packaging/linux/$id.desktop
[[ -f $desktop ]] || fail "no $desktop for FyneApp.toml's ID '$id'"
desktop-file-validate "$desktop" || fail "$desktop is not a valid desktop entry"

# The libraries: those the binary links (NEEDED) and those GLFW dlopens.
declare -A pkg_of=(
	[libc.so.6]=libc6 [libm.so.6]=libc6 [libGL.so.1]=libgl1 [libX11.so.6]=libx11-6
	[libX11-xcb.so.1]=libx11-xcb1 [libXcursor.so.1]=libxcursor1 [libXi.so.6]=libxi6
	[libXinerama.so.1]=libxinerama1 [libXrandr.so.2]=libxrandr2 [libXrender.so.1]=libxrender1
	[libXxf86vm.so.1]=libxxf86vm1
)
mapfile -t needed < <(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }')
for lib in "${needed[@]}"; do
	[[ -n ${pkg_of[$lib]:-} ]] || fail "$bin links $lib, which no package in Depends provides: add it to pkg_of"
done
glibc=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
depends="libc6 (>= ${glibc:-2.34})"
for p in $(printf '%s\n' "${pkg_of[@]}" | grep -vx libc6 | sort -u); do
	depends+=", $p"
done

work=$(mktemp -d -t enlace-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root
install -D -m 0755 "$bin" "$root/usr/bin/enlace"
install -D -m 0644 "$desktop" "$root/usr/share/applications/$id.desktop"
for size in 48 128 256 512; do
	dir=$root/usr/share/icons/hicolor/${size}x$size/apps
	mkdir -p "$dir"
	convert "$icon" -resize "${size}x$size" "$dir/$id.png"
done
install -d "$root/usr/share/doc/enlace"
cat >"$root/usr/share/doc/enlace/README.Debian" <<DOC
Enlace $version: start it from the applications menu or with "enlace";
"enlace help" lists the commands. Each user's database is
~/.config/enlace/enlace.db (\$XDG_CONFIG_HOME/enlace): removing or purging
this package never touches it.
DOC
size_kb=$(du -sk "$root" | cut -f1)
mkdir -p "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CONTROL
Package: enlace
Version: $version-$build
Architecture: amd64
Maintainer: Enlace <enlace@localhost>
Installed-Size: $size_kb
Depends: $depends
Recommends: libgl1-mesa-dri, xdg-utils
Section: misc
Priority: optional
Description: CRM for referrals between Madrid's employment agency and OMIOPI
 Enlace keeps one case file per migrant with a timeline, the offices and
 their staff, and the referral procedure between the Agencia para el Empleo
 and the migrant information offices (OMIOPI), in one local encrypted
 database, with PDF documents, statistics and encrypted backups.
CONTROL

mkdir -p "$out"
deb=$out/enlace_$version-${build}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "$deb"
