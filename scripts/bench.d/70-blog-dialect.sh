# devkit blog check of 1000 posts in five generators' front matter (Astro YAML, Hugo TOML,
# Jekyll file-name dates, Zola bundles, Eleventy string tags), and devkit blog pull of the same
# 1000 posts from local Workers KV against a raw `wrangler kv key list` + one `wrangler kv bulk
# get` of the 1000 `~source/` keys pull reads.
# Goals: check <= 0.5 s; pull <= 1.2x the raw pair.
set -euo pipefail
worker="$ROOT/examples/blog-worker"
wrangler="$worker/node_modules/.bin/wrangler"
export HOME="$BENCH_TMP/home" CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false
mkdir -p "$HOME"
blog="$BENCH_TMP/dialect-blog"
state="$BENCH_TMP/dialect-kv-state"
mkdir -p "$blog/posts"
python3 - "$blog/posts" <<'PY'
import os, sys
root = sys.argv[1]
body = "".join(f"Paragraph {i} of a post about static sites and the tools that build them.\n\n" for i in range(8))
for n in range(1000):
    kind = n % 5
    if kind == 0:
        path, text = f"astro-{n:04}.md", f"---\ntitle: 'Astro post {n}'\ndescription: 'About post {n}'\npubDate: 'Jul {n % 28 + 1:02} 2022'\nheroImage: '/x.jpg'\n---\n{body}"
    elif kind == 1:
        path, text = f"hugo-{n:04}.md", f"+++\ntitle = \"Hugo post {n}\"\ndate = 2023-04-{n % 28 + 1:02}T10:00:00+02:00\ndraft = false\ntags = [\"Go\", \"Static Sites\"]\n+++\n{body}"
    elif kind == 2:
        path, text = f"_posts/2024-01-{n % 28 + 1:02}-jekyll-{n:04}.md", f"---\nlayout: post\ntitle: Jekyll post {n}\npublished: true\ntags: rust cli\n---\n{body}"
    elif kind == 3:
        path, text = f"zola-{n:04}/index.md", f"+++\ntitle = \"Zola post {n}\"\ndate = 2024-05-01\n[taxonomies]\ntags = [\"Rust\"]\n+++\nIntro.\n\n<!-- more -->\n\n{body}"
    else:
        path, text = f"2023-03-{n % 28 + 1:02}-eleventy-{n:04}.markdown", f"---\ntitle: Eleventy post {n}\ntags: post\nstatus: published\n---\n{body}"
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)
PY
cat >"$blog/devkit.yaml" <<YAML
blog:
  kv:
    binding: POSTS
  wrangler:
    bin: $wrangler
    config: $worker/wrangler.jsonc
    persist_to: $state
YAML
ns=(--binding POSTS --config "$worker/wrangler.jsonc" --local --persist-to "$state")
cd "$blog"
hyperfine -N --warmup 2 --runs 10 --export-markdown "$BENCH_TMP/dialect-check.md" \
  -n "devkit blog check (1000 mixed-dialect posts)" "'$DEVKIT' blog check -q" >/dev/null 2>&1
cat "$BENCH_TMP/dialect-check.md"

rm -rf "$state"
"$DEVKIT" blog push -q
mv posts posts.pushed
"$DEVKIT" blog pull --dry-run --json >"$BENCH_TMP/pull.json" || true
python3 - "$BENCH_TMP/pull.json" "$BENCH_TMP/sources.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
slugs = sorted({w["slug"] for w in report["written"] if w["kind"] == "source"})
json.dump(["~source/" + s for s in slugs], open(sys.argv[2], "w"))
print(f"pull reads {len(slugs)} posts in {report['requests']} wrangler invocations\n")
PY
printf '\n'
hyperfine --runs 5 --prepare "rm -rf '$blog/posts'" \
  --export-markdown "$BENCH_TMP/pull.md" \
  -n "devkit blog pull (1000 posts)" "'$DEVKIT' blog pull -q >/dev/null" \
  -n "raw wrangler kv key list + kv bulk get" \
  "'$wrangler' kv key list ${ns[*]} >/dev/null && '$wrangler' kv bulk get '$BENCH_TMP/sources.json' ${ns[*]} >/dev/null" \
  >/dev/null 2>&1
cat "$BENCH_TMP/pull.md"
rm -rf "$blog/posts"
mv posts.pushed posts
