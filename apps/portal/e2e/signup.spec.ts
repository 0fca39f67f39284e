import { expect, test, type Page } from "@playwright/test";
import { e2eAdmin } from "./e2e-env";

async function logIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/servers/);
}

test("an admin closes and reopens sign-up; a new user signs up and is kept out of admin pages", async ({
  page,
  browser,
}) => {
  await logIn(page, e2eAdmin.email, e2eAdmin.password);
  await page.goto("/admin/settings");
  const toggle = page.getByTestId("signup-toggle");
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  // The switch flips at once (optimistic); the toast says the server has saved it.
  await expect(page.getByText("Sign-up is off.")).toBeVisible();

  const visitor = await browser.newPage();
  await visitor.goto("/signup");
  await expect(visitor.getByTestId("signup-disabled")).toBeVisible();
  await expect(visitor.getByText("Sign-up is closed")).toBeVisible();

  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await expect(page.getByText("Sign-up is on.")).toBeVisible();
  await visitor.goto("/signup");
  await visitor.getByTestId("signup-name").fill("Pat Player");
  await visitor.getByTestId("signup-email").fill("pat@e2e.test");
  await visitor.getByTestId("signup-password").fill("pats-long-password");
  await visitor.getByTestId("signup-submit").click();
  await expect(visitor).toHaveURL(/\/servers/);
  await expect(visitor.getByText("No servers yet")).toBeVisible();
  await expect(visitor.getByTestId("nav-nodes")).toHaveCount(0);

  await visitor.goto("/admin/nodes");
  await expect(visitor.getByText("403 — Admins only")).toBeVisible();
  await expect(visitor.getByTestId("nodes-table")).toHaveCount(0);
  await visitor.screenshot({ path: "test-results/e2e/user-forbidden.png", fullPage: true });
  await visitor.close();
});
