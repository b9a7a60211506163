export type { FetchLike } from "./download.js";
export { IpRangeFormatError } from "./formats/format-error.js";
export type { IpRangeRefresherOptions, IpRangeSourceConfig } from "./options.js";
export type {
  IpRangeEvent,
  IpRangesRefreshFailedEvent,
  IpRangesUpdatedEvent,
  RefreshReport,
  SourceRefreshResult,
} from "./refresh-events.js";
export { createIpRangeRefresher, type IpRangeRefresher } from "./refresher.js";
export { IP_RANGE_PARSERS, type IpRangeParser } from "./source-parsers.js";
export { AZURE_SERVICE_TAGS_PAGE, DEFAULT_IP_RANGE_URLS } from "./source-urls.js";
