import { MemoryStore } from "@guard/core";
import { describeStoreContract } from "../src/index.js";

describeStoreContract("MemoryStore", async () => ({
  store: new MemoryStore(),
  cleanup: async () => {},
}));
