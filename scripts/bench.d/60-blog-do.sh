# devkit blog push --target do of 1000 generated posts into the reference Worker's Durable
# Object (wrangler dev, local), against what a hand-written script does: 1000 sequential
# requests, one post (with its image) each (a `curl` per post, and, kinder to the script, one keep-alive
# connection from Python). Requests per push are counted in the Worker's own log.
# Goals: >= 10x faster than the sequential requests; a no-op push = 1 GET.
set -euo pipefail
worker="$ROOT/examples/blog-worker"
wrangler="$worker/node_modules/.bin/wrangler"
export HOME="$BENCH_TMP/home-do" CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false
mkdir -p "$HOME"
blog="$BENCH_TMP/blog-do"
items="$BENCH_TMP/do-items"
log="$BENCH_TMP/do-dev.log"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
export DEVKIT_BLOG_TOKEN="bench-$RANDOM$RANDOM"
url="http://127.0.0.1:$port/admin/api"

(cd "$worker" && exec setsid "$wrangler" dev --ip 127.0.0.1 --port "$port" \
  --inspector-ip 127.0.0.1 --inspector-port "$(free_port)" \
  --persist-to "$BENCH_TMP/do-state" --var "ADMIN_TOKEN:$DEVKIT_BLOG_TOKEN" --var POSTS_SOURCE:do \
  </dev/null >"$log" 2>&1) &
dev=$!
trap 'kill -- -$dev 2>/dev/null || true; sleep 0.5; kill -KILL -- -$dev 2>/dev/null || true' EXIT
for _ in $(seq 300); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done

# The same 1000 posts as the KV case (about 5 KB, two code blocks and an image each). The
# one-post batches a script would send are captured from devkit's own first push (the same
# items), then one batch deleting them all (to start empty).
python3 "$ROOT/scripts/bench.d/blog-posts.py" "$blog"
printf 'blog:\n  target: do\n  do:\n    url: %s\n' "$url" >"$blog/devkit.yaml"

# devkit's first push, captured through /export and split into one batch per post (its image
# included; the HTML is a short stand-in, which only favours the script).
(cd "$blog" && "$DEVKIT" blog push -q)
mkdir -p "$items"
curl -fsS -H "Authorization: Bearer $DEVKIT_BLOG_TOKEN" "$url/export" >"$BENCH_TMP/export.json"
python3 - "$BENCH_TMP/export.json" "$items" <<'PY'
import json, re, sys
export, items = json.load(open(sys.argv[1])), sys.argv[2]
files = {a["name"]: a for a in export["assets"]}
slugs = []
for i, p in enumerate(export["posts"]):
    slugs.append(p["slug"])
    names = sorted(set(p["source"]["assets"].values()))
    assets = [{"name": n, "content_type": files[n]["content_type"], "data": files[n]["data"]} for n in names]
    text = p["source"]["text"]
    body = re.split(r"^---$", text, maxsplit=2, flags=re.M)[2][1:]
    row = {k: p[k] for k in ("slug", "title", "status", "date", "hash", "excerpt", "tags", "updated")}
    row.update(body=body, source=json.dumps(p["source"]), html="<p>(as devkit rendered it)</p>")
    json.dump({"assets": assets, "upsert": [row], "delete": []}, open(f"{items}/{i:04d}.json", "w"))
json.dump({"upsert": [], "delete": slugs, "delete_assets": sorted(files)}, open(f"{items}/clear.json", "w"))
PY
cat >"$BENCH_TMP/clear.sh" <<SH
curl -fsS -o /dev/null -H "Authorization: Bearer \$DEVKIT_BLOG_TOKEN" -H 'content-type: application/json' \
  --data-binary @"$items/clear.json" "$url/posts/batch"
SH
cat >"$BENCH_TMP/curl-each.sh" <<SH
for f in "$items"/[0-9]*.json; do
  curl -fsS -o /dev/null -H "Authorization: Bearer \$DEVKIT_BLOG_TOKEN" -H 'content-type: application/json' \
    --data-binary @"\$f" "$url/posts/batch"
done
SH
cat >"$BENCH_TMP/keepalive.py" <<'PY'
import glob, http.client, os, sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
items = sorted(glob.glob(os.path.join(sys.argv[2], "[0-9]*.json")))
conn = http.client.HTTPConnection(url.hostname, url.port)
headers = {"Authorization": "Bearer " + os.environ["DEVKIT_BLOG_TOKEN"], "Content-Type": "application/json"}
for path in items:
    conn.request("POST", url.path + "/posts/batch", open(path, "rb").read(), headers)
    response = conn.getresponse()
    response.read()
    assert response.status == 200, response.status
PY

cd "$blog"
hyperfine --runs 3 --prepare "bash '$BENCH_TMP/clear.sh'" \
  --export-markdown "$BENCH_TMP/do-push.md" \
  -n "devkit blog push --target do (1000 posts, first push)" "'$DEVKIT' blog push -q" \
  -n "1000 sequential curl POSTs, one post each" "bash '$BENCH_TMP/curl-each.sh'" \
  -n "1000 sequential POSTs on one keep-alive connection (Python)" \
  "python3 '$BENCH_TMP/keepalive.py' '$url' '$items'" \
  >/dev/null 2>&1
cat "$BENCH_TMP/do-push.md"

# Requests per push, as the Worker logged them (it logs each request after answering).
admin_requests() { grep -c '\[wrangler:info\] [A-Z]* /admin/api/' "$log" || true; }
count_push() { # label
  local before after
  before=$(admin_requests)
  "$DEVKIT" blog push -q --json >"$BENCH_TMP/do-report.json"
  sleep 1
  after=$(admin_requests)
  python3 - "$1" "$((after - before))" "$BENCH_TMP/do-report.json" <<'PY'
import json, sys
label, requests, report = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
written = sum(len(p.get("keys", [])) for p in report["phases"])
print(f"| {label} | {requests} | {report['http_requests']} | {written} |")
PY
}
bash "$BENCH_TMP/clear.sh"
printf '\n| push | requests (Worker log) | requests (devkit) | posts written |\n|:---|---:|---:|---:|\n'
count_push "first push, 1000 posts"
count_push "no-op push"
printf '\nedited\n' >>"$blog/posts/post-0500.md"
count_push "after editing one post"
