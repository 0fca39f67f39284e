import Docker from "dockerode";
import { expect, test } from "@playwright/test";
import { e2eAdmin } from "./e2e-env";

/** Containers of earlier or failed runs would hold the host ports this run allocates again. */
async function removeE2eContainers() {
  const docker = new Docker();
  const found = await docker
    .listContainers({ all: true, filters: { label: ["berth.e2e=1"] } })
    .catch(() => []);
  await Promise.all(found.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}
test.beforeAll(removeE2eContainers);
test.afterAll(removeE2eContainers);

// The local agent started by `npm start` runs the generic template (Docker where an engine answers,
// local processes elsewhere); the page follows provisioning and power actions live.
test("create a server, watch it come up, stop and start it, then delete it", async ({ page }) => {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(e2eAdmin.email);
  await page.getByTestId("login-password").fill(e2eAdmin.password);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/servers/);

  await page.goto("/servers/new");
  await page.getByTestId("server-name").fill("e2e echo");
  await page.getByTestId("server-template").selectOption({ label: "Generic console program" });
  await page.getByTestId("server-memory").fill("128");
  await page.getByTestId("new-server-submit").click();
  await expect(page).toHaveURL(/\/servers\/[a-z0-9]+$/);

  const state = page.getByTestId("server-state");
  await expect(state).toHaveText(/running/i, { timeout: 90_000 });
  await expect(page.getByTestId("server-ports")).toContainText("8080");
  await page.screenshot({ path: "test-results/e2e/server-running.png", fullPage: true });

  await page.getByTestId("power-stop").click();
  await expect(state).toHaveText(/offline/i, { timeout: 60_000 });
  await expect(page.getByText(/stopped/i).first()).toBeVisible();

  await page.getByTestId("power-start").click();
  await expect(state).toHaveText(/running/i, { timeout: 60_000 });

  await page.goto("/servers");
  const row = page.locator('[data-testid="server-row"][data-server-name="e2e echo"]');
  await expect(row.getByTestId("server-state")).toHaveText(/running/i);
  await page.screenshot({ path: "test-results/e2e/servers-list.png", fullPage: true });
  await row.getByRole("link", { name: "e2e echo" }).click();

  await page.getByTestId("server-delete").click();
  await page.getByTestId("server-delete-confirm").click();
  await expect(page).toHaveURL(/\/servers$/, { timeout: 60_000 });
  await expect(page.locator('[data-testid="server-row"][data-server-name="e2e echo"]')).toHaveCount(
    0,
  );
});
