# devkit blog push of 1000 generated posts to local Workers KV, against what a careful script
# does (one raw `wrangler kv key list` + one raw `wrangler kv bulk put` of the same items);
# wrangler invocations per push; `devkit blog check` of the same 1000 posts.
# Goals: push <= 1.1x the raw pair; <= 3 invocations per push; a no-op push = 1 invocation;
# an edit rewrites one item; check < 0.2 s.
set -euo pipefail
worker="$ROOT/examples/blog-worker"
real_wrangler="$worker/node_modules/.bin/wrangler"
export HOME="$BENCH_TMP/home" CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false
mkdir -p "$HOME" "$BENCH_TMP/bin"
blog="$BENCH_TMP/blog"
state="$BENCH_TMP/kv-state"
calls="$BENCH_TMP/wrangler-calls"

# A wrangler that counts its invocations (only here, to measure devkit).
cat >"$BENCH_TMP/bin/wrangler" <<SH
#!/bin/sh
echo "\$*" >>"$calls"
exec "$real_wrangler" "\$@"
SH
chmod +x "$BENCH_TMP/bin/wrangler"

# 1000 posts (about 2 KB each; 900 published, 50 unlisted, 50 drafts) and the same items as
# a raw bulk-put file, metadata included.
python3 - "$blog" "$BENCH_TMP/items.json" <<'PY'
import hashlib, json, os, sys
blog, items_path = sys.argv[1], sys.argv[2]
os.makedirs(f"{blog}/posts", exist_ok=True)
items = []
for i in range(1000):
    status = "draft" if i % 20 == 0 else "unlisted" if i % 20 == 1 else "published"
    title, date = f"Post number {i}", f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    body = f"# {title}\n\n" + ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 34) + "\n"
    with open(f"{blog}/posts/post-{i:04d}.md", "w") as f:
        f.write(f"---\ntitle: {title}\ndate: {date}\nstatus: {status}\n---\n{body}")
    meta = {"devkit": 1, "hash": hashlib.sha256(body.encode()).hexdigest(),
            "title": title, "status": status, "date": date}
    items.append({"key": f"post-{i:04d}", "value": body, "metadata": meta})
json.dump(items, open(items_path, "w"))
PY
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
hyperfine --runs 3 --prepare "rm -rf '$state'" \
  --export-markdown "$BENCH_TMP/push.md" \
  -n "devkit blog push (1000 posts, first push)" "'$DEVKIT' blog push -q" \
  -n "raw wrangler kv key list + kv bulk put" \
  "'$real_wrangler' kv key list ${ns[*]} >/dev/null && '$real_wrangler' kv bulk put '$BENCH_TMP/items.json' ${ns[*]} >/dev/null" \
  >/dev/null 2>&1
cat "$BENCH_TMP/push.md"

# Invocations and items written, each push on its own.
count_push() { # label
  rm -f "$calls"
  "$DEVKIT" blog push -q --json >"$BENCH_TMP/report.json"
  python3 - "$1" "$calls" "$BENCH_TMP/report.json" <<'PY'
import json, sys
label, calls, report = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
n = sum(1 for _ in open(calls))
written = sum(len(p.get("keys", [])) for p in report["phases"] if p["name"] in ("write", "publish"))
print(f"| {label} | {n} | {written} |")
PY
}
rm -rf "$state"
printf '\n| push | wrangler invocations | items written |\n|:---|---:|---:|\n'
count_push "first push, 1000 posts"
count_push "no-op push"
printf '\nedited\n' >>"$blog/posts/post-0500.md"
count_push "after editing one post"

printf '\n'
hyperfine -N --warmup 3 --runs 20 --export-markdown "$BENCH_TMP/check.md" \
  -n "devkit blog check (1000 posts)" "'$DEVKIT' blog check -q" >/dev/null 2>&1
cat "$BENCH_TMP/check.md"
