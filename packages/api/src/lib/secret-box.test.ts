import { describe, expect, it } from "vitest";
import { createSecretBox } from "./secret-box";

const master = "a".repeat(32) + "-master-secret";

describe("secret box", () => {
  it("opens what it sealed, and never stores the plaintext", () => {
    const box = createSecretBox(master, "webhook-secret");
    const sealed = box.seal("whsec_plain", "user-1");
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("whsec_plain");
    expect(box.open(sealed, "user-1")).toBe("whsec_plain");
  });

  it("uses a fresh nonce for every seal", () => {
    const box = createSecretBox(master, "webhook-secret");
    expect(box.seal("same", "u")).not.toBe(box.seal("same", "u"));
  });

  it("refuses another context, another master secret, another purpose, or a changed value", () => {
    const box = createSecretBox(master, "webhook-secret");
    const sealed = box.seal("whsec_plain", "user-1");
    expect(() => box.open(sealed, "user-2")).toThrow();
    expect(() => createSecretBox(`${master}x`, "webhook-secret").open(sealed, "user-1")).toThrow();
    expect(() => createSecretBox(master, "other").open(sealed, "user-1")).toThrow();
    const [v, iv, tag, data] = sealed.split(".") as [string, string, string, string];
    const flipped = `${data.slice(0, -2)}${data.endsWith("AA") ? "BB" : "AA"}`;
    expect(() => box.open([v, iv, tag, flipped].join("."), "user-1")).toThrow();
    expect(() => box.open("garbage", "user-1")).toThrow("not a sealed value");
  });
});
