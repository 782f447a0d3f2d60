#!/bin/bash
# scripts/memwatch.sh FILE SECONDS: open FILE in the window (an X display, Xvfb :99 unless DISPLAY is set) and print its resident set every 10 s; LINKSCOPE names the binary
export DISPLAY=${DISPLAY:-:99} WGPU_BACKEND=vulkan XDG_RUNTIME_DIR=$(mktemp -d)
${LINKSCOPE:-target/release/linkscope} "$1" >/tmp/memwatch.log 2>&1 &
PID=$!
for i in $(seq 10 10 $2); do sleep 10; echo "$i s: $(grep VmRSS /proc/$PID/status | awk '{print int($2/1024)}') MB, peak $(grep VmHWM /proc/$PID/status | awk '{print int($2/1024)}') MB"; done
import -window root "${SHOT:-/tmp/memwatch.png}" 2>/dev/null || true
kill $PID
