import { chmodSync, mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { startAgent } from "../agent";
import { ConfigError, configPath, loadAgentConfig } from "../config";
import { EnrollError, enroll } from "../enroll";
import { createAgentLogger } from "../logger";

const usage = `Usage:
  berth-agent enroll --portal URL --token TOKEN [--config FILE]
  berth-agent run [--config FILE]

Environment: BERTH_AGENT_CONFIG, BERTH_AGENT_DATA_DIR, BERTH_PORTAL_URL, BERTH_AGENT_LOG_LEVEL,
BERTH_AGENT_HEARTBEAT_MS, BERTH_AGENT_DRIVER (auto|docker|process), BERTH_AGENT_CONTAINER_LABELS
(k=v,…), BERTH_CACHE_DIR, BERTH_AGENT_HTTP_LISTEN (host:port), BERTH_AGENT_HTTP_URL
(see .env.example).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      portal: { type: "string" },
      token: { type: "string" },
      config: { type: "string" },
    },
    strict: true,
  });
  const file = configPath(process.env, values.config);

  if (command === "enroll") {
    const portal = values.portal ?? process.env.BERTH_PORTAL_URL;
    const token = values.token ?? process.env.BERTH_ENROLL_TOKEN;
    if (!portal || !token) {
      console.error(`enroll needs --portal and --token.\n\n${usage}`);
      return 2;
    }
    const config = await enroll({ portalUrl: portal, token, configFile: file });
    console.log(
      `Enrolled as node "${config.nodeName}" (${config.nodeId}). Credential stored in ${file}.`,
    );
    return 0;
  }

  if (command === "run") {
    const config = loadAgentConfig({ env: process.env, path: file });
    // Others may pass through (never list) to reach their own server's folder: a root agent
    // does a server's file work as that server's user. Secrets inside stay 0600/0700.
    mkdirSync(config.dataDir, { recursive: true, mode: 0o711 });
    chmodSync(config.dataDir, 0o711);
    const log = createAgentLogger(
      config.logLevel,
      { nodeId: config.nodeId },
      { pretty: process.stdout.isTTY },
    );
    const agent = startAgent({ config, log });
    const stop = async (signal: string) => {
      log.info({ signal }, "agent stopping; servers keep running");
      await agent.stop();
      process.exit(0);
    };
    process.on("SIGINT", () => void stop("SIGINT"));
    process.on("SIGTERM", () => void stop("SIGTERM"));
    const outcome = await Promise.race([
      agent.refused.then((reason) => ({ refused: reason })),
      agent.ready.then(
        () => new Promise<never>(() => {}),
        (err: unknown) => ({ failed: err as Error }),
      ),
    ]);
    await agent.stop();
    if ("failed" in outcome) {
      console.error(`The agent cannot run: ${outcome.failed.message}`);
      return 1;
    }
    console.error(`The portal refused this agent: ${outcome.refused.message}`);
    return 78; // EX_CONFIG: re-enroll before retrying.
  }

  console.error(usage);
  return command === "help" || command === "--help" ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.argv[2] !== "run") process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof EnrollError) console.error(err.message);
    else console.error(err);
    process.exit(1);
  },
);
