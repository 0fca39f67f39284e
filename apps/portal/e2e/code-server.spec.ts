import { execFileSync } from "node:child_process";
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

/** A file of a dev server's workspace, read inside its container ("" while it is missing). */
function workspaceFile(serverId: string, name: string): string {
  try {
    return execFileSync(
      "docker",
      ["exec", `berth-${serverId}`, "cat", `/home/dev/workspace/${name}`],
      {
        encoding: "utf8",
      },
    );
  } catch {
    return "";
  }
}

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

test("code-server: an admin adds it to the catalog, a dev server starts with it, its owner stops and starts it and opens the IDE", async ({
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

  // Open IDE: a new tab through the portal's gate and the agent's listener to the container.
  const [ide] = await Promise.all([
    page.context().waitForEvent("page"),
    page.getByTestId("open-ide").first().click(),
  ]);
  await expect(ide).toHaveURL(
    /\/ide\/[a-z0-9]+\/\?folder=(%2F|\/)home(%2F|\/)dev(%2F|\/)workspace$/,
    {
      timeout: 60_000,
    },
  );
  expect(ide.url()).not.toContain("token=");
  await expect(ide.locator(".monaco-workbench")).toBeVisible({ timeout: 90_000 });
  // The integrated terminal is a shell of the dev user, over the proxied WebSocket.
  await ide.keyboard.press("Control+Backquote");
  const terminal = ide.locator(".terminal-wrapper.active .xterm, .xterm").first();
  await expect(terminal).toBeVisible({ timeout: 60_000 });
  await terminal.click();
  // The terminal draws on a canvas; what the shell printed is read back from the workspace.
  await ide.keyboard.type("whoami | tee whoami.txt\n");
  const serverId = new URL(page.url()).pathname.split("/").at(-1)!;
  await expect.poll(() => workspaceFile(serverId, "whoami.txt"), { timeout: 30_000 }).toBe("dev\n");
  await ide.screenshot({ path: "test-results/e2e/ide-workbench.png" });
});
