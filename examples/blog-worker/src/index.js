// The reference Worker for `devkit blog push`: it serves the posts devkit publishes, from
// Workers KV (the default) or from a SQLite-backed Durable Object (POSTS_SOURCE = "do"), and
// carries the admin API devkit writes the Durable Object through.
//
// KV: devkit writes one KV pair per post: key = POSTS_PREFIX + slug, value = the Markdown
// body, metadata = { devkit: 1, hash, title, status, date } (+ staged_at while a publish
// settles). The index reads only list() metadata: one list() call per 1000 posts, no get().
//
// Durable Object: one instance ("blog") holds a `posts` table. The admin API under
// /admin/api (Authorization: Bearer ADMIN_TOKEN) lists it and applies batches of upserts and
// deletes, each batch in one transaction (docs/BLOG.md has the contract).

import { DurableObject } from "cloudflare:workers";

const SLUG = /^[a-z0-9][a-z0-9-]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HASH = /^[0-9a-f]{64}$/;
const STATUSES = ["draft", "unlisted", "published"];
// A SQLite Durable Object row holds at most 2 MB; devkit checks the same sum before sending.
const MAX_ROW_BYTES = 2_000_000;
const ADMIN = "/admin/api";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === ADMIN || url.pathname.startsWith(ADMIN + "/")) {
      return admin(request, env, url.pathname.slice(ADMIN.length));
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    const fromDo = env.POSTS_SOURCE === "do";
    const prefix = env.POSTS_PREFIX ?? "";
    if (url.pathname === "/") {
      return fromDo ? indexPage(await blog(env).index()) : index(env.POSTS, prefix);
    }
    const match = url.pathname.match(/^\/posts\/([^/]+)\/?$/);
    if (match && SLUG.test(match[1])) {
      return fromDo ? postPage(await blog(env).get(match[1])) : post(env.POSTS, prefix, match[1]);
    }
    return notFound();
  },
};

// --- Workers KV -------------------------------------------------------------------------------

// GET /: published posts, newest first. Unlisted and draft posts never appear here.
async function index(kv, prefix) {
  const posts = [];
  let cursor;
  do {
    const page = await kv.list({ prefix, cursor });
    for (const { name, metadata } of page.keys) {
      if (metadata?.status === "published") {
        posts.push({ slug: name.slice(prefix.length), title: metadata.title, date: metadata.date });
      }
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  posts.sort((a, b) => (b.date ?? "").localeCompare(a.date ?? "") || a.slug.localeCompare(b.slug));
  return indexPage(posts);
}

// GET /posts/:slug: published or unlisted (reachable by link); draft and missing are 404.
async function post(kv, prefix, slug) {
  const { value, metadata } = await kv.getWithMetadata(prefix + slug);
  if (value === null || !metadata) {
    return notFound();
  }
  return postPage({ title: metadata.title, date: metadata.date, status: metadata.status, body: value });
}

// --- the Durable Object -------------------------------------------------------------------------

function blog(env) {
  return env.BLOG.get(env.BLOG.idFromName("blog"));
}

// The admin API: the token is checked here, before the Durable Object is touched.
async function admin(request, env, path) {
  if (!(await authorized(request, env.ADMIN_TOKEN))) {
    const why = env.ADMIN_TOKEN ? "a valid bearer token is required" : "ADMIN_TOKEN is not set on this Worker";
    return json({ error: `unauthorized: ${why}` }, 401, { "www-authenticate": 'Bearer realm="blog admin"' });
  }
  if (path === "/posts") {
    if (request.method !== "GET") return json({ error: "use GET" }, 405, { allow: "GET" });
    return json(await blog(env).list());
  }
  if (path === "/posts/batch") {
    if (request.method !== "POST") return json({ error: "use POST" }, 405, { allow: "POST" });
    let batch;
    try {
      batch = await request.json();
    } catch {
      return json({ error: "the body is not JSON" }, 400);
    }
    const result = await blog(env).apply(batch);
    return result.error ? json(result, 400) : json(result);
  }
  return json({ error: `no admin route ${request.method} ${ADMIN}${path}` }, 404);
}

async function authorized(request, token) {
  const header = request.headers.get("authorization") ?? "";
  if (!token || !header.startsWith("Bearer ")) return false;
  // Compare digests so that the comparison takes the same time whatever the lengths.
  const digest = async (text) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const [given, wanted] = await Promise.all([digest(header.slice(7)), digest(token)]);
  return crypto.subtle.timingSafeEqual(given, wanted);
}

// One SQLite-backed instance holds every post. A row without a hash was not written through
// the admin API (say, by the site's own code): devkit reports it and never overwrites it.
export class BlogPosts extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS posts (
      slug TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('draft', 'unlisted', 'published')),
      date TEXT NOT NULL,
      hash TEXT,
      body TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
  }

  // Every post without its body: what devkit plans against.
  list() {
    return this.sql.exec("SELECT slug, title, status, date, hash, updated_at FROM posts ORDER BY slug").toArray();
  }

  // Upserts and deletes in one transaction: an invalid item throws, and nothing is applied.
  apply(batch) {
    if (batch === null || typeof batch !== "object" || Array.isArray(batch)) {
      return { error: 'expected {"upsert": [...], "delete": [...]}' };
    }
    const upsert = batch.upsert ?? [];
    const remove = batch.delete ?? [];
    if (!Array.isArray(upsert) || !Array.isArray(remove)) {
      return { error: "upsert and delete must be arrays" };
    }
    const now = new Date().toISOString();
    try {
      return this.ctx.storage.transactionSync(() => {
        const seen = new Set();
        upsert.forEach((item, i) => {
          const problem = invalidPost(item, now) ?? (seen.has(item.slug) ? `slug \`${item.slug}\` appears twice` : null);
          if (problem) throw new Invalid(`upsert[${i}]`, problem);
          seen.add(item.slug);
          this.sql.exec(
            `INSERT INTO posts (slug, title, status, date, hash, body, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (slug) DO UPDATE SET title = excluded.title, status = excluded.status,
               date = excluded.date, hash = excluded.hash, body = excluded.body, updated_at = excluded.updated_at`,
            item.slug, item.title, item.status, item.date, item.hash, item.body, now,
          );
        });
        let deleted = 0;
        remove.forEach((slug, i) => {
          if (typeof slug !== "string" || !SLUG.test(slug)) throw new Invalid(`delete[${i}]`, "expected a slug");
          if (seen.has(slug)) throw new Invalid(`delete[${i}]`, `slug \`${slug}\` is both upserted and deleted`);
          deleted += this.sql.exec("DELETE FROM posts WHERE slug = ?", slug).rowsWritten > 0 ? 1 : 0;
        });
        return { upserted: upsert.length, deleted };
      });
    } catch (e) {
      // Thrown inside the transaction: every write before it was rolled back.
      if (e instanceof Invalid) return { error: `${e.where}: ${e.message}; nothing was applied`, item: e.where };
      throw e;
    }
  }

  // Published posts for the index, newest first.
  index() {
    return this.sql
      .exec("SELECT slug, title, date FROM posts WHERE status = 'published' ORDER BY date DESC, slug")
      .toArray();
  }

  get(slug) {
    return this.sql.exec("SELECT title, date, status, body FROM posts WHERE slug = ?", slug).toArray()[0] ?? null;
  }
}

class Invalid extends Error {
  constructor(where, message) {
    super(message);
    this.where = where;
  }
}

// Why an upsert item is invalid, or null.
function invalidPost(item, now) {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return "expected an object";
  const { slug, title, status, date, hash, body } = item;
  if (typeof slug !== "string" || !SLUG.test(slug)) return "slug: expected [a-z0-9][a-z0-9-]*";
  if (typeof title !== "string" || title.trim() === "") return "title: expected non-empty text";
  if (!STATUSES.includes(status)) return "status: expected draft, unlisted or published";
  if (typeof date !== "string" || !DATE.test(date)) return "date: expected YYYY-MM-DD";
  if (typeof hash !== "string" || !HASH.test(hash)) return "hash: expected 64 lowercase hex digits";
  if (typeof body !== "string") return "body: expected text";
  const bytes = [slug, title, status, date, hash, body, now].reduce((n, s) => n + utf8Length(s), 0);
  if (bytes > MAX_ROW_BYTES) return `the row would be ${bytes} bytes; a row holds at most ${MAX_ROW_BYTES}`;
  return null;
}

function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

// --- pages --------------------------------------------------------------------------------------

function indexPage(posts) {
  const items = posts
    .map((p) => `<li><time>${escape(p.date)}</time> <a href="/posts/${p.slug}">${escape(p.title)}</a></li>`)
    .join("\n");
  return html("Posts", `<h1>Posts</h1>\n<ul>\n${items}\n</ul>`);
}

// Published or unlisted posts are served; draft and missing are 404.
function postPage(post) {
  if (!post || !["published", "unlisted"].includes(post.status)) {
    return notFound();
  }
  // The body is Markdown; render it with the library of your choice. Here it is shown as text.
  const body = `<article>\n<h1>${escape(post.title)}</h1>\n<time>${escape(post.date)}</time>\n<pre>${escape(post.body)}</pre>\n</article>`;
  return html(post.title, body);
}

function html(title, body) {
  const page = `<!doctype html>\n<meta charset="utf-8">\n<title>${escape(title)}</title>\n${body}\n`;
  return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
}

function json(value, status = 200, headers = {}) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function notFound() {
  return new Response("not found\n", { status: 404, headers: { "content-type": "text/plain" } });
}

function escape(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
