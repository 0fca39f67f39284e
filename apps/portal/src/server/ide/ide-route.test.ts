import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { IDE_COOKIE, ideSetCookie, presentedSessions, withoutIdeCookie } from "./ide-cookie";
import {
  hasDotSegment,
  ideLocation,
  matchIdeRequest,
  withoutParam,
  type IdeRoute,
} from "./ide-route";

const req = (url: string, host = "portal.example.com") =>
  ({ url, headers: { host } }) as unknown as IncomingMessage;

describe("IDE routes", () => {
  it("finds the server and the rest of the path in path mode", () => {
    const match = matchIdeRequest(req("/ide/srv1/static/a.js?v=1"), null);
    expect(match).toMatchObject({
      kind: "ide",
      route: { serverId: "srv1", mode: "path", base: "/ide/srv1/", rest: "static/a.js" },
    });
    if (match.kind === "ide") expect(match.route.query.get("v")).toBe("1");
    expect(matchIdeRequest(req("/ide/srv1?folder=/x"), null)).toEqual({
      kind: "add-slash",
      location: "/ide/srv1/?folder=/x",
    });
    expect(matchIdeRequest(req("/idea/srv1/"), null)).toEqual({ kind: "none" });
    expect(matchIdeRequest(req("/ide/../etc/"), null)).toEqual({ kind: "none" });
  });

  it("reads the server from the host in host mode, and only for the configured suffix", () => {
    const hostMatch = matchIdeRequest(
      req("/static/a.js", "dev-srv1.ide.example.com:443"),
      "ide.example.com",
    );
    expect(hostMatch).toMatchObject({
      kind: "ide",
      route: { serverId: "srv1", mode: "host", base: "/", rest: "static/a.js" },
    });
    expect(matchIdeRequest(req("/", "dev-srv1.evil.com"), "ide.example.com")).toEqual({
      kind: "none",
    });
    expect(matchIdeRequest(req("/", "dev-srv1.ide.example.com"), null)).toEqual({ kind: "none" });
    // Path mode keeps working next to host mode.
    expect(matchIdeRequest(req("/ide/srv1/"), "ide.example.com")).toMatchObject({ kind: "ide" });
  });

  it("builds locations and drops one parameter without re-encoding the rest", () => {
    const route: IdeRoute = {
      serverId: "s",
      mode: "path",
      base: "/ide/s/",
      rest: "a/b",
      query: new URLSearchParams(),
      rawQuery: "",
    };
    expect(ideLocation(route, "folder=/home/dev/workspace")).toBe(
      "/ide/s/a/b?folder=/home/dev/workspace",
    );
    expect(ideLocation({ ...route, base: "/", rest: "" }, "")).toBe("/");
    expect(withoutParam("token=x&folder=/a%20b&tok=1&token=y&%74oken=z", "token")).toBe(
      "folder=/a%20b&tok=1",
    );
    expect(withoutParam("token=x", "token")).toBe("");
    expect(withoutParam("%E0%A4%A=1&token=x", "token")).toBe("%E0%A4%A=1");
  });
});

describe("IDE cookies", () => {
  it("strips only Berth's cookie and finds sessions in cookies and bearer headers", () => {
    const header = `a=1; ${IDE_COOKIE}=s1; vscode-tkn=x;${IDE_COOKIE}=s2`;
    expect(withoutIdeCookie(header)).toBe("a=1; vscode-tkn=x");
    expect(withoutIdeCookie(`${IDE_COOKIE}=s1`)).toBeUndefined();
    expect(presentedSessions({ cookie: header, authorization: "Bearer s3" })).toEqual([
      "s1",
      "s2",
      "s3",
    ]);
    expect(presentedSessions({ authorization: "Basic abc" })).toEqual([]);
  });

  it("scopes the cookie to the server's path, or to the host alone", () => {
    const route: IdeRoute = {
      serverId: "s",
      mode: "path",
      base: "/ide/s/",
      rest: "",
      query: new URLSearchParams(),
      rawQuery: "",
    };
    expect(ideSetCookie(route, "v", { maxAgeS: 60, secure: false })).toBe(
      `${IDE_COOKIE}=v; Path=/ide/s/; Max-Age=60; HttpOnly; SameSite=Lax`,
    );
    const host = ideSetCookie({ ...route, mode: "host", base: "/" }, "v", {
      maxAgeS: 60,
      secure: true,
    });
    expect(host).toBe(`${IDE_COOKIE}=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure`);
    expect(host).not.toContain("Domain");
  });
});

describe("dot segments", () => {
  it("are found plain and escaped, and nowhere else", () => {
    for (const bad of ["..", "../x", "a/../b", "a/%2e%2E/b", "a/./b", "a/%2e"]) {
      expect(hasDotSegment(bad), bad).toBe(true);
    }
    for (const ok of ["", "a/b", "a..b/c", ".vscode/settings.json", "a/...b"]) {
      expect(hasDotSegment(ok), ok).toBe(false);
    }
  });
});
