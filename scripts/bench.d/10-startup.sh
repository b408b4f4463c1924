# devkit --version startup time against GNU base64 --version (goal: median <= 3 ms).
set -euo pipefail
hyperfine -N --warmup 50 --runs 500 \
  --export-markdown "$BENCH_TMP/startup.md" --export-json "$BENCH_TMP/startup.json" \
  "$DEVKIT --version" "base64 --version" >/dev/null 2>&1
cat "$BENCH_TMP/startup.md"
# hyperfine's table shows the mean; the goal is on the median.
python3 - "$BENCH_TMP/startup.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    name = r["command"].rsplit("/", 1)[-1]
    print(f"\nmedian `{name}`: {r['median'] * 1000:.2f} ms", end="")
print()
PY
