// The local Workers runtime: one Miniflare (Cloudflare's simulator on
// workerd) running the Workers the local Cloudflare API has deployed. The
// Go side (runtime.go) owns what runs; this process only applies it:
//
//   PUT /workers  {workers: [...], kvBridge}  =>  {urls: {worker: "http://127.0.0.1:port"}}
//
// Each worker gets a direct socket (Miniflare's unsafeDirectSockets), so
// the local edge sends requests straight to workerd. KV bindings are
// wrapped bindings (Miniflare's wrappedBindings) over the local API's KV
// REST API, so a Worker reads and writes the one store the API serves.
import http from "node:http";
import { Miniflare } from "miniflare";

const persist = process.env.OFFICEHOURS_RUNTIME_DIR;
if (!persist) {
  console.error("OFFICEHOURS_RUNTIME_DIR is not set");
  process.exit(2);
}

// KV's binding API (developers.cloudflare.com/kv/api) on Cloudflare's KV
// REST API: values/{key}, metadata/{key}, keys with cursor paging. Reads are
// cached where they were made, as at Cloudflare's edge: for cacheTtl seconds
// (60 by default, 30 at least; the KV docs), misses too, so a value written
// elsewhere (the REST API, wrangler) can take up to a minute to be read
// where the key was read just before. A write through the binding is read
// back at once where it was made.
const kvWrapper = `
const cache = new Map(); // per isolate: "namespace\\0key" => { bytes, metadata, until }
export default function (env) {
  const base = env.bridge + "/" + encodeURIComponent(env.namespace);
  const key = (k) => encodeURIComponent(String(k));
  const cacheKey = (name) => env.namespace + "\\0" + String(name);
  function typed(bytes, type) {
    if (bytes === null) return null;
    switch (type ?? "text") {
      case "text": return new TextDecoder().decode(bytes);
      case "json": return JSON.parse(new TextDecoder().decode(bytes));
      case "arrayBuffer": return bytes.slice().buffer;
      case "stream": return new Response(bytes.slice()).body;
      default: throw new TypeError('Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".');
    }
  }
  // An entry's metadata is read only when asked for (undefined until then).
  async function fetchEntry(name) {
    const res = await fetch(base + "/values/" + key(name));
    if (res.status === 404) { await res.body?.cancel(); return { bytes: null, metadata: null }; }
    if (!res.ok) throw new Error("KV GET failed: " + res.status + " " + (await res.text()));
    return { bytes: new Uint8Array(await res.arrayBuffer()), metadata: undefined };
  }
  async function read(name, options, withMetadata) {
    const ttl = Math.max(Number(options?.cacheTtl ?? 60), 30) * 1000;
    let entry = cache.get(cacheKey(name));
    if (!entry || entry.until <= Date.now()) {
      entry = await fetchEntry(name);
      entry.until = Date.now() + ttl;
      cache.set(cacheKey(name), entry);
    }
    if (withMetadata && entry.metadata === undefined) {
      entry.metadata = (await (await fetch(base + "/metadata/" + key(name))).json()).result ?? null;
    }
    return entry;
  }
  const typeOf = (options) => typeof options === "string" ? options : options?.type;
  const optionsOf = (options) => typeof options === "string" ? {} : options;
  return {
    async get(name, options) { return typed((await read(name, optionsOf(options))).bytes, typeOf(options)); },
    async getWithMetadata(name, options) {
      const entry = await read(name, optionsOf(options), true);
      if (entry.bytes === null) return { value: null, metadata: null, cacheStatus: null };
      return { value: typed(entry.bytes, typeOf(options)), metadata: entry.metadata, cacheStatus: null };
    },
    async put(name, value, options = {}) {
      const query = new URLSearchParams();
      if (options.expiration !== undefined) query.set("expiration", String(options.expiration));
      if (options.expirationTtl !== undefined) query.set("expiration_ttl", String(options.expirationTtl));
      const bytes = typeof value === "string" ? new TextEncoder().encode(value) : new Uint8Array(await new Response(value).arrayBuffer());
      let body = bytes;
      if (options.metadata !== undefined && options.metadata !== null) {
        body = new FormData();
        body.set("value", new Blob([bytes]));
        body.set("metadata", JSON.stringify(options.metadata));
      }
      const res = await fetch(base + "/values/" + key(name) + (query.size ? "?" + query : ""), { method: "PUT", body });
      if (!res.ok) throw new Error("KV PUT failed: " + (await res.text()));
      await res.body?.cancel();
      cache.set(cacheKey(name), { bytes, metadata: options.metadata ?? null, until: Date.now() + 60000 });
    },
    async delete(name) {
      const res = await fetch(base + "/values/" + key(name), { method: "DELETE" });
      if (!res.ok) throw new Error("KV DELETE failed: " + (await res.text()));
      await res.body?.cancel();
      cache.set(cacheKey(name), { bytes: null, metadata: null, until: Date.now() + 60000 });
    },
    async list(options = {}) {
      const query = new URLSearchParams();
      for (const field of ["prefix", "limit", "cursor"]) if (options[field] != null) query.set(field, String(options[field]));
      const res = await fetch(base + "/keys?" + query);
      const body = await res.json();
      if (!body.success) throw new Error("KV list failed: " + JSON.stringify(body.errors));
      const cursor = body.result_info?.cursor ?? "";
      return cursor ? { keys: body.result, list_complete: false, cursor, cacheStatus: null }
                    : { keys: body.result, list_complete: true, cacheStatus: null };
    },
  };
}
`;
const kvWorker = "officehours-kv-binding";

function workerOptions(w, kvBridge) {
  const opts = {
    name: w.name,
    compatibilityDate: w.compatibilityDate || undefined,
    compatibilityFlags: w.compatibilityFlags ?? [],
    bindings: w.bindings ?? {},
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  };
  if (w.serviceWorker) {
    opts.script = Buffer.from(w.serviceWorker, "base64").toString("utf8");
  } else {
    opts.modulesRoot = "/";
    opts.modules = w.modules.map((m) => ({ type: m.type, path: "/" + m.path, contents: Buffer.from(m.contents, "base64") }));
  }
  const kv = Object.entries(w.kv ?? {});
  if (kv.length) {
    opts.wrappedBindings = Object.fromEntries(kv.map(([binding, namespace]) =>
      [binding, { scriptName: kvWorker, bindings: { namespace, bridge: kvBridge } }]));
  }
  if (w.services) opts.serviceBindings = w.services;
  const objects = Object.entries(w.durableObjects ?? {});
  if (objects.length) {
    opts.durableObjects = Object.fromEntries(objects.map(([binding, o]) => [binding, {
      className: o.className, scriptName: o.worker === w.name ? undefined : o.worker,
      unsafeUniqueKey: o.uniqueKey, useSQLite: o.sqlite || undefined,
    }]));
  }
  return opts;
}

let mf;
let applying = Promise.resolve();

async function apply(config) {
  const workers = config.workers.map((w) => workerOptions(w, config.kvBridge));
  if (workers.length === 0) {
    if (mf) { await mf.dispose(); mf = undefined; }
    return {};
  }
  if (workers.some((w) => w.wrappedBindings)) {
    workers.push({ name: kvWorker, modules: [{ type: "ESModule", path: "kv.mjs", contents: kvWrapper }] });
  }
  const options = { workers, durableObjectsPersist: persist + "/durable-objects", cachePersist: persist + "/cache" };
  if (mf) await mf.setOptions(options);
  else mf = new Miniflare(options);
  await mf.ready;
  const urls = {};
  for (const w of config.workers) urls[w.name] = (await mf.unsafeGetDirectURL(w.name)).toString();
  return urls;
}

const server = http.createServer(async (req, res) => {
  if (req.method !== "PUT" || req.url !== "/workers") {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const run = applying.then(() => apply(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
  applying = run.catch(() => {});
  try {
    const urls = await run;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ urls }));
  } catch (e) {
    // A failed start leaves nothing running: start over on the next apply.
    if (mf) { await mf.dispose().catch(() => {}); mf = undefined; }
    res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ error: String(e?.message ?? e) }));
  }
});

async function stop() {
  server.close();
  if (mf) await mf.dispose().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// The Go side holds our stdin: when it goes, so do we.
process.stdin.on("end", stop);
process.stdin.resume();

server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ control: `http://127.0.0.1:${server.address().port}` }));
});
