import { describe, expect, it } from "vitest";
import { httpUrlOf, parseListenAddress } from "./listen-address";

describe("parseListenAddress", () => {
  it("reads host:port, with IPv6 hosts in brackets", () => {
    expect(parseListenAddress("127.0.0.1:0")).toEqual({ host: "127.0.0.1", port: 0 });
    expect(parseListenAddress("agent.internal:8443")).toEqual({
      host: "agent.internal",
      port: 8443,
    });
    expect(parseListenAddress("[::]:9000")).toEqual({ host: "::", port: 9000 });
  });

  it("refuses anything else", () => {
    for (const value of ["", "8080", "host", "host:", ":8080", "::1:80", "host:70000", "a b:1"]) {
      expect(parseListenAddress(value), value).toBeNull();
    }
  });
});

describe("httpUrlOf", () => {
  it("brackets IPv6 hosts", () => {
    expect(httpUrlOf({ host: "127.0.0.1", port: 8080 })).toBe("http://127.0.0.1:8080");
    expect(httpUrlOf({ host: "::1", port: 8080 })).toBe("http://[::1]:8080");
  });
});
