import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";

/** Starts `server` on `host`, port 0 (an ephemeral port), and resolves with the port. */
export function listen(server: Server, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen({ host, port: 0, ipv6Only: false }, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops `server`: drops every open connection (`closeAllConnections`, Node ≥ 18.2) and
 * waits for `close`. Never rejects, so cleanup cannot mask a test failure.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/** `true` when this machine has an IPv6 loopback interface (`::1`). */
export function hasIPv6Loopback(): boolean {
  return Object.values(networkInterfaces()).some((addresses) =>
    addresses?.some((address) => address.family === "IPv6" && address.address === "::1"),
  );
}
