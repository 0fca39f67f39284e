import pino, { type Logger } from "pino";

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: "portal" },
    redact: {
      paths: [
        "password",
        "*.password",
        "token",
        "*.token",
        "credential",
        "*.credential",
        "req.headers.cookie",
        "req.headers.authorization",
        "headers.cookie",
        "auth.credential",
      ],
      censor: "[redacted]",
    },
  });
}
