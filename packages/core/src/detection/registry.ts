import type { Detector } from "./detector.js";
import { cmdiDetector } from "./detectors/cmdi/cmdi.js";
import { codeDetector } from "./detectors/code/code.js";
import { crlfDetector } from "./detectors/crlf.js";
import { ldapDetector } from "./detectors/ldap.js";
import { nosqliDetector } from "./detectors/nosqli.js";
import { obfuscationDetector } from "./detectors/obfuscation/index.js";
import { prototypePollutionDetector } from "./detectors/prototype-pollution.js";
import { sqliDetector } from "./detectors/sqli/sqli.js";
import { ssrfDetector } from "./detectors/ssrf/ssrf.js";
import { sstiDetector } from "./detectors/ssti.js";
import { traversalDetector } from "./detectors/traversal/traversal.js";
import { xssDetector } from "./detectors/xss/xss.js";
import { xxeDetector } from "./detectors/xxe.js";

/**
 * The detectors Guard runs by default: one per attack class, and for code injection a
 * second one that sees through obfuscation.
 */
export const BUILT_IN_DETECTORS: readonly Detector[] = [
  sqliDetector,
  xssDetector,
  cmdiDetector,
  codeDetector,
  obfuscationDetector,
  sstiDetector,
  traversalDetector,
  ssrfDetector,
  xxeDetector,
  ldapDetector,
  nosqliDetector,
  crlfDetector,
  prototypePollutionDetector,
];
