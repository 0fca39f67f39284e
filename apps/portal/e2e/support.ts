import Docker from "dockerode";
import { expect, type Locator, type Page } from "@playwright/test";
import { e2eAdmin } from "./e2e-env";

export async function logIn(page: Page) {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(e2eAdmin.email);
  await page.getByTestId("login-password").fill(e2eAdmin.password);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/servers/);
}

/** Containers of earlier or failed runs would hold the host ports this run allocates again. */
export async function removeE2eContainers() {
  const docker = new Docker();
  const found = await docker
    .listContainers({ all: true, filters: { label: ["berth.e2e=1"] } })
    .catch(() => []);
  await Promise.all(found.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}

/** The rows an xterm shows right now, as plain text (xterm renders spaces as no-break spaces). */
export function terminalText(panel: Locator): Promise<string> {
  return panel.locator(".xterm-rows").evaluate((rows) =>
    Array.from(rows.children, (row) => (row.textContent ?? "").replace(/\u00a0/g, " ").trimEnd())
      .join("\n")
      .trimEnd(),
  );
}

/** Focuses the terminal and types a line into it, as a person would. */
export async function typeInTerminal(panel: Locator, line: string) {
  await panel.getByTestId("console-xterm").click();
  await panel.page().keyboard.type(line);
  await panel.page().keyboard.press("Enter");
}
