# devkit blog push --target d1 of 1000 generated posts (the KV case's posts) to local D1,
# against one raw `wrangler d1 execute --local --file` of the very SQL devkit wrote (captured
# from devkit's own first push); wrangler invocations per push.
# Goals: a first push <= 1.1x the raw execute; a no-op push = 1 invocation.
set -euo pipefail
worker="$ROOT/examples/blog-worker"
real_wrangler="$worker/node_modules/.bin/wrangler"
export HOME="$BENCH_TMP/home-d1" CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false
mkdir -p "$HOME" "$BENCH_TMP/bin-d1"
blog="$BENCH_TMP/blog-d1"
state="$BENCH_TMP/d1-state"
calls="$BENCH_TMP/d1-calls"

# A wrangler that counts its invocations and keeps a copy of the last --file it ran (only
# here, to measure devkit and to give the raw side the same SQL).
cat >"$BENCH_TMP/bin-d1/wrangler" <<SH
#!/bin/sh
echo "\$*" >>"$calls"
prev=
for a in "\$@"; do
  if [ "\$prev" = "--file" ]; then cp "\$a" "$BENCH_TMP/d1-push.sql"; fi
  prev=\$a
done
exec "$real_wrangler" "\$@"
SH
chmod +x "$BENCH_TMP/bin-d1/wrangler"

python3 "$ROOT/scripts/bench.d/blog-posts.py" "$blog"
write_config() { # wrangler
  cat >"$blog/devkit.yaml" <<YAML
blog:
  target: d1
  d1:
    binding: DB
  wrangler:
    bin: $1
    config: $worker/wrangler.jsonc
    persist_to: $state
YAML
}
write_config "$BENCH_TMP/bin-d1/wrangler"
cd "$blog"
rm -rf "$state"
"$DEVKIT" blog push -q
printf 'SQL of a first push: %s statements, %s bytes\n\n' \
  "$(grep -c ';$' "$BENCH_TMP/d1-push.sql")" "$(wc -c <"$BENCH_TMP/d1-push.sql")"
printf 'CPU: %s\n\n' "$(lscpu | sed -n 's/^Model name: *//p')"

# A first push on an empty state, against the raw execute of the same file; one run each per
# round, alternating; medians decide.
write_config "$real_wrangler"
python3 - "$DEVKIT" "$real_wrangler" "$BENCH_TMP/d1-push.sql" "$state" "$worker/wrangler.jsonc" <<'PY'
import os, shutil, statistics, subprocess, sys, time
devkit, wrangler, sql, state, config = sys.argv[1:6]
rounds = int(os.environ.get("BLOG_ROUNDS", "5"))
commands = [
    ("devkit blog push --target d1 (1000 posts, first push)", [devkit, "blog", "push", "-q"]),
    ("raw wrangler d1 execute --local --file (the same SQL)",
     [wrangler, "d1", "execute", "DB", "--local", "--config", config, "--persist-to", state, "--file", sql]),
]
times = {name: [] for name, _ in commands}
for _ in range(rounds):
    for name, argv in commands:
        shutil.rmtree(state, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - start)
raw = statistics.median(times[commands[1][0]])
ratios = [d / r for d, r in zip(times[commands[0][0]], times[commands[1][0]])]
print(f"{rounds} alternating rounds; devkit over raw within each round: "
      + ", ".join(f"{x:.2f}" for x in ratios) + f" (median {statistics.median(ratios):.2f}):\n")
print("| Command | Median [s] | Min [s] | Max [s] | Relative |")
print("|:---|---:|---:|---:|---:|")
for name, _ in commands:
    t = times[name]
    print(f"| `{name}` | {statistics.median(t):.3f} | {min(t):.3f} | {max(t):.3f} | {statistics.median(t) / raw:.2f} |")
PY

# Invocations per push, each push on its own.
write_config "$BENCH_TMP/bin-d1/wrangler"
count_push() { # label
  rm -f "$calls"
  "$DEVKIT" blog push -q --json >"$BENCH_TMP/d1-report.json"
  python3 - "$1" "$calls" "$BENCH_TMP/d1-report.json" <<'PY'
import json, sys
label, calls, report = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
n = sum(1 for _ in open(calls))
print(f"| {label} | {n} | {report['wrangler_invocations']} | {report['rendered']} |")
PY
}
rm -rf "$state"
printf '\n| push | wrangler invocations | (devkit says) | posts rendered |\n|:---|---:|---:|---:|\n'
count_push "first push, 1000 posts"
count_push "no-op push"
printf '\nedited\n' >>"$blog/posts/post-0500.md"
count_push "after editing one post"
