import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../../test/db";
import { BUILTIN_TEMPLATES, ensureBuiltinTemplates } from "./builtin-templates";

describe("seeding the built-in templates", () => {
  let db: TestDatabase;
  const generic = BUILTIN_TEMPLATES.find((t) => t.slug === "generic-console")!;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("brings a row seeded by an earlier version up to date and leaves an admin's edit alone", async () => {
    const older = `sh -c 'echo "Server ready on port {{SERVER_PORT}}"; while read line; do echo "> $line"; done'`;
    await db.prisma.template.create({ data: { ...generic, startup: older } });
    await ensureBuiltinTemplates({ prisma: db.prisma });
    const upgraded = await db.prisma.template.findUniqueOrThrow({ where: { slug: generic.slug } });
    expect(upgraded.startup).toBe(generic.startup);

    const edited = "sh -c 'echo custom'";
    await db.prisma.template.update({ where: { slug: generic.slug }, data: { startup: edited } });
    await ensureBuiltinTemplates({ prisma: db.prisma });
    const kept = await db.prisma.template.findUniqueOrThrow({ where: { slug: generic.slug } });
    expect(kept.startup).toBe(edited);
  });
});
