import { createReadStream } from "node:fs";
import { homedir } from "node:os";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import {
  ensureCodeServerArtifact,
  type CodeServerArtifact,
} from "../../../scripts/artifacts/code-server";
import { logIn, removeE2eContainers } from "./support";

const CACHE_DIR = process.env.BERTH_CACHE_DIR ?? join(homedir(), ".cache", "berth");
let artifact: CodeServerArtifact;
let server: http.Server;
let artifactUrl: string;

// The real code-server, built from npm once (cached by version) and published from a server of
// the test's own, as an admin would publish it from any artifact host.
test.beforeAll(async () => {
  test.setTimeout(20 * 60_000);
  await removeE2eContainers();
  artifact = await ensureCodeServerArtifact({ cacheDir: CACHE_DIR });
  server = http.createServer((req, res) => {
    res.writeHead(200, {
      "content-type": "application/gzip",
      "content-length": artifact.sizeBytes,
    });
    createReadStream(artifact.path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  artifactUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/code-server.tar.gz`;
});
test.afterAll(async () => {
  await removeE2eContainers();
  await new Promise((resolve) => server?.close(resolve));
});

test("code-server: an admin adds it to the catalog, a dev server starts with it, its owner stops and starts it", async ({
  page,
}) => {
  test.setTimeout(10 * 60_000);
  await logIn(page);

  await page.goto("/admin/runtimes");
  await page.getByTestId("runtime-add").click();
  await page.getByTestId("runtime-name").fill("code-server");
  await page.getByTestId("runtime-display-name").fill("code-server");
  await page.getByTestId("runtime-kind").selectOption("addon");
  await page.getByTestId("runtime-submit").click();
  const card = page.locator('[data-testid="runtime-card"][data-runtime-name="code-server"]');
  await expect(card).toBeVisible();
  await card.getByTestId("version-add").click();
  const dialog = page.getByTestId("version-dialog");
  await dialog.getByTestId("version-string").fill(artifact.version);
  await dialog.getByTestId("version-artifact-url").fill(artifactUrl);
  await dialog.getByTestId("version-sha256").fill(artifact.sha256);
  await dialog.getByTestId("version-size").fill(String(artifact.sizeBytes));
  await dialog.getByTestId("version-submit").click();
  await expect(dialog).toBeHidden();

  await page.goto("/servers/new");
  await page.getByTestId("server-kind-dev").check();
  await page.getByTestId("server-name").fill("e2e ide");
  await page.getByTestId("server-memory").fill("1024");
  await page.getByTestId("server-code-server").check();
  await page.getByTestId("new-server-submit").click();
  await expect(page).toHaveURL(/\/servers\/[a-z0-9]+$/);
  // Installing ~250 MB, then code-server's first start; the progress bar shows the way.
  await expect(page.getByTestId("provisioning-card")).toBeVisible();

  const state = page.getByTestId("code-server-state");
  await expect(state).toHaveText(/running/i, { timeout: 240_000 });
  await expect(page.getByTestId("server-state")).toHaveText(/running/i);
  await page.screenshot({ path: "test-results/e2e/code-server-running.png", fullPage: true });

  await page.getByTestId("code-server-stop").click();
  await expect(page.getByText("code-server stopped")).toBeVisible();
  await expect(state).toHaveText(/stopped/i);
  await expect(page.getByTestId("code-server-message")).toHaveText("Stopped by its owner");
  await page.getByTestId("code-server-start").click();
  await expect(state).toHaveText(/running/i, { timeout: 60_000 });
  await expect(page.getByText("code-server is running")).toBeVisible();
});
