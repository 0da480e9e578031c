# fyneapp.sh is sourced by scripts/build-deb.sh and scripts/build-setup.sh:
# it reads FyneApp.toml's [Details] into $version, $build, $icon and $id,
# and fails (with the caller's fail) when one is missing or malformed.
# The caller is in the repository's root.

# toml reads key $1 of FyneApp.toml's [Details].
toml() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*$/\1/p" FyneApp.toml | head -n 1; }
version=$(toml Version)
build=$(toml Build)
icon=$(toml Icon)
id=$(toml ID)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "FyneApp.toml's Version '$version' is not N.N.N"
[[ $build =~ ^[0-9]+$ ]] || fail "FyneApp.toml's Build '$build' is not a number"
[[ -f $icon ]] || fail "FyneApp.toml's Icon '$icon' does not exist"
