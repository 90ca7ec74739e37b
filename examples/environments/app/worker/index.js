// CF Office Hours API, reduced to its health check: enough to deploy and
// route, and to tell which environment and version answer.
export class SlotGenerator {
  constructor(state, env) {
    this.state = state;
    this.env = env;
  }

  async fetch() {
    return Response.json({ slots: [] });
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/health") {
      return Response.json({
        status: "healthy",
        timestamp: new Date().toISOString(),
        environment: env.ENVIRONMENT,
        version: env.VERSION ?? "dev",
      });
    }
    return new Response("Not found", { status: 404 });
  },
};
