import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../../test/db";
import { AppError } from "../../lib/app-error";
import { testRuntime } from "../../test-runtime";
import { authenticateUser, LOGIN_FAILURE_LIMIT } from "./authenticate-user";
import { createUser } from "./create-user";
import { ensureAdmin } from "./ensure-admin";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await createUser({
    db: db.prisma,
    email: "Player@Example.com",
    password: "right-password",
    role: "user",
  });
});
afterAll(() => db?.drop());

const attempt = (password: string, ip = "10.0.0.1", email = "player@example.com") =>
  authenticateUser({ prisma: db.prisma, email, password, ip });

describe("password login", () => {
  it("stores an argon2id hash and accepts the right password, case-insensitive email", async () => {
    const row = await db.prisma.user.findUniqueOrThrow({ where: { email: "player@example.com" } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    await expect(
      attempt("right-password", "10.0.0.9", "PLAYER@example.com"),
    ).resolves.toMatchObject({ role: "user" });
  });

  it("says the same thing for an unknown email and a wrong password", async () => {
    await expect(attempt("nope", "10.0.0.8", "nobody@example.com")).rejects.toThrow(
      "Wrong email or password.",
    );
    await expect(attempt("nope", "10.0.0.8")).rejects.toThrow("Wrong email or password.");
  });

  it(`locks an account+address after ${LOGIN_FAILURE_LIMIT} failures in a minute, even for the right password`, async () => {
    for (let i = 0; i < LOGIN_FAILURE_LIMIT; i++) {
      await expect(attempt("wrong", "10.0.0.2")).rejects.toThrow("Wrong email or password.");
    }
    const err = await attempt("right-password", "10.0.0.2").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("TOO_MANY_REQUESTS");
    expect((err as AppError).message).toMatch(/^Too many failed logins\. Try again in \d+ s\.$/);
    // Another address is a separate bucket.
    await expect(attempt("right-password", "10.0.0.3")).resolves.toMatchObject({
      email: "player@example.com",
    });
  });

  it("opens again once the failures are older than a minute", async () => {
    await db.prisma.loginFailure.updateMany({
      where: { ip: "10.0.0.2" },
      data: { createdAt: new Date(Date.now() - 61_000) },
    });
    await expect(attempt("right-password", "10.0.0.2")).resolves.toMatchObject({ role: "user" });
  });
});

describe("sign-up and the first admin", () => {
  it("signs up while enabled and refuses once an admin turns it off", async () => {
    const { callerFor } = testRuntime(db.prisma);
    await expect(
      callerFor(null).auth.signUp({
        email: "new@example.com",
        name: "New",
        password: "longenough",
      }),
    ).resolves.toHaveProperty("id");
    await expect(
      callerFor(null).auth.signUp({
        email: "new@example.com",
        name: "New",
        password: "longenough",
      }),
    ).rejects.toThrow("An account with this email already exists.");
    await expect(
      callerFor(null).auth.signUp({ email: "x@example.com", name: "X", password: "short" }),
    ).rejects.toThrow("password: Use at least 8 characters.");

    const admin = await createUser({
      db: db.prisma,
      email: "boss@example.com",
      password: "password1",
      role: "admin",
    });
    await callerFor(admin).settings.update({ signupEnabled: false });
    expect(await callerFor(null).settings.get()).toEqual({ signupEnabled: false });
    await expect(
      callerFor(null).auth.signUp({
        email: "late@example.com",
        name: "Late",
        password: "longenough",
      }),
    ).rejects.toThrow("Sign-up is turned off. Ask an administrator for an account.");
  });

  it("seeds exactly one admin, with a generated password shown once", async () => {
    const fresh = await createTestDatabase();
    try {
      const results = await Promise.all([
        ensureAdmin({ prisma: fresh.prisma, email: "root@example.com" }),
        ensureAdmin({ prisma: fresh.prisma, email: "root@example.com" }),
      ]);
      const created = results.filter((r) => r.created);
      expect(created).toHaveLength(1);
      const first = created[0]!;
      if (!first.created) throw new Error("unreachable");
      expect(first.password.length).toBeGreaterThanOrEqual(16);
      await expect(
        authenticateUser({
          prisma: fresh.prisma,
          email: "root@example.com",
          password: first.password,
          ip: "1",
        }),
      ).resolves.toMatchObject({ role: "admin" });
      expect(await ensureAdmin({ prisma: fresh.prisma, email: "root@example.com" })).toEqual({
        created: false,
      });
    } finally {
      await fresh.drop();
    }
  });
});
