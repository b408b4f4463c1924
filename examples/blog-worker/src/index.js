// The reference Worker for `devkit blog push` (Workers KV).
//
// devkit writes one KV pair per post: key = POSTS_PREFIX + slug, value = the Markdown body,
// metadata = { devkit: 1, hash, title, status, date } (+ staged_at while a publish settles).
// The index reads only list() metadata, so it costs one list() call per 1000 posts and no get().

const SLUG = /^[a-z0-9][a-z0-9-]*$/;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    const prefix = env.POSTS_PREFIX ?? "";
    if (url.pathname === "/") {
      return index(env.POSTS, prefix);
    }
    const match = url.pathname.match(/^\/posts\/([^/]+)\/?$/);
    if (match && SLUG.test(match[1])) {
      return post(env.POSTS, prefix, match[1]);
    }
    return notFound();
  },
};

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
  const items = posts
    .map((p) => `<li><time>${escape(p.date)}</time> <a href="/posts/${p.slug}">${escape(p.title)}</a></li>`)
    .join("\n");
  return html("Posts", `<h1>Posts</h1>\n<ul>\n${items}\n</ul>`);
}

// GET /posts/:slug: published or unlisted (reachable by link); draft and missing are 404.
async function post(kv, prefix, slug) {
  const { value, metadata } = await kv.getWithMetadata(prefix + slug);
  if (value === null || !metadata || !["published", "unlisted"].includes(metadata.status)) {
    return notFound();
  }
  // The body is Markdown; render it with the library of your choice. Here it is shown as text.
  const body = `<article>\n<h1>${escape(metadata.title)}</h1>\n<time>${escape(metadata.date)}</time>\n<pre>${escape(value)}</pre>\n</article>`;
  return html(metadata.title, body);
}

function html(title, body) {
  const page = `<!doctype html>\n<meta charset="utf-8">\n<title>${escape(title)}</title>\n${body}\n`;
  return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
}

function notFound() {
  return new Response("not found\n", { status: 404, headers: { "content-type": "text/plain" } });
}

function escape(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
