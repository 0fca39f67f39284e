/** Shared by playwright.config.ts (which starts the platform) and the specs (which log in). */
export const e2ePort = Number(process.env.BERTH_E2E_PORT ?? 3100);
export const e2eAdmin = { email: "admin@e2e.test", password: "e2e-admin-password" };
export const e2eContainerLabel = "berth.test=1,berth.e2e=1";
