import { expect, test, type Page } from "@playwright/test";
import { logIn, removeE2eContainers, terminalText, typeInTerminal } from "./support";

test.beforeAll(removeE2eContainers);
test.afterAll(removeE2eContainers);

const panel = (page: Page) => page.getByTestId("game-console").getByTestId("console-terminal");

// The generic template's program prints a ready line, then echoes every line it reads as "> line".
test("game console: output, a command and typed keystrokes, scrollback after a reload and a reconnect", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await logIn(page);

  await page.goto("/servers/new");
  await page.getByTestId("server-name").fill("e2e console");
  await page.getByTestId("server-template").selectOption({ label: "Generic console program" });
  await page.getByTestId("server-memory").fill("128");
  await page.getByTestId("new-server-submit").click();
  await expect(page).toHaveURL(/\/servers\/[a-z0-9]+$/);
  await expect(page.getByTestId("server-state")).toHaveText(/running/i, { timeout: 90_000 });

  await expect(panel(page)).toHaveAttribute("data-link", "live");
  await expect.poll(() => terminalText(panel(page))).toContain("Server ready on port");

  await page.getByTestId("console-command").fill("hello berth");
  await page.getByTestId("console-command").press("Enter");
  await expect.poll(() => terminalText(panel(page))).toContain("> hello berth");
  await expect(page.getByTestId("console-command")).toHaveValue("");

  await typeInTerminal(panel(page), "typed here");
  await expect.poll(() => terminalText(panel(page))).toContain("> typed here");
  await page.screenshot({ path: "test-results/e2e/game-console.png", fullPage: true });

  // A reload shows the scrollback once, without doubles.
  await page.reload();
  await expect(panel(page)).toHaveAttribute("data-link", "live");
  await expect.poll(() => terminalText(panel(page))).toContain("> typed here");
  const text = await terminalText(panel(page));
  expect(text.match(/> hello berth/g)).toHaveLength(1);
  expect(text.match(/Server ready on port/g)).toHaveLength(1);

  // The link drops and comes back: the console catches up without doubling output or keystrokes.
  await page.context().setOffline(true);
  await expect(panel(page)).not.toHaveAttribute("data-link", "live", { timeout: 40_000 });
  await expect(panel(page).getByTestId("console-status")).toHaveText(/reconnecting|offline/i);
  await page.context().setOffline(false);
  await expect(panel(page)).toHaveAttribute("data-link", "live", { timeout: 40_000 });
  await typeInTerminal(panel(page), "after reconnect");
  await expect.poll(() => terminalText(panel(page))).toContain("> after reconnect");
  const caughtUp = await terminalText(panel(page));
  expect(caughtUp.match(/^after reconnect$/gm)).toHaveLength(1);
  expect(caughtUp.match(/> typed here/g)).toHaveLength(1);

  // Past the burst of the rate limit, a refused line comes back as a toast, not as an error page.
  for (let i = 0; i < 14; i++) {
    await page.getByTestId("console-command").fill(`burst ${i}`);
    await page.getByTestId("console-command").press("Enter");
  }
  await expect(page.locator("[data-sonner-toast][data-type='error']").first()).toBeVisible();

  // Stopped: the console says so and stops taking commands; the output stays readable.
  await page.getByTestId("power-stop").click();
  await expect(page.getByTestId("server-state")).toHaveText(/offline/i, { timeout: 60_000 });
  await expect(page.getByTestId("console-notice")).toContainText(/offline/i);
  await expect(page.getByTestId("console-command")).toBeDisabled();
  expect(await terminalText(panel(page))).toContain("> burst");
  await page.screenshot({ path: "test-results/e2e/game-console-stopped.png", fullPage: true });
});
