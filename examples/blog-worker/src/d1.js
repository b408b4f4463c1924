// The D1 read side (POSTS_SOURCE = "d1"): devkit's tables in the database bound as DB
// (docs/BLOG.md, "D1"). devkit's rows keep their page in devkit_chunks, in order; a row
// without a hash was written by someone else and holds Markdown in its body.

import { parseTags } from "./index.js";

export function d1Store(db) {
  return {
    async published() {
      const query = db.prepare(
        "SELECT slug, title, date, excerpt, tags, updated FROM posts WHERE status = 'published' ORDER BY date DESC, slug",
      );
      const { results } = await beforeFirstPush(() => query.all(), { results: [] });
      return results.map((row) => ({ ...row, tags: parseTags(row.tags) }));
    },
    async post(slug) {
      const [rows, chunks] = await beforeFirstPush(() => db.batch([
        db.prepare("SELECT title, date, status, hash, body, excerpt, tags, updated FROM posts WHERE slug = ?").bind(slug),
        db.prepare("SELECT data FROM devkit_chunks WHERE key = ? AND part = 'html' ORDER BY n").bind(slug),
      ]), [{ results: [] }]);
      const row = rows.results[0];
      if (!row) return null;
      const page = { ...row, tags: parseTags(row.tags) };
      if (row.hash) page.html = chunks.results.map((c) => c.data).join("");
      else page.markdown = row.body;
      return page;
    },
    async asset(name) {
      const [rows, chunks] = await beforeFirstPush(() => db.batch([
        db.prepare("SELECT content_type FROM assets WHERE name = ?").bind(name),
        db.prepare("SELECT data FROM devkit_chunks WHERE key = ? AND part = 'file' ORDER BY n").bind("~assets/" + name),
      ]), [{ results: [] }]);
      const row = rows.results[0];
      if (!row) return null;
      // A BLOB comes back as an ArrayBuffer or an array of numbers: either makes a Uint8Array.
      const parts = chunks.results.map((c) => new Uint8Array(c.data));
      const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        data.set(p, at);
        at += p.length;
      }
      return { data, content_type: row.content_type };
    },
  };
}

// Until devkit's first push creates its tables, the blog is empty rather than an error.
async function beforeFirstPush(query, empty) {
  try {
    return await query();
  } catch (e) {
    if (String(e?.message).includes("no such table")) return empty;
    throw e;
  }
}
