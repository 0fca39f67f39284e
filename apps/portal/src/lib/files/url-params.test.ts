import { describe, expect, it } from "vitest";
import { tabOf, withParams } from "./url-params";

describe("withParams", () => {
  it("sets, replaces and removes parameters", () => {
    expect(withParams("", { tab: "files" })).toBe("?tab=files");
    expect(withParams("?tab=files&path=world", { path: "world/region", file: null })).toBe(
      "?tab=files&path=world%2Fregion",
    );
    expect(withParams("?tab=files&path=a", { tab: null, path: "" })).toBe("");
  });
});

describe("tabOf", () => {
  it("falls back to the overview, and has no mods tab on dev servers", () => {
    expect(tabOf("files", "dev")).toBe("files");
    expect(tabOf("mods", "game")).toBe("mods");
    expect(tabOf("mods", "dev")).toBe("overview");
    expect(tabOf(null, "game")).toBe("overview");
    expect(tabOf("nonsense", "game")).toBe("overview");
  });
});
