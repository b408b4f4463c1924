// Lists a namespace of wrangler's local state past `wrangler kv key list`'s cap of 1000 keys
// (a cursor, through wrangler's own getPlatformProxy), prints the keys with their metadata as
// one JSON line, then reads one JSON line of keys from stdin and prints their values.
// Arguments: wrangler's package folder, config file, environment, persist root (…/v3),
// binding, key prefix.
const [pkg, config, environment, persist, binding, prefix] = process.argv.slice(1);
const { getPlatformProxy } = require(pkg);

function readLine() {
  return new Promise((resolve) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => {
      text += chunk;
      const end = text.indexOf("\n");
      if (end >= 0) resolve(text.slice(0, end));
    });
    process.stdin.on("end", () => resolve(text));
  });
}

(async () => {
  const proxy = await getPlatformProxy({
    configPath: config || undefined,
    environment: environment || undefined,
    persist: { path: persist },
    remoteBindings: false,
  });
  try {
    const kv = proxy.env[binding];
    const keys = [];
    let cursor;
    do {
      const page = await kv.list({ prefix, cursor });
      for (const k of page.keys) keys.push([k.name, k.metadata ?? null]);
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    process.stdout.write(JSON.stringify(keys) + "\n");
    const wanted = JSON.parse((await readLine()) || "[]");
    const values = {};
    for (let i = 0; i < wanted.length; i += 64) {
      const batch = wanted.slice(i, i + 64);
      const got = await Promise.all(batch.map((k) => kv.get(k)));
      batch.forEach((k, j) => (values[k] = got[j]));
    }
    process.stdout.write(JSON.stringify(values) + "\n");
  } finally {
    await proxy.dispose();
  }
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
