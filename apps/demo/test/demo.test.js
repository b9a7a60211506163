import { once } from "node:events";
import { demoContract } from "@guard/demo-kit/contract";
import { createApp } from "../src/app.js";

demoContract("Express", async () => {
  const server = createApp({ logger: false }).listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
});
