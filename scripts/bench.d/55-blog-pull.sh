# devkit blog pull of 1000 generated posts (slugs post-0000 … post-0999: two keys a post, so
# past `wrangler kv key list --local`'s cap of 1000 keys, and all sharing one prefix) from
# local Workers KV into an empty folder, against one raw `wrangler kv key list` + one raw
# `wrangler kv bulk get` of the same keys pull reads (the 1000 `~source/` keys and the images).
# Goal: pull <= 1.5x the raw pair.
set -euo pipefail
worker="$ROOT/examples/blog-worker"
wrangler="$worker/node_modules/.bin/wrangler"
export HOME="$BENCH_TMP/home" CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false
mkdir -p "$HOME"
blog="$BENCH_TMP/pull-blog"
state="$BENCH_TMP/pull-state"
python3 "$ROOT/scripts/bench.d/blog-posts.py" "$blog"
config="blog:
  kv:
    binding: POSTS
  wrangler:
    bin: $wrangler
    config: $worker/wrangler.jsonc
    persist_to: $state
"
printf '%s' "$config" >"$blog/devkit.yaml"
(cd "$blog" && "$DEVKIT" blog push -q --json >"$BENCH_TMP/pushed.json")
python3 - "$BENCH_TMP/pushed.json" >"$BENCH_TMP/pull-keys.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
keys = [f"~source/{p['slug']}" for p in report["posts"]]
keys += [k for phase in report["phases"] for k in phase.get("assets", [])]
print(json.dumps(keys))
PY
pull_dir="$BENCH_TMP/pull"
mkdir -p "$pull_dir"
printf '%s' "$config" >"$pull_dir/devkit.yaml"
printf 'pull reads %s keys (`~source/` and `~assets/`)\n\n' \
  "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$BENCH_TMP/pull-keys.json")"
ns=(--binding POSTS --config "$worker/wrangler.jsonc" --local --persist-to "$state")
python3 - "$DEVKIT" "$wrangler" "$pull_dir" "$BENCH_TMP/pull-keys.json" "${ns[@]}" <<'PY'
import os, shutil, sys
sys.path.insert(0, os.path.join(os.environ["ROOT"], "scripts/bench.d"))
from blog_alternate import alternate
devkit, wrangler, pull_dir, keys, ns = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
alternate([
    ("devkit blog pull (1000 posts, one shared prefix)", [[devkit, "blog", "pull", "-q"]]),
    ("raw wrangler kv key list + kv bulk get",
     [[wrangler, "kv", "key", "list", *ns], [wrangler, "kv", "bulk", "get", keys, *ns]]),
], lambda: shutil.rmtree(os.path.join(pull_dir, "posts"), ignore_errors=True), cwd=pull_dir)
PY
