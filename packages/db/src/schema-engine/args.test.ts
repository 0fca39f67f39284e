import { describe, expect, test } from "vitest";
import { parseEngineArgs } from "./args";

describe("parseEngineArgs", () => {
  test("reads what the Prisma CLI passes to start the JSON-RPC server", () => {
    const datasource = JSON.stringify({
      url: "postgresql://u:p@127.0.0.1:5432/berth",
      shadowDatabaseUrl: "postgresql://u:p@127.0.0.1:5432/shadow",
    });
    expect(
      parseEngineArgs([
        "--datamodels",
        "prisma/schema.prisma",
        "--datamodels",
        "prisma/other.prisma",
        "--datasource",
        datasource,
        "--enabled-preview-features",
        "views",
        "--extension-types",
        '{"types":[]}',
      ]),
    ).toEqual({
      datamodels: ["prisma/schema.prisma", "prisma/other.prisma"],
      datasource: {
        url: "postgresql://u:p@127.0.0.1:5432/berth",
        shadowDatabaseUrl: "postgresql://u:p@127.0.0.1:5432/shadow",
      },
      version: false,
      help: false,
    });
  });

  test("reads the one-shot cli form and --version", () => {
    expect(
      parseEngineArgs(["--datasource", '{"url":"postgresql://x/y"}', "cli", "create-database"]),
    ).toMatchObject({ cliCommand: "create-database", datasource: { url: "postgresql://x/y" } });
    expect(parseEngineArgs(["--version"]).version).toBe(true);
    expect(parseEngineArgs(["-d", "a.prisma", "b.prisma"]).datamodels).toEqual([
      "a.prisma",
      "b.prisma",
    ]);
  });

  test("rejects what it does not know", () => {
    expect(() => parseEngineArgs(["--frobnicate"])).toThrow(/unknown argument/);
    expect(() => parseEngineArgs(["--datasource"])).toThrow(/needs a value/);
  });
});
