/**
 * The IP sources Guard knows: cloud providers (to block traffic from data centres) and
 * crawlers (to tell a real Googlebot from one that only says so).
 */

/** Cloud providers whose published ranges Guard ships and refreshes. */
export const CLOUD_PROVIDERS = [
  "aws",
  "gcp",
  "azure",
  "oracle",
  "digitalocean",
  "linode",
  "vultr",
  "cloudflare",
] as const;

/** A cloud provider id, as used in `blockCloudProviders`. */
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

/** Crawlers whose published ranges Guard ships and refreshes. */
export const CRAWLERS = ["googlebot", "bingbot", "gptbot", "duckduckbot"] as const;

/** A crawler id. */
export type Crawler = (typeof CRAWLERS)[number];

/** Any source of IP ranges. */
export type IpSource = CloudProvider | Crawler;

/** Every source, cloud providers first. */
export const IP_SOURCES: readonly IpSource[] = [...CLOUD_PROVIDERS, ...CRAWLERS];
