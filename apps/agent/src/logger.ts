import pino, { type Logger } from "pino";

export function createAgentLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { app: "agent", ...bindings },
    redact: { paths: ["credential", "*.credential", "token", "*.token"], censor: "[redacted]" },
  });
}
