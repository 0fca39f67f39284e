import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNode, revokeNode, systemActor } from "@berth/api/services";
import { enroll } from "../apps/agent/src/enroll";
import { createTestDatabase, type TestDatabase } from "./db";
import { startTestPortal, type TestPortal } from "./portal";

let db: TestDatabase;
let portal: TestPortal;
const dir = mkdtempSync(join(tmpdir(), "berth-enroll-"));

beforeAll(async () => {
  db = await createTestDatabase();
  portal = await startTestPortal({ databaseUrl: db.url });
});
afterAll(async () => {
  await portal?.close();
  await db?.drop();
});

async function newNode(name: string) {
  return createNode({ prisma: db.prisma, name, actor: systemActor, publicUrl: portal.url });
}

describe("node enrollment", () => {
  it("trades a one-time token for a credential stored 0600, keeping only its hash", async () => {
    const created = await newNode("alpha");
    expect(created.command).toBe(
      `berth-agent enroll --portal ${portal.url} --token ${created.enrollmentToken}`,
    );
    const configFile = join(dir, "alpha.json");
    const config = await enroll({
      portalUrl: portal.url,
      token: created.enrollmentToken,
      configFile,
    });

    expect(config.nodeId).toBe(created.node.id);
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(configFile, "utf8")).credential).toBe(config.credential);

    const node = await db.prisma.node.findUniqueOrThrow({ where: { id: created.node.id } });
    expect(node.credentialHash).toMatch(/^[0-9a-f]{64}$/);
    expect(node.credentialHash).not.toContain(config.credential);
    const tokens = await db.prisma.enrollmentToken.findMany({ where: { nodeId: node.id } });
    expect(tokens.map((t) => t.tokenHash)).not.toContain(created.enrollmentToken);
    expect(tokens[0]!.usedAt).not.toBeNull();
    const audit = await db.prisma.auditLog.findMany({ where: { targetId: node.id } });
    expect(audit.map((a) => a.action).sort()).toEqual(["node.create", "node.enroll"]);
  });

  it("refuses a token used twice", async () => {
    const created = await newNode("beta");
    await enroll({
      portalUrl: portal.url,
      token: created.enrollmentToken,
      configFile: join(dir, "beta.json"),
    });
    await expect(
      enroll({
        portalUrl: portal.url,
        token: created.enrollmentToken,
        configFile: join(dir, "beta2.json"),
      }),
    ).rejects.toThrow("Enrollment refused: This enrollment token was already used.");
  });

  it("lets only one of two concurrent uses of a token win", async () => {
    const created = await newNode("race");
    const results = await Promise.allSettled(
      [1, 2, 3].map((i) =>
        enroll({
          portalUrl: portal.url,
          token: created.enrollmentToken,
          configFile: join(dir, `race${i}.json`),
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses an expired token", async () => {
    const created = await newNode("gamma");
    await db.prisma.enrollmentToken.updateMany({
      where: { nodeId: created.node.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expect(
      enroll({
        portalUrl: portal.url,
        token: created.enrollmentToken,
        configFile: join(dir, "gamma.json"),
      }),
    ).rejects.toThrow("Enrollment refused: This enrollment token has expired.");
  });

  it("gives tokens a one-hour lifetime", async () => {
    const before = Date.now();
    const created = await newNode("delta");
    const lifetime = created.expiresAt.getTime() - before;
    expect(lifetime).toBeGreaterThan(3_590_000);
    expect(lifetime).toBeLessThanOrEqual(3_600_000 + 1000);
  });

  it("refuses a token of a revoked node", async () => {
    const created = await newNode("epsilon");
    await revokeNode({ prisma: db.prisma, nodeId: created.node.id, actor: systemActor });
    await expect(
      enroll({
        portalUrl: portal.url,
        token: created.enrollmentToken,
        configFile: join(dir, "epsilon.json"),
      }),
    ).rejects.toThrow(
      /Enrollment refused: This (node has been revoked|enrollment token has expired)/,
    );
  });

  it("refuses unknown and malformed tokens with a clear reason", async () => {
    await expect(
      enroll({
        portalUrl: portal.url,
        token: "x".repeat(43),
        configFile: join(dir, "unknown.json"),
      }),
    ).rejects.toThrow("Enrollment refused: Unknown enrollment token.");
    const res = await fetch(`${portal.url}/api/agent/enroll`, {
      method: "POST",
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: "BAD_REQUEST", message: "Body must be JSON." });
  });
});
