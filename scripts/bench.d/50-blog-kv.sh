# devkit blog push of 1000 generated posts (about 5 KB each, two code blocks and one image of
# its own) to local Workers KV, against what a careful script does with the very same items
# (one raw `wrangler kv key list` + one raw `wrangler kv bulk put` of the pages, sources and
# images devkit wrote, captured from devkit's own bulk file); wrangler invocations and posts
# rendered per push; `devkit blog check` (which renders all 1000) of the same posts.
# Goals: push <= 1.15x the raw pair; a no-op push = 1 invocation and renders nothing;
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
"$DEVKIT" blog push -q
items=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$BENCH_TMP/items.json")
printf 'items per first push: %s (pages, sources and images), %s bytes of JSON\n\n' \
  "$items" "$(wc -c <"$BENCH_TMP/items.json")"
hyperfine --runs 3 --prepare "rm -rf '$state'" \
  --export-markdown "$BENCH_TMP/push.md" \
  -n "devkit blog push (1000 posts, first push)" "'$DEVKIT' blog push -q" \
  -n "raw wrangler kv key list + kv bulk put" \
  "'$real_wrangler' kv key list ${ns[*]} >/dev/null && '$real_wrangler' kv bulk put '$BENCH_TMP/items.json' ${ns[*]} >/dev/null" \
  >/dev/null 2>&1
cat "$BENCH_TMP/push.md"

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
rm -rf "$state"
printf '\n| push | wrangler invocations | posts rendered | posts + files written |\n|:---|---:|---:|---:|\n'
count_push "first push, 1000 posts"
count_push "no-op push"
printf '\nedited\n' >>"$blog/posts/post-0500.md"
count_push "after editing one post"

printf '\n'
hyperfine -N --warmup 2 --runs 10 --export-markdown "$BENCH_TMP/check.md" \
  -n "devkit blog check (1000 posts, all rendered)" "'$DEVKIT' blog check -q" >/dev/null 2>&1
cat "$BENCH_TMP/check.md"
