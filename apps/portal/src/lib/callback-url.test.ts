import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback-url";

describe("safeCallbackUrl", () => {
  it("keeps same-site paths", () => {
    expect(safeCallbackUrl("/admin/nodes")).toBe("/admin/nodes");
    expect(safeCallbackUrl(["/servers?x=1", "/other"])).toBe("/servers?x=1");
  });

  it("falls back for other origins and missing values", () => {
    for (const value of [undefined, "", "https://evil.test/", "//evil.test", "/\\evil.test", "x"]) {
      expect(safeCallbackUrl(value)).toBe("/servers");
    }
  });

  it("never sends a fresh login back to the auth pages", () => {
    expect(safeCallbackUrl("/login?callbackUrl=/x")).toBe("/servers");
    expect(safeCallbackUrl("/signup")).toBe("/servers");
  });
});
