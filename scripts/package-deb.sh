#!/usr/bin/env bash
# The Debian package: builds the release binary (unless --no-build), writes
# the manual page and shell completions with it, packs everything with
# cargo-deb (`cargo install cargo-deb --locked`), then checks the package as
# a user's machine would see it: its contents, the unpacked binary's
# --version and `check` on the sample, and the desktop entry
# (desktop-file-validate, from Debian's desktop-file-utils).
#
#   bash scripts/package-deb.sh [--no-build]
#
# Prints the package's path last.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != --no-build ]; then
    cargo build --release --quiet
fi
bin=target/release/linkscope
out=target/package
mkdir -p "$out"
"$bin" man | gzip -9n >"$out/linkscope.1.gz"
"$bin" completions bash >"$out/linkscope.bash"
"$bin" completions zsh >"$out/_linkscope"
"$bin" completions fish >"$out/linkscope.fish"
deb=$(cargo deb --no-build --strip --quiet --output "$out/" 2>&1 | tail -n 1)
[ -f "$deb" ] || { echo "error: cargo deb wrote no package: $deb" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb --extract "$deb" "$root"
for path in usr/bin/linkscope usr/share/applications/linkscope.desktop \
    usr/share/mime/packages/linkscope.xml usr/share/icons/hicolor/scalable/apps/linkscope.svg \
    usr/share/icons/hicolor/16x16/apps/linkscope.png usr/share/icons/hicolor/256x256/apps/linkscope.png \
    usr/share/man/man1/linkscope.1.gz usr/share/bash-completion/completions/linkscope \
    usr/share/doc/linkscope/copyright usr/share/doc/linkscope/guide.md; do
    [ -e "$root/$path" ] || { echo "error: the package lacks /$path" >&2; exit 1; }
done
version=$("$root/usr/bin/linkscope" --version)
case "$version" in
    "linkscope $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1) (commit "*) ;;
    *) echo "error: the packaged binary says: $version" >&2; exit 1 ;;
esac
"$root/usr/bin/linkscope" check sample-db/sample.sqlite >/dev/null
desktop-file-validate "$root/usr/share/applications/linkscope.desktop"
dpkg-deb --field "$deb" Package Version Depends >&2
echo "$deb"
