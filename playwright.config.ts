import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { e2eAdmin, e2eContainerLabel, e2ePort as port } from "./apps/portal/e2e/e2e-env";

// Debian's Chromium: Playwright's own browser download cannot work on these machines.
const chromium = process.env.BERTH_CHROMIUM ?? "/usr/bin/chromium";
const haveChromium = existsSync(chromium);
if (!haveChromium) {
  if (process.env.CI === "true")
    throw new Error(`Chromium not found at ${chromium}: apt-get install chromium`);
  console.warn(
    `\n*** SKIPPED e2e: Chromium missing at ${chromium} (apt-get install chromium) ***\n`,
  );
}

export default defineConfig({
  testDir: "apps/portal/e2e",
  testIgnore: haveChromium ? [] : ["**/*"],
  timeout: 90_000,
  expect: { timeout: 20_000 },
  workers: 1,
  reporter: [["list"]],
  outputDir: "test-results/e2e",
  use: {
    baseURL: `http://localhost:${port}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // The real `npm start` path on a fresh data folder: embedded Postgres, migrations, seeded admin,
    // auto-enrolled local agent.
    command: "rm -rf .berth-e2e && tsx scripts/start.ts",
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    // SIGTERM lets the platform stop the agent, the portal and Postgres in order.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: {
      BERTH_HOME: ".berth-e2e",
      PORT: String(port),
      BERTH_PUBLIC_URL: `http://localhost:${port}`,
      BERTH_ADMIN_EMAIL: e2eAdmin.email,
      BERTH_ADMIN_PASSWORD: e2eAdmin.password,
      // Containers the local agent creates here are labelled so the specs can remove them.
      BERTH_AGENT_CONTAINER_LABELS: e2eContainerLabel,
      NEXT_TELEMETRY_DISABLED: "1",
      TURBO_TELEMETRY_DISABLED: "1",
    },
  },
});
