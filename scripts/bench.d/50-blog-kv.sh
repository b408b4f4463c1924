# devkit blog push of 1000 generated posts (about 5 KB each, two code blocks and one image of
# its own) to local Workers KV, against what a careful script does with the very same items
# (one raw `wrangler kv key list` + one raw `wrangler kv bulk put` of the pages, sources and
# images devkit wrote, captured from devkit's own bulk file); wrangler invocations and posts
# rendered per push; `devkit blog check` (which renders all 1000) of the same posts.
# Goals: push <= 1.1x the raw pair; a no-op push = 1 invocation and renders nothing;
# check <= 0.5 s.
set -euo pipefail
worker="$ROOT/examples/blog-worker"
real_wrangler="$worker/node_modules/.bin/wrangler"
export HOME="$BENCH_TMP/home" CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false
mkdir -p "$HOME" "$BENCH_TMP/bin"
blog="$BENCH_TMP/blog"
state="$BENCH_TMP/kv-state"
calls="$BENCH_TMP/wrangler-calls"

# A wrangler that counts its invocations and keeps a copy of the last bulk-put file (only
# here, to measure devkit and to give the raw side the same items).
cat >"$BENCH_TMP/bin/wrangler" <<SH
#!/bin/sh
echo "\$*" >>"$calls"
if [ "\$1 \$2 \$3" = "kv bulk put" ]; then cp "\$4" "$BENCH_TMP/items.json"; fi
exec "$real_wrangler" "\$@"
SH
chmod +x "$BENCH_TMP/bin/wrangler"

python3 "$ROOT/scripts/bench.d/blog-posts.py" "$blog"
cat >"$blog/devkit.yaml" <<YAML
blog:
  kv:
    binding: POSTS
  wrangler:
    bin: $BENCH_TMP/bin/wrangler
    config: $worker/wrangler.jsonc
    persist_to: $state
YAML
ns=(--binding POSTS --config "$worker/wrangler.jsonc" --local --persist-to "$state")

cd "$blog"
rm -rf "$state"
unset XDG_CACHE_HOME
"$DEVKIT" blog push -q
items=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$BENCH_TMP/items.json")
printf 'items per first push: %s (pages, sources and images), %s bytes of JSON\n\n' \
  "$items" "$(wc -c <"$BENCH_TMP/items.json")"
# A first push: no local state and no hint of an earlier push in devkit's cache. The two
# commands alternate, one run each per round, so that the local bulk put's spread (a few
# seconds from run to run) falls on both alike; medians decide.
hints="$HOME/.cache/devkit/blog-pushed"
python3 - "$DEVKIT" "$real_wrangler" "$BENCH_TMP/items.json" "$state" "$hints" "${ns[@]}" <<'PY'
import os, shutil, statistics, subprocess, sys, time
devkit, wrangler, items, state, hints, ns = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
rounds = int(os.environ.get("BLOG_ROUNDS", "7"))
commands = [
    ("devkit blog push (1000 posts, first push)", [[devkit, "blog", "push", "-q"]]),
    ("raw wrangler kv key list + kv bulk put",
     [[wrangler, "kv", "key", "list", *ns], [wrangler, "kv", "bulk", "put", items, *ns]]),
]
times = {name: [] for name, _ in commands}
for _ in range(rounds):
    for name, steps in commands:
        shutil.rmtree(state, ignore_errors=True)
        shutil.rmtree(hints, ignore_errors=True)
        start = time.perf_counter()
        for argv in steps:
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - start)
raw = statistics.median(times[commands[1][0]])
ratios = [d / r for d, r in zip(times[commands[0][0]], times[commands[1][0]])]
print(f"{rounds} alternating rounds, medians (min–max); devkit over raw within each round: "
      + ", ".join(f"{x:.2f}" for x in ratios) + f" (median {statistics.median(ratios):.2f}):\n")
print("| Command | Median [s] | Min [s] | Max [s] | Relative |")
print("|:---|---:|---:|---:|---:|")
for name, _ in commands:
    t = times[name]
    print(f"| `{name}` | {statistics.median(t):.3f} | {min(t):.3f} | {max(t):.3f} | {statistics.median(t) / raw:.2f} |")
PY

# Invocations, posts rendered and items written, each push on its own.
count_push() { # label
  rm -f "$calls"
  "$DEVKIT" blog push -q --json >"$BENCH_TMP/report.json"
  python3 - "$1" "$calls" "$BENCH_TMP/report.json" <<'PY'
import json, sys
label, calls, report = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
n = sum(1 for _ in open(calls))
written = sum(len(p.get("keys", [])) + len(p.get("assets", [])) for p in report["phases"] if p["name"] in ("write", "publish"))
print(f"| {label} | {n} | {report['rendered']} | {written} |")
PY
}
rm -rf "$state" "$hints"
printf '\n| push | wrangler invocations | posts rendered | posts + files written |\n|:---|---:|---:|---:|\n'
count_push "first push, 1000 posts"
count_push "no-op push"
printf '\nedited\n' >>"$blog/posts/post-0500.md"
count_push "after editing one post"

printf '\n'
hyperfine -N --warmup 2 --runs 10 --export-markdown "$BENCH_TMP/check.md" \
  -n "devkit blog check (1000 posts, all rendered)" "'$DEVKIT' blog check -q" >/dev/null 2>&1
cat "$BENCH_TMP/check.md"

# devkit blog pull of the same 1000 posts (slugs post-0000 … post-0999: two keys a post, so
# past the local listing's cap of 1000, all sharing one prefix) into an empty folder, against
# one raw `wrangler kv key list` + one raw `wrangler kv bulk get` of the same keys pull reads
# (the 1000 `~source/` keys and the 1000 images). Goal: pull <= 1.5x the raw pair.
pull_dir="$BENCH_TMP/pull"
mkdir -p "$pull_dir"
cat >"$pull_dir/devkit.yaml" <<YAML
blog:
  kv:
    binding: POSTS
  wrangler:
    bin: $real_wrangler
    config: $worker/wrangler.jsonc
    persist_to: $state
YAML
"$real_wrangler" kv key list --prefix '~' "${ns[@]}" 2>/dev/null | python3 -c '
import json, sys
print(json.dumps([k["name"] for k in json.load(sys.stdin) if k["name"].startswith(("~source/", "~assets/"))]))
' >"$BENCH_TMP/pull-keys.json"
printf '\npull reads %s `~source/` and `~assets/` keys\n' \
  "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$BENCH_TMP/pull-keys.json")"
python3 - "$DEVKIT" "$real_wrangler" "$pull_dir" "$BENCH_TMP/pull-keys.json" "${ns[@]}" <<'PY'
import os, shutil, statistics, subprocess, sys, time
devkit, wrangler, pull_dir, keys, ns = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
rounds = int(os.environ.get("BLOG_ROUNDS", "7"))
commands = [
    ("devkit blog pull (1000 posts, one shared prefix)", [[devkit, "blog", "pull", "-q"]]),
    ("raw wrangler kv key list + kv bulk get",
     [[wrangler, "kv", "key", "list", *ns], [wrangler, "kv", "bulk", "get", keys, *ns]]),
]
times = {name: [] for name, _ in commands}
for _ in range(rounds):
    for name, steps in commands:
        shutil.rmtree(os.path.join(pull_dir, "posts"), ignore_errors=True)
        start = time.perf_counter()
        for argv in steps:
            subprocess.run(argv, check=True, cwd=pull_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - start)
raw = statistics.median(times[commands[1][0]])
ratios = [d / r for d, r in zip(times[commands[0][0]], times[commands[1][0]])]
print(f"\n{rounds} alternating rounds, medians (min–max); devkit over raw within each round: "
      + ", ".join(f"{x:.2f}" for x in ratios) + f" (median {statistics.median(ratios):.2f}):\n")
print("| Command | Median [s] | Min [s] | Max [s] | Relative |")
print("|:---|---:|---:|---:|---:|")
for name, _ in commands:
    t = times[name]
    print(f"| `{name}` | {statistics.median(t):.3f} | {min(t):.3f} | {max(t):.3f} | {statistics.median(t) / raw:.2f} |")
PY
