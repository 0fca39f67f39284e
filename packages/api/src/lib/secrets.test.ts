import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { hashSecret, newToken, secretMatchesHash } from "./secrets";

describe("tokens", () => {
  it("carry their kind and 256 bits, and never look like a command-line option", () => {
    for (let i = 0; i < 500; i++) {
      const token = newToken("enroll");
      expect(token).toMatch(/^berth_enroll_[A-Za-z0-9_-]{43}$/);
      const { values } = parseArgs({
        args: ["--token", token],
        options: { token: { type: "string" } },
      });
      expect(values.token).toBe(token);
    }
  });

  it("are matched against their hash only when identical", () => {
    const token = newToken("node");
    expect(secretMatchesHash(token, hashSecret(token))).toBe(true);
    expect(secretMatchesHash(`${token}x`, hashSecret(token))).toBe(false);
  });
});
