import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { appRouter } from "./root";
import { createUser } from "./services/users/create-user";
import { testRuntime, trpcCodeOf } from "./test-runtime";
import type { ProcedureMeta, SessionUser } from "./trpc";

let db: TestDatabase;
let harness: ReturnType<typeof testRuntime>;
let user: SessionUser;
let admin: SessionUser;

beforeAll(async () => {
  db = await createTestDatabase();
  harness = testRuntime(db.prisma);
  user = await createUser({
    db: db.prisma,
    email: "user@test",
    password: "password1",
    role: "user",
  });
  admin = await createUser({
    db: db.prisma,
    email: "admin@test",
    password: "password1",
    role: "admin",
  });
});
afterAll(() => db?.drop());

type AnyProcedure = { _def: { meta?: ProcedureMeta; type: string } };
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, AnyProcedure>,
);
const byAccess = (access: ProcedureMeta["access"]) =>
  procedures.filter(([, p]) => p._def.meta?.access === access).map(([path]) => path);

async function call(sessionUser: SessionUser | null, path: string): Promise<unknown> {
  // Routers nest (me.webhook.get): walk the caller along the dotted path.
  let target: unknown = harness.callerFor(sessionUser);
  for (const segment of path.split(".")) target = (target as Record<string, unknown>)[segment];
  return (target as (input: unknown) => Promise<unknown>)({});
}

describe("authorization", () => {
  it("every procedure declares who may call it", () => {
    const undeclared = procedures.filter(([, p]) => !p._def.meta?.access).map(([path]) => path);
    expect(undeclared).toEqual([]);
    expect(byAccess("admin")).toEqual(
      expect.arrayContaining([
        "nodes.list",
        "nodes.create",
        "nodes.revoke",
        "settings.update",
        "templates.get",
        "templates.update",
        "runtimes.list",
        "runtimes.create",
        "runtimes.update",
        "runtimes.addVersion",
        "runtimes.updateVersion",
        "runtimes.setDefaultVersion",
        "servers.transfer",
      ]),
    );
  });

  it.each(byAccess("admin"))(
    "%s: FORBIDDEN for a user, UNAUTHORIZED for anonymous",
    async (path) => {
      expect(await trpcCodeOf(call(user, path))).toBe("FORBIDDEN");
      expect(await trpcCodeOf(call(null, path))).toBe("UNAUTHORIZED");
    },
  );

  it("reaches nested procedures", () => {
    expect(byAccess("protected")).toEqual(
      expect.arrayContaining([
        "me.webhook.get",
        "me.webhook.set",
        "servers.crashes",
        "servers.stats",
        "runtimes.catalog",
        "ide.createToken",
        "ide.signOutSessions",
      ]),
    );
  });

  it.each(byAccess("protected"))("%s: UNAUTHORIZED for anonymous", async (path) => {
    expect(await trpcCodeOf(call(null, path))).toBe("UNAUTHORIZED");
  });

  it("lets an admin through the admin gate", async () => {
    expect(await trpcCodeOf(harness.callerFor(admin).nodes.list())).toBe("OK");
  });

  it("refuses a session whose account was disabled since it was issued", async () => {
    const gone = await createUser({
      db: db.prisma,
      email: "gone@test",
      password: "password1",
      role: "admin",
    });
    await db.prisma.user.update({ where: { id: gone.id }, data: { disabledAt: new Date() } });
    expect(await trpcCodeOf(harness.callerFor(gone).nodes.list())).toBe("UNAUTHORIZED");
  });

  it("takes the role from the database, not the session", async () => {
    const claimsAdmin = { ...user, role: "admin" as const };
    expect(await trpcCodeOf(harness.callerFor(claimsAdmin).nodes.list())).toBe("FORBIDDEN");
  });
});

describe("nodes router", () => {
  it("creates a node with a one-time command and revokes it, telling the socket layer", async () => {
    const caller = harness.callerFor(admin);
    const created = await caller.nodes.create({ name: "n-1" });
    expect(created.command).toBe(
      `berth-agent enroll --portal http://portal.test --token ${created.enrollmentToken}`,
    );
    const listed = await caller.nodes.list();
    expect(listed.find((n) => n.id === created.node.id)).toMatchObject({
      name: "n-1",
      status: "offline",
    });
    expect(JSON.stringify(listed)).not.toContain("credentialHash");
    await caller.nodes.revoke({ nodeId: created.node.id });
    expect(harness.events).toContainEqual({ kind: "revoked", nodeId: created.node.id });
  });

  it("gives a short, clear message for bad input and duplicates", async () => {
    const caller = harness.callerFor(admin);
    await expect(caller.nodes.create({ name: "Bad Name!" })).rejects.toThrow(
      "name: Use lowercase letters, digits and dashes.",
    );
    await caller.nodes.create({ name: "dup" });
    await expect(caller.nodes.create({ name: "dup" })).rejects.toThrow(
      'A node named "dup" already exists.',
    );
  });
});
