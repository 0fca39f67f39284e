import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { renderStartup } from "../servers/build-spec";
import { BUILTIN_TEMPLATES } from "./builtin-templates";

describe("the generic console template", () => {
  const generic = BUILTIN_TEMPLATES.find((t) => t.slug === "generic-console")!;

  it("echoes input and ends with exit code 0 on its stop command", () => {
    const run = spawnSync("sh", ["-c", renderStartup(generic.startup, { SERVER_PORT: "8080" })], {
      input: `hello\n${generic.stopCommand}\nnot reached\n`,
      encoding: "utf8",
      timeout: 5000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("Server ready on port 8080\n> hello\n");
  });
});
