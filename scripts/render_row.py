"""One row of docs/performance.md's frame-time table from a `linkscope bench-render` JSON line (stdin)."""
import json
import sys

d = json.load(sys.stdin)
graph = "{:,} / {:,}".format(d["nodes"], d["edges"])
quality = d["window_quality"]
moving = d["moving_ms_per_frame_median"] if quality == "Adaptive" else d["ms_per_frame_median"]
adapter = d["adapter"].split(" (")[0]
print(
    f"| {graph} | {adapter} | {d['ms_per_frame_median']} ms | {moving} ms ({quality}) "
    f"| {d['settling_frames']}, {d['settling_ms_per_frame_max']} ms, {d['settling_ms_total']} ms "
    f"| {d['still_ms_per_frame_median']} ms |"
)
