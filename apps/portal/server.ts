import next from "next";
import { parsePortalEnv } from "./src/server/env";
import { createLogger } from "./src/server/logger";
import { startPortalServer } from "./src/server/portal-server";

const env = parsePortalEnv(process.env);
const log = createLogger(env.LOG_LEVEL, { pretty: process.stdout.isTTY });
// next-auth reads its canonical URL from the environment.
process.env.NEXTAUTH_URL = env.BERTH_PUBLIC_URL;

const app = next({ dev: env.NODE_ENV !== "production", dir: import.meta.dirname });
await app.prepare();
const requestHandler = app.getRequestHandler();
const upgradeHandler = app.getUpgradeHandler();

const portal = await startPortalServer({
  env,
  log,
  next: {
    request: (req, res) => requestHandler(req, res),
    upgrade: (req, socket, head) => upgradeHandler(req, socket, head),
  },
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "portal stopping");
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await portal.close();
  await app.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
