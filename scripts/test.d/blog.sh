# The reference Worker's pinned wrangler (and workerd) for tests/blog.rs, exactly as
# examples/blog-worker/package-lock.json says. Skipped while node_modules matches the lock file.
blog_worker="$root/examples/blog-worker"
blog_stamp="$blog_worker/node_modules/.devkit-lock-sha256"
blog_want=$(sha256sum "$blog_worker/package-lock.json" | cut -d' ' -f1)
if [ ! -x "$blog_worker/node_modules/.bin/wrangler" ] \
  || [ "$(cat "$blog_stamp" 2>/dev/null)" != "$blog_want" ]; then
  if ! command -v npm >/dev/null; then
    echo "scripts/test: the blog tests need Node.js 20 with npm" >&2
    exit 1
  fi
  say "npm ci in examples/blog-worker (wrangler 4.86.0)"
  (cd "$blog_worker" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  printf '%s\n' "$blog_want" >"$blog_stamp"
fi
unset blog_worker blog_stamp blog_want
# tests/blog.rs writes a foreign row into the Durable Object's SQLite file with sqlite3.
if ! command -v sqlite3 >/dev/null; then
  say "apt-get install sqlite3 (the blog tests write a row the admin API did not)"
  apt-get install -y -qq sqlite3 >/dev/null
fi
# tests/blog.rs opens the published pages in a real headless Chromium (Debian's package).
if ! command -v chromium >/dev/null; then
  say "apt-get install chromium (the blog tests look at pages as a reader does)"
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
# python3 parses the Atom feed in tests/blog.rs with a real XML parser.
if ! command -v python3 >/dev/null; then
  say "apt-get install python3 (the blog tests parse the feed)"
  apt-get install -y -qq python3 >/dev/null
fi
