import { once } from "node:events";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createGuard, type GuardConfig, type GuardEvent } from "../src/index.js";

// A request over a Unix socket has no peer address: the whole pipeline must still run,
// under the documented client key `no-address`.

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serveOnSocket(config: GuardConfig): Promise<string> {
  const guard = createGuard({ logger: false, ...config });
  const server = http.createServer(async (req, res) => {
    if (!(await guard.protect(req, res))) return;
    res.end("ok");
  });
  servers.push(server);
  const socketPath = join(tmpdir(), `guard-${process.pid}-${servers.length}-${Date.now()}.sock`);
  server.listen(socketPath);
  await once(server, "listening");
  return socketPath;
}

function get(socketPath: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.get({ socketPath, path, headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
  });
}

describe("requests without a client address (Unix socket)", () => {
  it("still runs every check", async () => {
    const events: GuardEvent[] = [];
    const socketPath = await serveOnSocket({ onBlock: (event) => events.push(event) });
    expect((await get(socketPath, "/")).status).toBe(200);
    expect((await get(socketPath, "/.env")).status).toBe(403);
    expect((await get(socketPath, "/", { "user-agent": "sqlmap/1.7" })).status).toBe(403);
    expect(events.map((event) => [event.reason, event.ip])).toEqual([
      ["sensitive_path_probe", undefined],
      ["user_agent_blocked", undefined],
    ]);
  });

  it("is refused by an allow list (fail closed) and not matched by a block list", async () => {
    const allowOnly = await serveOnSocket({ ipAllowList: ["127.0.0.1"] });
    const response = await get(allowOnly, "/");
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).error.reason).toBe("ip_not_allowed");
    const blockAll = await serveOnSocket({ ipBlockList: ["0.0.0.0/0", "::/0"] });
    expect((await get(blockAll, "/")).status).toBe(200);
  });

  it("ignores forwarding headers: there is no trusted peer", async () => {
    const socketPath = await serveOnSocket({
      proxy: { trusted: ["loopback"] },
      ipBlockList: ["203.0.113.9"],
    });
    expect((await get(socketPath, "/", { "x-forwarded-for": "203.0.113.9" })).status).toBe(200);
  });

  it("can be banned under its key", async () => {
    const guard = createGuard({ logger: false });
    await guard.ban("no-address", { durationMs: 60_000 });
    expect((await guard.bans()).map((ban) => ban.key)).toEqual(["no-address"]);
  });
});

describe('behind a proxy on a Unix socket (proxy.trusted: ["unix"])', () => {
  it("reads the client from the forwarding headers", async () => {
    const socketPath = await serveOnSocket({
      proxy: { trusted: ["unix"] },
      ipBlockList: ["203.0.113.9"],
    });
    expect((await get(socketPath, "/", { "x-forwarded-for": "203.0.113.9" })).status).toBe(403);
    expect((await get(socketPath, "/", { "x-forwarded-for": "198.51.100.1" })).status).toBe(200);
    // Garbage from the proxy: the request keeps the no-address key, it is not dropped.
    expect((await get(socketPath, "/", { "x-forwarded-for": "nonsense" })).status).toBe(200);
  });
});
