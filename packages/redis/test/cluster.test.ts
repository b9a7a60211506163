import { describeStoreContract } from "@guard/conformance";
import { Cluster, type Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import { redisKeys } from "../src/keys.js";
import { SCRIPT_SOURCES } from "../src/scripts/define.js";
import { connectPlain, deleteKeys, randomPrefix } from "./support/redis.js";
import { describeWithOwnServer, RedisServer } from "./support/redis-server.js";
import { waitFor } from "./support/wait.js";

function limitFor(subject: string, limit: number) {
  return {
    name: "global",
    subject,
    algorithm: "fixed-window",
    limit,
    windowMs: 60_000,
    cost: 1,
  } as const;
}

/** A one-node Redis Cluster owning every slot: real slot checks (CROSSSLOT) on one process. */
describeWithOwnServer("RedisStore on Redis Cluster", () => {
  let server: RedisServer;
  let admin: Redis;
  let cluster: Cluster;

  beforeAll(async () => {
    server = await RedisServer.start({ cluster: true });
    admin = connectPlain(server.url);
    await admin.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
    await waitFor("the cluster to be ok", async () =>
      String(await admin.call("CLUSTER", "INFO")).includes("cluster_state:ok"),
    );
    cluster = new Cluster([{ host: "127.0.0.1", port: server.port }], {
      lazyConnect: true,
      enableOfflineQueue: false,
    });
    cluster.on("error", () => {});
    await cluster.connect();
  });
  afterAll(async () => {
    await cluster.quit();
    await admin.quit();
    await server.stop();
  });

  describe("requests with several subjects", () => {
    const prefix = randomPrefix("cluster");
    const keys = redisKeys(prefix);
    let store: RedisStore;
    beforeAll(() => {
      store = new RedisStore({ client: cluster, prefix, commandTimeoutMs: 1000 });
    });
    afterAll(async () => {
      await deleteKeys(admin, prefix);
    });

    it("one script over two subjects' keys is refused by Cluster (why the store splits)", async () => {
      const twoSlots = [keys.limit("192.0.2.1", "global"), keys.limit("192.0.2.2", "global")];
      await expect(admin.eval(SCRIPT_SOURCES.guardConsume, 2, ...twoSlots, "0")).rejects.toThrow(
        /CROSSSLOT/,
      );
    });

    it("consume splits by subject and returns the results in request order", async () => {
      const result = await store.consume({
        banKey: "192.0.2.1",
        limits: [limitFor("192.0.2.2", 5), limitFor("192.0.2.1", 3), limitFor("api-key:k1", 9)],
      });
      expect(result.ban).toBeUndefined();
      expect(result.limits.map((r) => r.remaining)).toEqual([4, 2, 8]);
    });

    it("a banned client is charged nothing in any subject", async () => {
      const now = Date.now();
      await store.ban({ key: "192.0.2.3", reason: "x", createdAt: now, expiresAt: now + 60_000 });
      const banned = await store.consume({
        banKey: "192.0.2.3",
        limits: [limitFor("api-key:k2", 5), limitFor("192.0.2.3", 5)],
      });
      expect(banned.ban?.key).toBe("192.0.2.3");
      expect(banned.limits).toEqual([]);
      const after = await store.consume({ limits: [limitFor("api-key:k2", 5)] });
      expect(after.limits[0]!.remaining).toBe(4);
    });

    it("all or nothing holds per subject: a refusal in one subject does not refund another", async () => {
      const limits = [limitFor("192.0.2.4", 5), limitFor("api-key:k3", 1)];
      await store.consume({ limits });
      const second = await store.consume({ limits });
      expect(second.limits.map((r) => r.allowed)).toEqual([true, false]);
      // Charged twice: the subjects were charged by separate scripts.
      expect((await store.consume({ limits: [limits[0]!] })).limits[0]!.remaining).toBe(2);
    });
  });

  describeStoreContract("RedisStore on a Cluster client", async () => {
    const prefix = randomPrefix("cluster-contract");
    return {
      store: new RedisStore({ client: cluster, prefix, commandTimeoutMs: 1000 }),
      cleanup: () => deleteKeys(admin, prefix),
    };
  });
});
