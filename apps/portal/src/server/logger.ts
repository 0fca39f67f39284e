import pino, { type Logger } from "pino";

/** JSON lines for log collectors; readable lines when a person watches a terminal. */
export function createLogger(level: string, { pretty = false } = {}): Logger {
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
        "secret",
        "*.secret",
        "webhookSecretEnc",
        "*.webhookSecretEnc",
      ],
      censor: "[redacted]",
    },
  });
}
