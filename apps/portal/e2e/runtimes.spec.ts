import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { logIn, removeE2eContainers } from "./support";

const work = mkdtempSync(join(tmpdir(), "berth-e2e-runtime-"));
const tarball = join(work, "hello-1.0.0.tar.gz");

/** A runtime artifact as an admin would publish one: `bin/hello` in a .tar.gz. */
function buildTarball(): { sha256: string; sizeBytes: number } {
  const root = join(work, "root");
  mkdirSync(join(root, "bin"), { recursive: true });
  writeFileSync(join(root, "bin/hello"), '#!/bin/sh\necho "hello from runtime"\n');
  chmodSync(join(root, "bin/hello"), 0o755);
  execFileSync("tar", ["-czf", tarball, "-C", root, "bin"]);
  const bytes = readFileSync(tarball);
  return { sha256: createHash("sha256").update(bytes).digest("hex"), sizeBytes: bytes.length };
}

test.beforeAll(removeE2eContainers);
test.afterAll(async () => {
  await removeE2eContainers();
  rmSync(work, { recursive: true, force: true });
});

// An admin publishes a runtime by uploading its artifact to the portal, verifies it, and a dev
// server created with it gets it installed by the local agent from the portal's URL.
test("runtime artifacts: upload, refuse a wrong sha256, verify, create a dev server with it", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const artifact = buildTarball();
  await logIn(page);

  await page.goto("/admin/runtimes");
  await page.getByTestId("runtime-add").click();
  await page.getByTestId("runtime-name").fill("hello");
  await page.getByTestId("runtime-display-name").fill("Hello");
  await page.getByTestId("runtime-submit").click();
  const card = page.locator('[data-testid="runtime-card"][data-runtime-name="hello"]');
  await expect(card).toBeVisible();

  await card.getByTestId("version-add").click();
  const dialog = page.getByTestId("version-dialog");
  await dialog.getByTestId("version-string").fill("1.0.0");
  await dialog.getByTestId("version-artifact-file").setInputFiles(tarball);
  await expect(dialog.getByTestId("version-upload-done")).toBeVisible();
  await expect(dialog.getByTestId("version-artifact-url")).toHaveValue(
    `http://localhost:${new URL(page.url()).port}/api/artifacts/${artifact.sha256}`,
  );
  await expect(dialog.getByTestId("version-sha256")).toHaveValue(artifact.sha256);
  await expect(dialog.getByTestId("version-size")).toHaveValue(String(artifact.sizeBytes));

  // A typo in the hash is caught at save time, next to the field.
  await dialog.getByTestId("version-sha256").fill("0".repeat(64));
  await dialog.getByTestId("version-submit").click();
  await expect(dialog).toContainText("The sha256 does not match the uploaded artifact");
  await page.screenshot({ path: "test-results/e2e/runtime-version-wrong-sha.png", fullPage: true });

  await dialog.getByTestId("version-sha256").fill(artifact.sha256);
  await dialog.getByTestId("version-submit").click();
  await expect(dialog).toBeHidden();
  const row = card.locator('[data-testid="version-row"][data-version="1.0.0"]');
  await expect(row).toContainText("default");

  await row.getByTestId("version-verify").click();
  await expect(page.getByText(/Hello 1\.0\.0 verified: sha256 and size/)).toBeVisible();
  await expect(row.getByTestId("version-verified")).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/runtime-verified.png", fullPage: true });

  await page.goto("/servers/new");
  await page.getByTestId("server-kind-dev").check();
  await page.getByTestId("server-name").fill("e2e hello");
  await page.getByTestId("server-runtime").selectOption({ label: "Hello" });
  const version = page.getByTestId("server-runtime-version");
  await expect(version.locator("option:checked")).toHaveText("1.0.0 (default)");
  await page.getByTestId("server-memory").fill("256");
  await page.screenshot({ path: "test-results/e2e/new-dev-server-runtime.png", fullPage: true });
  await page.getByTestId("new-server-submit").click();
  await expect(page).toHaveURL(/\/servers\/[a-z0-9]+$/);

  await expect(page.getByTestId("server-state")).toHaveText(/running/i, { timeout: 240_000 });
  await page.screenshot({ path: "test-results/e2e/dev-server-with-runtime.png", fullPage: true });
});
