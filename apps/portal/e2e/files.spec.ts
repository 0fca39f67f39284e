import { expect, test, type Page } from "@playwright/test";
import { strToU8, zipSync } from "fflate";
import { logIn, removeE2eContainers } from "./support";

test.beforeAll(removeE2eContainers);
test.afterAll(removeE2eContainers);

const SHOTS = "test-results/e2e";

/** A Fabric mod jar as small as it gets: its metadata and nothing else. */
function fabricJar(): Buffer {
  const meta = {
    schemaVersion: 1,
    id: "e2e-mod",
    version: "1.2.3",
    name: "E2E Mod",
    depends: { "e2e-missing-lib": "*" },
  };
  return Buffer.from(zipSync({ "fabric.mod.json": strToU8(JSON.stringify(meta)) }));
}

/**
 * Drops files on an element the way a browser does: a real `drop` event carrying a DataTransfer
 * built in the page (big files are made there too, so they need not cross the wire).
 */
async function dropFiles(
  page: Page,
  testId: string,
  files: Array<{ name: string; text?: string; bytes?: number; lastModified?: number }>,
) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const body = f.text ?? new Uint8Array(f.bytes ?? 0).fill(97);
      const options = { type: "application/octet-stream", lastModified: f.lastModified };
      dt.items.add(new File([body], f.name, options));
    }
    return dt;
  }, files);
  const target = page.getByTestId(testId);
  await target.dispatchEvent("dragenter", { dataTransfer });
  await target.dispatchEvent("dragover", { dataTransfer });
  await target.dispatchEvent("drop", { dataTransfer });
}

/** The editor's text, line by line. */
function editorText(page: Page): Promise<string> {
  return page
    .getByTestId("code-editor")
    .locator(".cm-content")
    .evaluate((el) => Array.from(el.querySelectorAll(".cm-line"), (l) => l.textContent).join("\n"));
}

test("files and mods: drop a file with visible progress, edit and save a text file, install and toggle a mod", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await logIn(page);

  await page.goto("/servers/new");
  await page.getByTestId("server-name").fill("e2e files");
  await page.getByTestId("server-template").selectOption({ label: "Generic console program" });
  await page.getByTestId("server-memory").fill("128");
  await page.getByTestId("new-server-submit").click();
  await expect(page).toHaveURL(/\/servers\/[a-z0-9]+$/);
  await expect(page.getByTestId("server-state")).toHaveText(/running/i, { timeout: 120_000 });

  await page.getByTestId("server-tab-files").click();
  await expect(page).toHaveURL(/tab=files/);
  const files = page.getByTestId("files-tab");
  await expect(files).toBeVisible();
  await expect(files.getByTestId("file-table").or(files.getByTestId("files-empty"))).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/files-tab.png`, fullPage: true });

  // Each chunk waits a moment on its way, so the progress can be seen (and paused) on loopback.
  await page.route("**/api/files/*/uploads/**", async (route) => {
    if (route.request().method() === "PATCH") await new Promise((r) => setTimeout(r, 1200));
    // A paused upload aborts its request while it waits here.
    await route.continue().catch(() => undefined);
  });

  await dropFiles(page, "files-tab", [
    { name: "notes.txt", text: "first line\n" },
    { name: "big.bin", bytes: 20 * 1024 * 1024 },
  ]);
  const big = page.locator("[data-testid=upload-item][data-path='big.bin']");
  await expect(big).toBeVisible();
  await expect(page.getByTestId("upload-overall-progress")).toBeVisible();
  // Past the first chunk, not finished yet: the bar shows where it is.
  await expect
    .poll(async () => Number(await big.getByRole("progressbar").getAttribute("aria-valuenow")), {
      timeout: 60_000,
    })
    .toBeGreaterThan(0);
  await big.getByTestId("upload-pause").click();
  await expect(big).toHaveAttribute("data-status", "paused");
  const pausedAt = Number(await big.getByRole("progressbar").getAttribute("aria-valuenow"));
  expect(pausedAt).toBeLessThan(100);
  await page.screenshot({ path: `${SHOTS}/files-upload-progress.png`, fullPage: true });
  await big.getByTestId("upload-resume").click();
  await expect(big).toHaveAttribute("data-status", "done", { timeout: 90_000 });
  await expect(big.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await expect(page.locator("[data-testid=upload-item][data-path='notes.txt']")).toHaveAttribute(
    "data-status",
    "done",
  );
  await expect(files.locator("[data-testid=file-row][data-name='big.bin']")).toBeVisible();
  await expect(files.locator("[data-testid=file-row][data-name='notes.txt']")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/files-list.png`, fullPage: true });

  // A reload in the middle of an upload: the page lists it as interrupted, and the same file
  // dropped again continues from what the node already has (tus keeps the upload's URL).
  const resumable = {
    name: "resume.bin",
    bytes: 20 * 1024 * 1024,
    lastModified: 1_700_000_000_000,
  };
  await dropFiles(page, "files-tab", [resumable]);
  const first = page.locator("[data-testid=upload-item][data-path='resume.bin']");
  await expect
    .poll(async () => Number(await first.getByRole("progressbar").getAttribute("aria-valuenow")), {
      timeout: 60_000,
    })
    .toBeGreaterThan(40);
  await page.reload();
  await expect(page.getByTestId("upload-interrupted")).toContainText("resume.bin");
  await dropFiles(page, "files-tab", [resumable]);
  const again = page.locator("[data-testid=upload-item][data-path='resume.bin']");
  await expect(again).toHaveAttribute("data-status", "done", { timeout: 90_000 });
  expect(Number(await again.getAttribute("data-resumed-from"))).toBeGreaterThan(0);
  await expect(page.getByTestId("upload-interrupted")).toBeHidden();
  await expect(files.locator("[data-testid=file-row][data-name='resume.bin']")).toBeVisible();
  await page.unroute("**/api/files/*/uploads/**");

  // Edit the text file, save with Ctrl+S, and find the change after a reload.
  await files
    .locator("[data-testid=file-row][data-name='notes.txt']")
    .getByTestId("file-open")
    .click();
  await expect(page).toHaveURL(/file=notes\.txt/);
  const editor = page.getByTestId("text-editor");
  await expect(editor).toBeVisible();
  await expect.poll(() => editorText(page)).toBe("first line\n");
  await page.getByTestId("code-editor").locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("edited in berth");
  await expect(editor).toHaveAttribute("data-dirty", "true");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/files-editor.png` });
  await page.keyboard.press("ControlOrMeta+s");
  await expect(editor).toHaveAttribute("data-dirty", "false");
  await page.reload();
  await expect(page.getByTestId("text-editor")).toBeVisible();
  await expect.poll(() => editorText(page)).toBe("first line\nedited in berth");

  // Saved meanwhile from another tab: this tab's save is refused instead of overwriting it.
  const other = await page.context().newPage();
  await other.goto(page.url());
  await expect.poll(() => editorText(other)).toBe("first line\nedited in berth");
  await other.getByTestId("code-editor").locator(".cm-content").click();
  await other.keyboard.press("ControlOrMeta+End");
  await other.keyboard.type(" (other tab)");
  await other.getByTestId("text-editor-save").click();
  await expect(other.getByTestId("text-editor")).toHaveAttribute("data-dirty", "false");
  await other.close();
  await page.getByTestId("code-editor").locator(".cm-content").click();
  await page.keyboard.type("!");
  await page.getByTestId("text-editor-save").click();
  await expect(page.locator("[data-sonner-toast][data-type='error']")).toContainText(
    "changed since you opened it",
  );
  await expect(page.getByTestId("text-editor")).toHaveAttribute("data-dirty", "true");
  // The toast's Reload shows the other tab's version.
  await page.locator("[data-sonner-toast]").getByRole("button", { name: "Reload" }).click();
  await expect.poll(() => editorText(page)).toBe("first line\nedited in berth (other tab)");
  await expect(page.getByTestId("text-editor")).toHaveAttribute("data-dirty", "false");
  await page.getByTestId("text-editor-close").click();
  await expect(files.locator("[data-testid=file-row][data-name='notes.txt']")).toBeVisible();

  // Mods: install a jar, see its metadata and the missing dependency, disable and enable it.
  await page.getByTestId("server-tab-mods").click();
  const mods = page.getByTestId("mods-tab");
  await expect(mods.getByTestId("mods-empty").or(mods.getByTestId("mods-list"))).toBeVisible();
  await mods.getByTestId("mods-install-input").setInputFiles({
    name: "e2e-mod-1.2.3.jar",
    mimeType: "application/java-archive",
    buffer: fabricJar(),
  });
  const row = mods.locator("[data-testid=mod-row][data-mod-id='e2e-mod']");
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row.getByTestId("mod-name")).toHaveText("E2E Mod");
  await expect(row.getByTestId("mod-version")).toHaveText("1.2.3");
  await expect(row).toHaveAttribute("data-enabled", "true");
  await expect(row.getByTestId("mod-missing-warning")).toContainText("e2e-missing-lib");
  await row.getByTestId("mod-toggle").click();
  await expect(row).toHaveAttribute("data-enabled", "false");
  await expect(row.getByTestId("mod-disabled-badge")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/mods-disabled.png`, fullPage: true });
  await row.getByTestId("mod-toggle").click();
  await expect(row).toHaveAttribute("data-enabled", "true");
  await expect(row.getByTestId("mod-disabled-badge")).toBeHidden();
  await expect(mods.getByTestId("mods-missing-banner")).toContainText("e2e-missing-lib");
  await mods.getByTestId("upload-clear").click();
  await page.screenshot({ path: `${SHOTS}/mods-tab.png`, fullPage: true });

  // A crash that names the mod opens this tab with it marked.
  const url = new URL(page.url());
  url.search = "?tab=mods&mod=E2E%20Mod";
  await page.goto(url.toString());
  await expect(page.locator("[data-testid=mod-row][data-mod-id='e2e-mod']")).toHaveAttribute(
    "data-highlighted",
    "true",
  );
  await page.screenshot({ path: `${SHOTS}/mods-crash-link.png`, fullPage: true });
});
