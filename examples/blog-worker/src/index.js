// The reference Worker for `devkit blog push`: it serves the blog devkit publishes, from
// Workers KV (the default), from a SQLite-backed Durable Object (POSTS_SOURCE = "do") or from
// D1 (POSTS_SOURCE = "d1", read in src/d1.js), and carries the admin API devkit writes the
// Durable Object through. No build step. docs/BLOG.md describes the storage formats it reads.
//
// KV, storage format 2: key POSTS_PREFIX + slug holds the rendered HTML fragment, its metadata
// { devkit: 2, hash, title, status, date, excerpt, tags, updated?, image? } is all the index needs
// (one list() per 1000 keys, no get()). POSTS_PREFIX + "~assets/" + name holds a file (its
// metadata names its content_type); "~source/" keys hold the Markdown for `devkit blog pull`.
// Format 1 (devkit: 1) and foreign keys hold Markdown, shown as text.
//
// Durable Object: one instance ("blog") holds the `posts` and `assets` tables. The admin API
// under /admin/api (Authorization: Bearer ADMIN_TOKEN) lists them, applies batches (one
// transaction each) and exports everything.

import { DurableObject } from "cloudflare:workers";
import { d1Store } from "./d1.js";

const SLUG = /^[a-z0-9][a-z0-9-]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HASH = /^[0-9a-f]{64}$/;
const ASSET = /^[0-9a-f]{64}(\.[a-z0-9]+)?$/;
const STATUSES = ["draft", "unlisted", "published"];
// A SQLite Durable Object row holds at most 2 MB; devkit checks the same sum before sending.
const MAX_ROW_BYTES = 2_000_000;
const ADMIN = "/admin/api";
const SOURCE = "~source/";
const ASSETS = "~assets/";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === ADMIN || url.pathname.startsWith(ADMIN + "/")) {
      return admin(request, env, url.pathname.slice(ADMIN.length));
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    const store = { do: () => doStore(env), d1: () => d1Store(env.DB) }[env.POSTS_SOURCE]?.() ?? kvStore(env.POSTS, env.POSTS_PREFIX ?? "");
    const path = url.pathname;
    if (path === "/") {
      return indexPage("Posts", await store.published());
    }
    if (path === "/feed.xml") {
      return feed(url.origin, await store.published());
    }
    let match = path.match(/^\/posts\/([^/]+)\/?$/);
    if (match && SLUG.test(match[1])) {
      return postPage(match[1], await store.post(match[1]));
    }
    match = path.match(/^\/tags\/([^/]+)\/?$/);
    if (match && SLUG.test(match[1])) {
      const tag = match[1];
      const posts = (await store.published()).filter((p) => p.tags.includes(tag));
      return posts.length ? indexPage(`Tagged “${tag}”`, posts) : notFound();
    }
    match = path.match(/^\/assets\/([^/]+)$/);
    if (match && ASSET.test(match[1])) {
      return asset(await store.asset(match[1]));
    }
    return notFound();
  },
};

// --- Workers KV -------------------------------------------------------------------------------

function kvStore(kv, prefix) {
  return {
    // Published posts, newest first, from list() metadata alone. devkit's `~` keys sort after
    // every post key and are skipped; unlisted and draft posts never appear.
    async published() {
      const posts = [];
      let cursor;
      do {
        const page = await kv.list({ prefix, cursor });
        for (const { name, metadata } of page.keys) {
          const slug = name.slice(prefix.length);
          if (!slug.startsWith("~") && metadata?.status === "published") {
            posts.push(summary(slug, metadata));
          }
        }
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      return newestFirst(posts);
    },
    async post(slug) {
      const { value, metadata } = await kv.getWithMetadata(prefix + slug);
      if (value === null || !metadata) return null;
      const page = summary(slug, metadata);
      page.status = metadata.status;
      // Format 2 holds HTML; format 1 and foreign keys (the seed's model) hold Markdown.
      if (metadata.devkit === 2) page.html = value;
      else page.markdown = value;
      return page;
    },
    async asset(name) {
      const { value, metadata } = await kv.getWithMetadata(prefix + ASSETS + name, { type: "arrayBuffer" });
      if (value === null) return null;
      // devkit writes local state as base64 text (wrangler's local bulk put cannot store bytes).
      const data = metadata?.encoding === "base64" ? fromBase64(new TextDecoder().decode(value)) : value;
      return { data, content_type: metadata?.content_type };
    },
  };
}

// --- the Durable Object -------------------------------------------------------------------------

function blog(env) {
  return env.BLOG.get(env.BLOG.idFromName("blog"));
}

function doStore(env) {
  return {
    published: async () => (await blog(env).index()).map((row) => summary(row.slug, row)),
    async post(slug) {
      const row = await blog(env).get(slug);
      if (!row) return null;
      const page = summary(slug, row);
      page.status = row.status;
      if (row.html !== null && row.html !== undefined) page.html = row.html;
      else page.markdown = row.body;
      return page;
    },
    asset: (name) => blog(env).asset(name),
  };
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
  if (path === "/export") {
    if (request.method !== "GET") return json({ error: "use GET" }, 405, { allow: "GET" });
    return json(await blog(env).export());
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

// One SQLite-backed instance holds every post and file. A row without a hash was not written
// through the admin API (say, by the site's own code): devkit reports it and never overwrites it.
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
    // Storage format 2: a table written by format 1 gains the columns it lacks, once.
    const have = new Set(this.sql.exec("PRAGMA table_info(posts)").toArray().map((c) => c.name));
    for (const column of ["html", "source", "excerpt", "tags", "updated"]) {
      if (!have.has(column)) this.sql.exec(`ALTER TABLE posts ADD COLUMN ${column} TEXT`);
    }
    this.sql.exec(`CREATE TABLE IF NOT EXISTS assets (
      name TEXT PRIMARY KEY,
      content_type TEXT NOT NULL,
      data BLOB NOT NULL
    )`);
  }

  // Every post without its page, and every file's name: what devkit plans against. Foreign
  // rows (no hash) carry their body, so adopting them needs no other request.
  list() {
    const posts = this.sql
      .exec(
        `SELECT slug, title, status, date, hash, updated_at, excerpt, tags, updated,
           html IS NOT NULL AS has_html,
           CASE WHEN hash IS NULL OR hash = '' THEN body END AS body
         FROM posts ORDER BY slug`,
      )
      .toArray()
      .map(({ has_html, tags, body, ...row }) => {
        const out = { ...row, tags: parseTags(tags) };
        if (row.hash) out.devkit = has_html ? 2 : 1;
        else out.body = body;
        return out;
      });
    const assets = this.sql.exec("SELECT name, content_type, length(data) AS bytes FROM assets ORDER BY name").toArray();
    return { posts, assets };
  }

  // Everything, for `devkit blog pull --target do`: each row's source (or, for a row devkit
  // did not write, its body) and every file in base64.
  export() {
    const posts = this.sql
      .exec("SELECT slug, title, status, date, hash, body, source, excerpt, tags, updated, updated_at FROM posts ORDER BY slug")
      .toArray()
      .map(({ source, body, tags, ...row }) => {
        const out = { ...row, tags: parseTags(tags) };
        if (source !== null && source !== undefined) out.source = JSON.parse(source);
        else out.body = body;
        return out;
      });
    const assets = this.sql
      .exec("SELECT name, content_type, data FROM assets ORDER BY name")
      .toArray()
      .map(({ data, ...a }) => ({ ...a, bytes: data.byteLength, data: toBase64(new Uint8Array(data)) }));
    return { devkit: 2, posts, assets };
  }

  // Files, upserts and deletes in one transaction: an invalid item throws, nothing is applied.
  apply(batch) {
    if (batch === null || typeof batch !== "object" || Array.isArray(batch)) {
      return { error: 'expected {"assets": [...], "upsert": [...], "delete": [...], "delete_assets": [...]}' };
    }
    const files = batch.assets ?? [];
    const upsert = batch.upsert ?? [];
    const remove = batch.delete ?? [];
    const removeFiles = batch.delete_assets ?? [];
    if (![files, upsert, remove, removeFiles].every(Array.isArray)) {
      return { error: "assets, upsert, delete and delete_assets must be arrays" };
    }
    const now = new Date().toISOString();
    try {
      return this.ctx.storage.transactionSync(() => {
        files.forEach((item, i) => {
          const { problem, data } = invalidAsset(item);
          if (problem) throw new Invalid(`assets[${i}]`, problem);
          this.sql.exec(
            `INSERT INTO assets (name, content_type, data) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET content_type = excluded.content_type, data = excluded.data`,
            item.name, item.content_type, data.buffer,
          );
        });
        const seen = new Set();
        upsert.forEach((item, i) => {
          const problem = invalidPost(item, now) ?? (seen.has(item.slug) ? `slug \`${item.slug}\` appears twice` : null);
          if (problem) throw new Invalid(`upsert[${i}]`, problem);
          seen.add(item.slug);
          this.sql.exec(
            `INSERT INTO posts (slug, title, status, date, hash, body, updated_at, html, source, excerpt, tags, updated)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (slug) DO UPDATE SET title = excluded.title, status = excluded.status,
               date = excluded.date, hash = excluded.hash, body = excluded.body, updated_at = excluded.updated_at,
               html = excluded.html, source = excluded.source, excerpt = excluded.excerpt,
               tags = excluded.tags, updated = excluded.updated`,
            item.slug, item.title, item.status, item.date, item.hash, item.body, now,
            item.html ?? null, item.source ?? null, item.excerpt ?? null,
            item.tags === undefined ? null : JSON.stringify(item.tags), item.updated ?? null,
          );
        });
        let deleted = 0;
        remove.forEach((slug, i) => {
          if (typeof slug !== "string" || !SLUG.test(slug)) throw new Invalid(`delete[${i}]`, "expected a slug");
          if (seen.has(slug)) throw new Invalid(`delete[${i}]`, `slug \`${slug}\` is both upserted and deleted`);
          deleted += this.sql.exec("DELETE FROM posts WHERE slug = ?", slug).rowsWritten > 0 ? 1 : 0;
        });
        let deletedAssets = 0;
        removeFiles.forEach((name, i) => {
          if (typeof name !== "string" || !ASSET.test(name)) throw new Invalid(`delete_assets[${i}]`, "expected an asset name");
          deletedAssets += this.sql.exec("DELETE FROM assets WHERE name = ?", name).rowsWritten > 0 ? 1 : 0;
        });
        return { upserted: upsert.length, deleted, assets: files.length, deleted_assets: deletedAssets };
      });
    } catch (e) {
      // Thrown inside the transaction: every write before it was rolled back.
      if (e instanceof Invalid) return { error: `${e.where}: ${e.message}; nothing was applied`, item: e.where };
      throw e;
    }
  }

  // Published posts for the index and the feed, newest first.
  index() {
    return this.sql
      .exec("SELECT slug, title, date, excerpt, tags, updated FROM posts WHERE status = 'published' ORDER BY date DESC, slug")
      .toArray()
      .map((row) => ({ ...row, tags: parseTags(row.tags) }));
  }

  get(slug) {
    const row = this.sql
      .exec("SELECT title, date, status, body, html, excerpt, tags, updated FROM posts WHERE slug = ?", slug)
      .toArray()[0];
    return row ? { ...row, tags: parseTags(row.tags) } : null;
  }

  asset(name) {
    return this.sql.exec("SELECT content_type, data FROM assets WHERE name = ?", name).toArray()[0] ?? null;
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
  const { slug, title, status, date, hash, body, html, source, excerpt, tags, updated } = item;
  if (typeof slug !== "string" || !SLUG.test(slug)) return "slug: expected [a-z0-9][a-z0-9-]*";
  if (typeof title !== "string" || title.trim() === "") return "title: expected non-empty text";
  if (!STATUSES.includes(status)) return "status: expected draft, unlisted or published";
  if (typeof date !== "string" || !DATE.test(date)) return "date: expected YYYY-MM-DD";
  if (typeof hash !== "string" || !HASH.test(hash)) return "hash: expected 64 lowercase hex digits";
  if (typeof body !== "string") return "body: expected text";
  for (const [name, value] of [["html", html], ["source", source], ["excerpt", excerpt]]) {
    if (value !== undefined && value !== null && typeof value !== "string") return `${name}: expected text`;
  }
  if (source !== undefined && source !== null) {
    try {
      JSON.parse(source);
    } catch {
      return "source: expected JSON text";
    }
  }
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === "string"))) {
    return "tags: expected a list of text";
  }
  if (updated !== undefined && updated !== null && !(typeof updated === "string" && DATE.test(updated))) {
    return "updated: expected YYYY-MM-DD";
  }
  const texts = [slug, title, status, date, hash, body, now, html, source, excerpt, updated, JSON.stringify(tags ?? [])];
  const bytes = texts.reduce((n, s) => n + (typeof s === "string" ? utf8Length(s) : 0), 0);
  if (bytes > MAX_ROW_BYTES) return `the row would be ${bytes} bytes; a row holds at most ${MAX_ROW_BYTES}`;
  return null;
}

// Why an asset item is invalid (`problem`), or its decoded bytes (`data`).
function invalidAsset(item) {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return { problem: "expected an object" };
  const { name, content_type, data } = item;
  if (typeof name !== "string" || !ASSET.test(name)) return { problem: "name: expected <sha256 hex>[.ext]" };
  if (typeof content_type !== "string" || content_type === "") return { problem: "content_type: expected text" };
  if (typeof data !== "string") return { problem: "data: expected base64 text" };
  let bytes;
  try {
    bytes = fromBase64(data);
  } catch {
    return { problem: "data: expected base64 text" };
  }
  const size = bytes.byteLength + utf8Length(name) + utf8Length(content_type);
  if (size > MAX_ROW_BYTES) return { problem: `the row would be ${size} bytes; a row holds at most ${MAX_ROW_BYTES}` };
  return { data: bytes };
}

export function parseTags(text) {
  if (typeof text !== "string") return [];
  try {
    const tags = JSON.parse(text);
    return Array.isArray(tags) ? tags : [];
  } catch {
    return [];
  }
}

function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

// --- pages --------------------------------------------------------------------------------------

// What the index, the tag pages and the feed need of a post.
function summary(slug, meta) {
  return {
    slug,
    title: meta.title ?? slug,
    date: meta.date ?? "",
    excerpt: meta.excerpt ?? "",
    tags: Array.isArray(meta.tags) ? meta.tags.filter((t) => typeof t === "string") : [],
    updated: meta.updated ?? null,
    image: coverUrl(meta.image),
  };
}

// The cover's URL from the metadata (`/assets/<name>`, or a URL as written): only a path
// from the site root or an http(s) URL is used.
function coverUrl(url) {
  return typeof url === "string" && /^(\/(?!\/)|https?:\/\/)/.test(url) ? url : null;
}

function cover(p, cls) {
  return p.image ? `<img class="${cls}" src="${escape(p.image)}" alt="">` : "";
}

function newestFirst(posts) {
  return posts.sort((a, b) => (b.date ?? "").localeCompare(a.date ?? "") || a.slug.localeCompare(b.slug));
}

function tagLinks(tags) {
  if (!tags.length) return "";
  const links = tags.map((t) => `<a href="/tags/${encodeURIComponent(t)}">#${escape(t)}</a>`).join(" ");
  return ` <span class="tags">${links}</span>`;
}

function indexPage(heading, posts) {
  const items = posts
    .map(
      (p) => `<li>
${cover(p, "thumb")}<h2><a href="/posts/${p.slug}">${escape(p.title)}</a></h2>
<p class="meta"><time datetime="${escape(p.date)}">${escape(p.date)}</time>${tagLinks(p.tags)}</p>
${p.excerpt ? `<p class="excerpt">${escape(p.excerpt)}</p>` : ""}
</li>`,
    )
    .join("\n");
  const body = `<h1>${escape(heading)}</h1>\n<ul class="posts">\n${items}\n</ul>`;
  return html(heading, body);
}

// Published or unlisted posts are served; draft and missing are 404.
function postPage(slug, post) {
  if (!post || !["published", "unlisted"].includes(post.status)) {
    return notFound();
  }
  const updated = post.updated ? ` · updated <time datetime="${escape(post.updated)}">${escape(post.updated)}</time>` : "";
  // Format 2 is rendered HTML (devkit sanitized it at push time unless blog.html is
  // trusted); older or foreign values are Markdown, shown as text.
  const content = post.html ?? `<pre>${escape(post.markdown)}</pre>`;
  const body = `<article>
<h1>${escape(post.title)}</h1>
<p class="meta"><time datetime="${escape(post.date)}">${escape(post.date)}</time>${updated}${tagLinks(post.tags)}</p>
${cover(post, "cover")}
${content}
</article>`;
  return html(post.title, body);
}

function asset(found) {
  if (!found) return notFound();
  // Content-addressed: a name never changes what it serves.
  return new Response(found.data, {
    headers: {
      "content-type": found.content_type || "application/octet-stream",
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
}

// Atom 1.0 of the published posts (RFC 4287): title, link, id, updated, summary.
function feed(origin, posts) {
  const stamp = (p) => `${p.updated || p.date}T00:00:00Z`;
  const newest = posts.map(stamp).sort().pop() ?? "1970-01-01T00:00:00Z";
  const entries = posts
    .map(
      (p) => `  <entry>
    <title>${escape(p.title)}</title>
    <link rel="alternate" type="text/html" href="${origin}/posts/${p.slug}"/>
    <id>${origin}/posts/${p.slug}</id>
    <published>${p.date}T00:00:00Z</published>
    <updated>${stamp(p)}</updated>
    <summary>${escape(p.excerpt)}</summary>
${p.image ? `    <media:content url="${escape(new URL(p.image, origin).href)}" medium="image"/>\n` : ""}${p.tags.map((t) => `    <category term="${escape(t)}"/>`).join("\n")}
  </entry>`,
    )
    .join("\n");
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
  <title>Posts</title>
  <id>${origin}/</id>
  <link rel="alternate" type="text/html" href="${origin}/"/>
  <link rel="self" type="application/atom+xml" href="${origin}/feed.xml"/>
  <updated>${newest}</updated>
  <author><name>${escape(new URL(origin).host)}</name></author>
${entries}
</feed>
`;
  return new Response(xml, { headers: { "content-type": "application/atom+xml; charset=utf-8" } });
}

// Layout, code blocks and tables, light and dark: no script, no fetch. The highlighter's colours
// are inline and made for a light background, so a code block keeps a light box of its own
// (the inline background yields to it); in the dark scheme the box is inverted, hues kept.
const STYLE = `
body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; font: 17px/1.6 system-ui, sans-serif; color: #1f2328; }
header { display: flex; justify-content: space-between; border-bottom: 1px solid #d0d7de; margin-bottom: 1.5rem; }
a { color: #0969da; }
.meta { color: #59636e; font-size: .9em; }
.tags a { margin-right: .4em; text-decoration: none; }
ul.posts { list-style: none; padding: 0; }
ul.posts h2 { margin-bottom: 0; }
pre { overflow-x: auto; padding: 1rem; border-radius: 6px; line-height: 1.45; color: #1f2328;
  background-color: #f6f8fa !important; border: 1px solid #d0d7de; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, monospace; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d0d7de; padding: .35rem .7rem; }
th { background: #f6f8fa; }
img { max-width: 100%; height: auto; }
blockquote { margin: 0; padding-left: 1rem; border-left: .25em solid #d0d7de; color: #59636e; }
img.cover { display: block; width: 100%; margin: 1rem 0; border-radius: 6px; }
img.thumb { float: right; width: 8rem; margin: .5rem 0 .5rem 1rem; border-radius: 4px; }
ul.posts li { overflow: hidden; }
:root { color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  body { background: #0d1117; color: #e6edf3; }
  header, th, td, blockquote { border-color: #3d444d; }
  a { color: #4493f8; }
  .meta, blockquote { color: #9198a1; }
  th { background: #151b23; }
  pre { background-color: #e9e4dd !important; border-color: #c2bbb2; filter: invert(1) hue-rotate(180deg); }
}
`;

function html(title, body) {
  const page = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<link rel="alternate" type="application/atom+xml" title="Posts" href="/feed.xml">
<style>${STYLE}</style>
<header><a href="/">Posts</a><a href="/feed.xml">Feed</a></header>
<main>
${body}
</main>
</html>
`;
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
