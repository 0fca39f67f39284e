import pino, { type Logger } from "pino";

/** JSON lines for log collectors; readable lines when a person watches a terminal. */
export function createAgentLogger(
  level: string,
  bindings: Record<string, unknown> = {},
  { pretty = false } = {},
): Logger {
  return pino({
    level,
    ...(pretty
      ? {
          transport: {
            target: "pino-pretty",
            options: { ignore: "pid,hostname", singleLine: true },
          },
        }
      : {}),
    base: { app: "agent", ...bindings },
    redact: { paths: ["credential", "*.credential", "token", "*.token"], censor: "[redacted]" },
  });
}
