import { describe, expect, it } from "vitest";
import { createIdeLinks } from "./ide-links";

const SECRET = "a-platform-secret-of-at-least-32-characters";
const T0 = 1_800_000_000_000;
const links = (now = () => T0, secret = SECRET) =>
  createIdeLinks({
    masterSecret: secret,
    publicUrl: "https://berth.example",
    tokenTtlS: 300,
    hostSuffix: null,
    now,
  });

describe("IDE links", () => {
  it("verifies its own links until they expire, and no one else's", async () => {
    const claims = { userId: "u1", serverId: "s1", jti: "j1" };
    const { token, expiresAt } = await links().signToken(claims);
    expect(expiresAt.getTime()).toBe(T0 + 300_000);
    expect(await links(() => T0 + 299_000).verifyToken(token)).toEqual({ ok: true, claims });
    expect(await links(() => T0 + 301_000).verifyToken(token)).toEqual({
      ok: false,
      problem: "expired",
    });
    expect(await links(() => T0, `${SECRET}-other`).verifyToken(token)).toEqual({
      ok: false,
      problem: "invalid",
    });
    expect(await links().verifyToken("not.a.jwt")).toEqual({ ok: false, problem: "invalid" });
  });

  it("keeps links and sessions apart", async () => {
    const { session, expiresAt } = await links().signSession({
      userId: "u1",
      serverId: "s1",
      sid: "t1",
    });
    expect(expiresAt.getTime()).toBe(T0 + 12 * 3600_000);
    expect(await links().verifySession(session)).toEqual({
      userId: "u1",
      serverId: "s1",
      sid: "t1",
    });
    expect(await links().verifyToken(session)).toMatchObject({ ok: false });
    const { token } = await links().signToken({ userId: "u1", serverId: "s1", jti: "j1" });
    expect(await links().verifySession(token)).toBeNull();
    expect(await links(() => T0 + 12 * 3600_000 + 1000).verifySession(session)).toBeNull();
  });

  it("builds path-based and host-based URLs", () => {
    expect(links().urlFor("s1", "a.b.c")).toBe("https://berth.example/ide/s1/?token=a.b.c");
    const host = createIdeLinks({
      masterSecret: SECRET,
      publicUrl: "https://berth.example",
      tokenTtlS: 300,
      hostSuffix: "ide.example.com",
    });
    expect(host.urlFor("s1", "a.b.c")).toBe("https://dev-s1.ide.example.com/?token=a.b.c");
  });
});
