import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { logIn, removeE2eContainers, terminalText, typeInTerminal } from "./support";

test.beforeAll(removeE2eContainers);
test.afterAll(removeE2eContainers);

const panel = (page: Page) => page.getByTestId("game-console").getByTestId("console-terminal");
const toast = (page: Page, text: RegExp) =>
  page.locator("[data-sonner-toast]").filter({ hasText: text }).first();

/** Ends the generic program's input (Ctrl-D at a line start): its read loop ends, it exits 0. */
async function endInput(page: Page) {
  await panel(page).getByTestId("console-xterm").click();
  await page.keyboard.press("Control+d");
}

async function addModRule(page: Page) {
  await page.goto("/admin/templates");
  await page
    .locator('[data-testid="template-row"][data-template-name="Generic console program"]')
    .getByTestId("template-edit")
    .click();
  await expect(page.getByTestId("template-editor")).toBeVisible();

  // A bad pattern is refused next to its field, before anything is sent.
  await page.getByTestId("rule-add").click();
  const rule = page.getByTestId("rule-row").last();
  await rule.getByTestId("rule-id").fill("e2e.mod-load");
  await rule.getByTestId("rule-class").selectOption("mod_or_plugin_error");
  await rule.getByTestId("rule-pattern").fill("Failed to load mod (unclosed");
  await rule.getByTestId("rule-suggestion").fill("Remove {name} or update it.");
  await page.getByTestId("template-save").click();
  await expect(rule.getByTestId("rule-error")).toHaveText("Not a valid regular expression.");

  // The liveness check's times are checked too (the generic program listens on no port, so the
  // check is left off again).
  await page.getByTestId("liveness-kind").selectOption("tcp");
  await expect(page.locator("#liveness-port")).toHaveValue("8080");
  await page.locator("#liveness-timeoutS").fill("45");
  await page.getByTestId("template-save").click();
  await expect(page.getByTestId("liveness-timeoutS-error")).toHaveText(
    "Must be shorter than the interval.",
  );
  await page.screenshot({ path: "test-results/e2e/template-invalid.png", fullPage: true });
  await page.getByTestId("liveness-kind").selectOption("none");

  await rule.getByTestId("rule-pattern").fill(String.raw`Failed to load mod (?<name>[\w-]+)`);
  await page.getByTestId("template-save").click();
  await expect(toast(page, /Template saved/)).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/template-crash-rules.png", fullPage: true });
}

async function setQuickRestarts(page: Page) {
  await page.getByTestId("restart-policy").scrollIntoViewIfNeeded();
  await page.locator("#policy-delays").fill("8, x");
  await page.getByTestId("policy-save").click();
  await expect(page.getByTestId("policy-delays-error")).toContainText("not a whole number");

  await page.locator("#policy-delays").fill("8");
  await page.locator("#policy-reset").fill("120");
  await page.locator("#policy-loop").fill("2");
  await page.getByTestId("policy-save").click();
  await expect(toast(page, /Restart policy saved/)).toBeVisible();
}

// The generic template's program echoes what it reads. A template rule names a "mod" in its log;
// ending its input makes it exit on its own: a crash. Two crashes in a row make a crash loop.
test("crashes: classified with log tail, restart countdown, toast, crash loop, usage charts", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await logIn(page);
  await addModRule(page);

  await page.goto("/servers/new");
  await page.getByTestId("server-name").fill("e2e crashes");
  await page.getByTestId("server-template").selectOption({ label: "Generic console program" });
  await page.getByTestId("server-memory").fill("128");
  await page.getByTestId("new-server-submit").click();
  await expect(page).toHaveURL(/\/servers\/[a-z0-9]+$/);
  const state = page.getByTestId("server-state");
  await expect(state).toHaveText(/running/i, { timeout: 90_000 });
  await expect(page.getByTestId("crash-history-empty")).toBeVisible();

  await setQuickRestarts(page);
  // A running server takes a new policy with its next start.
  await expect(toast(page, /takes effect at the next start/)).toBeVisible();
  await expect(page.getByTestId("policy-pending")).toBeVisible();
  await page.getByTestId("power-restart").click();
  await expect(state).toHaveText(/running/i, { timeout: 60_000 });
  await expect(page.getByTestId("policy-pending")).toBeHidden({ timeout: 30_000 });

  // Crash 1: the log names a failing mod, then the program exits.
  await expect(panel(page)).toHaveAttribute("data-link", "live");
  await typeInTerminal(panel(page), "[e2e] Failed to load mod examplemod");
  await expect.poll(() => terminalText(panel(page))).toContain("> [e2e] Failed to load mod");
  await endInput(page);

  await expect(page.getByTestId("crash-state-line")).toHaveText(/Crashed — restarting in [1-8] s/, {
    timeout: 30_000,
  });
  await expect(toast(page, /“e2e crashes” crashed/)).toBeVisible();
  const entry = page.getByTestId("crash-entry").first();
  await expect(entry.getByTestId("crash-class")).toHaveText("Mod or plugin error");
  await expect(entry.getByTestId("crash-class")).toHaveAttribute(
    "data-class",
    "mod_or_plugin_error",
  );
  await expect(entry.getByTestId("crash-subject")).toHaveText("examplemod");
  await expect(entry.getByTestId("crash-suggestion")).toHaveText("Remove examplemod or update it.");
  await expect(entry.getByTestId("crash-exit")).toHaveText("exit code 0");
  await entry.getByTestId("crash-log-toggle").click();
  await expect(entry.getByTestId("crash-log-tail")).toContainText("Failed to load mod examplemod");
  // Relative time in the list, the exact time on hover.
  await expect(entry.getByTestId("crash-time")).toHaveAttribute("title", /\d{1,2}:\d{2}/);
  await page.screenshot({ path: "test-results/e2e/crash-countdown.png", fullPage: true });

  // The countdown ends in a restart; the second crash in a row is a crash loop.
  await expect(state).toHaveText(/running/i, { timeout: 60_000 });
  await expect(page.getByTestId("crash-state-line")).toBeHidden();
  await expect(panel(page)).toHaveAttribute("data-link", "live");
  await endInput(page);

  const banner = page.getByTestId("crash-loop-banner");
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText("Crash loop — auto-restart paused");
  await expect(state).toHaveText(/error/i);
  await expect(page.getByTestId("crash-entry")).toHaveCount(2);
  await expect(
    page.getByTestId("crash-entry").first().getByTestId("crash-loop-marker"),
  ).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/crash-loop.png", fullPage: true });

  // After a reload the history, the banner and the recorded usage are still there.
  await page.reload();
  await expect(page.getByTestId("crash-loop-banner")).toBeVisible();
  await expect(page.getByTestId("crash-entry")).toHaveCount(2);

  await page.getByTestId("crash-loop-start").click();
  await expect(state).toHaveText(/running/i, { timeout: 60_000 });
  await expect(page.getByTestId("crash-loop-banner")).toBeHidden();
  await expect
    .poll(async () => Number(await page.getByTestId("server-stats").getAttribute("data-points")), {
      timeout: 30_000,
    })
    .toBeGreaterThan(3);
  const stats = page.getByTestId("server-stats");
  await stats.scrollIntoViewIfNeeded();
  // Under the cursor the legend reads out the time and the values (the newest sample: right edge).
  const memoryPlot = stats.getByTestId("stats-memory").locator(".u-over");
  const box = await memoryPlot.boundingBox();
  await memoryPlot.hover({ position: { x: (box?.width ?? 10) - 2, y: (box?.height ?? 10) / 2 } });
  await expect(stats.getByTestId("stats-memory").locator(".u-legend")).toContainText(
    /\d+(\.\d)? (KB|MB)/,
  );
  await stats.screenshot({ path: "test-results/e2e/server-stats.png" });

  await page.getByTestId("server-delete").click();
  await page.getByTestId("server-delete-confirm").click();
  await expect(page).toHaveURL(/\/servers$/, { timeout: 60_000 });
});

/** A webhook receiver on this machine (the portal may send plain http to localhost). */
async function startReceiver() {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/berth-hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test("account: crash webhook URL, the secret shown once, a signed test delivery", async ({
  page,
}) => {
  const receiver = await startReceiver();
  try {
    await logIn(page);
    await page.getByTestId("user-menu").click();
    await page.getByTestId("menu-account").click();
    await expect(page).toHaveURL(/\/account$/);

    await page.locator("#webhook-url").fill("http://example.com/hook");
    await page.getByTestId("webhook-save").click();
    await expect(page.getByTestId("webhook-url-error")).toHaveText(
      "Use an https:// URL (http:// only for localhost).",
    );

    await page.locator("#webhook-url").fill(receiver.url);
    await page.getByTestId("webhook-save").click();
    const secret = (await page.getByTestId("webhook-secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.screenshot({ path: "test-results/e2e/account-webhook.png", fullPage: true });

    await page.getByTestId("webhook-test").click();
    await expect(toast(page, /Test delivered \(HTTP 204\)/)).toBeVisible();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    const timestamp = String(delivery?.headers["x-berth-timestamp"]);
    const expected = createHmac("sha256", secret)
      .update(`${timestamp}.${delivery?.body}`)
      .digest("hex");
    expect(delivery?.headers["x-berth-signature"]).toBe(`sha256=${expected}`);

    // The secret is not shown again after a reload; a rotation shows a new one, once.
    await page.reload();
    await expect(page.locator("#webhook-url")).toHaveValue(receiver.url);
    await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
    await page.getByTestId("webhook-rotate").click();
    await expect(page.getByTestId("webhook-secret")).not.toHaveText(secret);

    await page.getByTestId("webhook-clear").click();
    await expect(toast(page, /Webhook removed/)).toBeVisible();
    await expect(page.locator("#webhook-url")).toHaveValue("");
  } finally {
    await receiver.close();
  }
});
