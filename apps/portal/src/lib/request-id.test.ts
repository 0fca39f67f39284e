import { afterEach, describe, expect, it, vi } from "vitest";
import { newRequestId } from "./request-id";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newRequestId", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("returns distinct v4 UUIDs", () => {
    const a = newRequestId();
    expect(a).toMatch(UUID_V4);
    expect(newRequestId()).not.toBe(a);
  });

  it("works outside a secure context", () => {
    vi.stubGlobal("isSecureContext", false);
    expect(newRequestId()).toMatch(UUID_V4);
  });
});
