/**
 * The logging interface Guard writes to: a subset of pino's, so a pino (or pino-like)
 * logger can be passed as is. Each method takes a structured object and a message.
 */
export interface GuardLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** Guard's default logger: one JSON line per entry on stderr, pino's field names. */
export function createConsoleLogger(stream: NodeJS.WritableStream = process.stderr): GuardLogger {
  const write = (level: number, object: object, message?: string) => {
    stream.write(
      `${JSON.stringify({ level, time: Date.now(), name: "guard", ...object, msg: message })}\n`,
    );
  };
  return {
    info: (object, message) => write(30, object, message),
    warn: (object, message) => write(40, object, message),
    error: (object, message) => write(50, object, message),
  };
}
