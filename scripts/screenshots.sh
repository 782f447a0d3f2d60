#!/usr/bin/env bash
# The screenshots of the README's tour and of docs/guide.md, retaken from
# the real app: each one starts the window on the bundled sample (or on
# FILE=... for one shot) under a private Xvfb display (fresh preferences),
# waits for the layout to settle, types what an analyst would, and saves
# the screen. Run it again whenever the UI changes.
#
#   bash scripts/screenshots.sh [OUT_DIR]      (default: assets/)
#
# Needs Debian's xvfb, xdotool and imagemagick (import), and Mesa's
# software Vulkan (mesa-vulkan-drivers).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-assets}
mkdir -p "$out"
cargo build --release --quiet
bin=$PWD/target/release/linkscope
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x820x24 >/dev/null 2>&1 &
xvfb=$!
work=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
export DISPLAY=$display WGPU_BACKEND=${WGPU_BACKEND:-vulkan}
sleep 1

# shoot NAME KEYS...: a fresh window, the keys (xdotool: "key:ctrl+f",
# "type:some text", "wait:2"), then the screen as OUT/NAME.png.
shoot() {
    local name=$1
    shift
    XDG_DATA_HOME="$work/data-$name" "$bin" ${FILE:+"$FILE"} >/dev/null 2>&1 &
    local app=$!
    sleep 10 # the window, then the layout settling
    local window
    window=$(xdotool search --name Linkscope | head -n 1)
    xdotool windowfocus --sync "$window"
    # The pointer out of the picture: no hover highlight or tooltip.
    xdotool mousemove 700 12
    # A first start shows the "Start here" card: put it away.
    xdotool key Escape
    sleep 0.4
    for step in "$@"; do
        case $step in
            key:*) xdotool key "${step#key:}" ;;
            type:*) xdotool type --delay 40 "${step#type:}" ;;
            wait:*) sleep "${step#wait:}" ;;
        esac
        sleep 0.4
    done
    import -window root "$out/$name.png"
    kill "$app"
    wait "$app" 2>/dev/null || true
    echo "$out/$name.png"
}

# 1. The evidence behind an edge: the relations whose excerpts quote a phrase.
shoot tour-evidence key:ctrl+shift+f "type:security cooperation" wait:1 key:Return wait:2
# 2. Find, then focus on a neighbourhood.
shoot tour-focus key:ctrl+f "type:sir haq" wait:1 key:Return wait:1 key:ctrl+k \
    "type:focus on selection" wait:1 key:Return wait:3
# 3. Export a picture for a report.
shoot tour-export key:ctrl+e wait:2

# The guide's pictures.
# 4. Find a name, and the details of the entity it selects.
shoot guide-details key:ctrl+f "type:zhirnov" wait:1 key:Return wait:2
# 5. Filters and the timeline, side by side with the picture.
shoot guide-filters key:ctrl+k "type:filters" wait:1 key:Return wait:1 key:ctrl+k \
    "type:timeline" wait:1 key:Return wait:2
# 6. Colour by community, with its legend.
shoot guide-communities key:ctrl+k "type:colour by community" wait:1 key:Return wait:3
# 7. A file without documents: Zachary's karate club.
FILE=tests/fixtures/trace/karate.sqlite shoot no-evidence wait:1
