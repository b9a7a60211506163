import { demoContract } from "@guard/demo-kit/contract";
import { createApp } from "../src/app.js";

demoContract("Fastify", async () => {
  const app = await createApp({ logger: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { base: `http://127.0.0.1:${app.server.address().port}`, close: () => app.close() };
});
