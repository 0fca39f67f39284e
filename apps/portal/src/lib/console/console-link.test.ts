import { describe, expect, it } from "vitest";
import { consoleLinkState, rejoinDelay } from "./console-link";

describe("consoleLinkState", () => {
  it("is live only while the socket is up and the join was answered", () => {
    expect(consoleLinkState({ socket: "connected", join: "joined", everJoined: true })).toBe(
      "live",
    );
  });

  it("says connecting on the way in and reconnecting on the way back", () => {
    expect(consoleLinkState({ socket: "connecting", join: "idle", everJoined: false })).toBe(
      "connecting",
    );
    expect(consoleLinkState({ socket: "connected", join: "joining", everJoined: false })).toBe(
      "connecting",
    );
    expect(consoleLinkState({ socket: "connected", join: "joining", everJoined: true })).toBe(
      "reconnecting",
    );
    expect(consoleLinkState({ socket: "reconnecting", join: "joined", everJoined: true })).toBe(
      "reconnecting",
    );
  });

  it("is offline when the portal refused the link, whatever the join did", () => {
    expect(consoleLinkState({ socket: "offline", join: "joined", everJoined: true })).toBe(
      "offline",
    );
  });

  it("is unavailable while a refused join waits for its retry", () => {
    expect(consoleLinkState({ socket: "connected", join: "failed", everJoined: false })).toBe(
      "unavailable",
    );
  });
});

describe("rejoinDelay", () => {
  it("doubles from one second and stops growing at fifteen", () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(rejoinDelay)).toEqual([
      1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000,
    ]);
  });
});
