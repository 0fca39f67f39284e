import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { e2eAdmin } from "./e2e-env";

const agentBin = resolve(import.meta.dirname, "../../agent/bin/berth-agent.js");
const started: ChildProcess[] = [];
test.afterAll(() => started.forEach((c) => c.kill("SIGKILL")));

async function logIn(page: Page, password = e2eAdmin.password) {
  await page.goto("/login");
  await page.getByLabel(/email/i).fill(e2eAdmin.email);
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole("button", { name: /sign in|log in/i }).click();
}

function runCli(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [agentBin, ...args], {
    env: { ...process.env, ...env },
    stdio: "inherit",
  });
  started.push(child);
  return child;
}

test("a wrong password is refused with a clear message", async ({ page }) => {
  await logIn(page, "not-the-password");
  await expect(page.getByText("Wrong email or password.").first()).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test("the seeded admin sees the local node online, adds a node, and watches it come online live", async ({
  page,
}) => {
  await logIn(page);
  await expect(page).toHaveURL(/\/servers/);

  await page.goto("/admin/nodes");
  const local = page.locator('[data-testid="node-row"][data-node-name="local"]');
  await expect(local.getByTestId("node-status")).toHaveText(/online/i, { timeout: 60_000 });
  await page.screenshot({ path: "test-results/e2e/nodes-local-online.png", fullPage: true });

  await page.getByRole("button", { name: /add node/i }).click();
  await page.getByLabel(/name/i).fill("e2e-node");
  await page.getByRole("button", { name: /create/i }).click();
  const command = page.getByTestId("enroll-command");
  await expect(command).toContainText("berth-agent enroll --portal http://localhost:");
  await page.screenshot({ path: "test-results/e2e/nodes-enroll-command.png", fullPage: true });

  // Run exactly what the page shows, as an operator would on the new machine.
  const shown = (await command.innerText()).trim();
  const match = /--portal (\S+) --token (\S+)/.exec(shown);
  expect(match).not.toBeNull();
  const dir = mkdtempSync(join(tmpdir(), "berth-e2e-agent-"));
  const env = { BERTH_AGENT_CONFIG: join(dir, "agent.json"), BERTH_AGENT_DATA_DIR: dir };
  const enroll = runCli(["enroll", "--portal", match![1]!, "--token", match![2]!], env);
  expect(await new Promise((r) => enroll.once("exit", r))).toBe(0);
  const agent = runCli(["run"], env);

  await page.keyboard.press("Escape");
  const row = page.locator('[data-testid="node-row"][data-node-name="e2e-node"]');
  // No reload: the status arrives over the browser socket.
  await expect(row.getByTestId("node-status")).toHaveText(/online/i, { timeout: 30_000 });
  await page.screenshot({ path: "test-results/e2e/nodes-two-online.png", fullPage: true });

  // The agent dies without a goodbye: the page shows the node offline within 10 s, still no reload.
  agent.kill("SIGKILL");
  await expect(row.getByTestId("node-status")).toHaveText(/offline/i, { timeout: 10_000 });
});
