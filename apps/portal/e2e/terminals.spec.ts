import { expect, test, type Page } from "@playwright/test";
import { logIn, removeE2eContainers, terminalText, typeInTerminal } from "./support";

test.beforeAll(removeE2eContainers);
test.afterAll(removeE2eContainers);
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const panel = (page: Page) => page.getByTestId("console-terminal");
const tabs = (page: Page) => page.getByTestId("terminal-tab");

// A dev container without a runtime: a Debian shell for the dev user, in tabs that keep their
// scrollback across a reload.
test("dev terminals: run a command, open a second tab, reload and find the first tab's history", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await logIn(page);

  await page.goto("/servers/new");
  await page.getByTestId("server-kind-dev").check();
  await page.getByTestId("server-name").fill("e2e dev");
  await expect(page.getByTestId("server-runtime")).toHaveValue("");
  await page.getByTestId("server-memory").fill("256");
  await page.getByTestId("new-server-submit").click();
  await expect(page).toHaveURL(/\/servers\/[a-z0-9]+$/);
  await expect(page.getByTestId("server-state")).toHaveText(/running/i, { timeout: 180_000 });

  // No terminal yet: open the first one.
  await page.getByTestId("terminal-open-first").click();
  await expect(tabs(page)).toHaveCount(1);
  await expect(panel(page)).toHaveAttribute("data-link", "live");
  await typeInTerminal(panel(page), "echo $USER $HOME");
  await expect.poll(() => terminalText(panel(page))).toContain("dev /home/dev");
  await page.screenshot({ path: "test-results/e2e/dev-terminal.png", fullPage: true });

  // Copy a word of the output (double-click selects it) and paste it into the shell.
  const row = panel(page)
    .locator(".xterm-rows > div")
    .filter({ hasText: /^dev\s\/home\/dev/ });
  const box = await row.boundingBox();
  if (!box) throw new Error("output row not rendered");
  await page.mouse.dblclick(box.x + 60, box.y + box.height / 2);
  await page.keyboard.press("Control+Shift+C");
  await panel(page).getByTestId("console-xterm").click();
  await page.keyboard.type("echo pasted:");
  await page.keyboard.press("Control+Shift+V");
  await page.keyboard.press("Enter");
  await expect.poll(() => terminalText(panel(page))).toMatch(/^pasted:\/home\/dev$/m);

  // Rename it in place.
  await tabs(page).first().getByTestId("terminal-tab-select").dblclick();
  await page.getByTestId("terminal-tab-rename-input").fill("build");
  await page.getByTestId("terminal-tab-rename-input").press("Enter");
  await expect(tabs(page).first().getByTestId("terminal-tab-title")).toHaveText("build");

  // A second tab is its own shell.
  await page.getByTestId("terminal-new").click();
  await expect(tabs(page)).toHaveCount(2);
  await expect(tabs(page).nth(1)).toHaveAttribute("data-selected", "true");
  await expect(panel(page)).toHaveAttribute("data-link", "live");
  await typeInTerminal(panel(page), "echo second-$((20+22))");
  await expect.poll(() => terminalText(panel(page))).toContain("second-42");
  expect(await terminalText(panel(page))).not.toContain("dev /home/dev");
  await page.screenshot({ path: "test-results/e2e/dev-terminals-two-tabs.png", fullPage: true });

  // After a reload the selected tab is still the second; the first shows its history, once.
  await page.reload();
  await expect(tabs(page)).toHaveCount(2);
  await expect(tabs(page).nth(1)).toHaveAttribute("data-selected", "true");
  await expect.poll(() => terminalText(panel(page))).toContain("second-42");
  await tabs(page).first().getByTestId("terminal-tab-select").click();
  await expect(tabs(page).first()).toHaveAttribute("data-selected", "true");
  await expect.poll(() => terminalText(panel(page))).toContain("dev /home/dev");
  expect((await terminalText(panel(page))).match(/dev \/home\/dev/g)).toHaveLength(1);

  // Six tabs at most: + is disabled and says why.
  for (let count = 3; count <= 6; count++) {
    await page.getByTestId("terminal-new").click();
    await expect(tabs(page)).toHaveCount(count);
  }
  await expect(page.getByTestId("terminal-new")).toBeDisabled();
  await expect(page.getByTestId("terminal-new-hint")).toHaveAttribute("title", /at most 6/i);
  for (let count = 5; count >= 2; count--) {
    await tabs(page).last().getByTestId("terminal-tab-close").click();
    await expect(tabs(page)).toHaveCount(count);
  }
  await expect(page.getByTestId("terminal-new")).toBeEnabled();

  // An ended shell stays as a tab marked exited; closing a tab removes it.
  await tabs(page).first().getByTestId("terminal-tab-select").click();
  await typeInTerminal(panel(page), "exit 3");
  await expect(tabs(page).first()).toHaveAttribute("data-exited", "true", { timeout: 20_000 });
  await expect(page.getByTestId("console-notice")).toContainText(/exited with code 3/);
  await tabs(page).nth(1).getByTestId("terminal-tab-close").click();
  await expect(tabs(page)).toHaveCount(1);
  await page.screenshot({ path: "test-results/e2e/dev-terminal-exited.png", fullPage: true });
});
