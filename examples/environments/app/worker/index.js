// CF Office Hours API, reduced to what shows that a deployment works: the
// design's health endpoint, which reads the Worker's KV namespaces, its
// Durable Object and its secrets, and answers which environment and release
// serve it.

// The release this code is; a new build changes it.
const RELEASE = "2026.12.1";

// SlotGenerator hands out booking slots; here it counts the times it was
// asked, in its storage, which outlives redeploys and restarts.
export class SlotGenerator {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }

  async fetch() {
    const generated = ((await this.ctx.storage.get("generated")) ?? 0) + 1;
    await this.ctx.storage.put("generated", generated);
    return Response.json({ slots: [], generated });
  }
}

// health checks each dependency the Worker has; "ok" only when all are.
async function health(env) {
  const checks = {};
  const notice = await env.CACHE.get("notice").then(
    (value) => { checks.cache = "ok"; return value; },
    (err) => { checks.cache = `failing: ${err.message}`; return null; },
  );
  try {
    await env.RATE_LIMIT.list({ limit: 1 });
    checks.rate_limit = "ok";
  } catch (err) {
    checks.rate_limit = `failing: ${err.message}`;
  }
  if (env.SLOT_GENERATOR) {
    try {
      const stub = env.SLOT_GENERATOR.get(env.SLOT_GENERATOR.idFromName("health"));
      const answer = await (await stub.fetch("https://slot-generator/health")).json();
      checks.slot_generator = Number.isInteger(answer.generated) ? "ok" : "failing: no count";
    } catch (err) {
      checks.slot_generator = `failing: ${err.message}`;
    }
  }
  // Secrets are checked for presence only: their values never leave.
  checks.secrets = env.SUPABASE_SERVICE_ROLE_KEY ? "ok" : "failing: SUPABASE_SERVICE_ROLE_KEY is not set";
  // Operators take the API out of rotation by putting a reason under
  // "health:failing" in CACHE (wrangler kv key put, or the KV API).
  const forced = await env.CACHE.get("health:failing").catch(() => null);
  if (forced) checks.operator = `failing: ${forced}`;

  const ok = Object.values(checks).every((c) => c === "ok");
  return Response.json({
    status: ok ? "ok" : "failing",
    timestamp: new Date().toISOString(),
    environment: env.ENVIRONMENT,
    version: env.VERSION ?? RELEASE,
    checks,
    ...(notice ? { notice } : {}),
  }, { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/health") {
      return health(env);
    }
    return new Response("Not found", { status: 404 });
  },
};
