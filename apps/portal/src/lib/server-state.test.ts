import { describe, expect, it } from "vitest";
import {
  canPower,
  formatMegabytes,
  isTransitional,
  showsProvisioning,
  stateTone,
} from "./server-state";

describe("stateTone", () => {
  it("colours states by what they mean", () => {
    expect(stateTone("running")).toBe("green");
    expect(stateTone("starting")).toBe("amber");
    expect(stateTone("installing")).toBe("amber");
    expect(stateTone("stopping")).toBe("amber");
    expect(stateTone("offline")).toBe("grey");
    expect(stateTone("crashed")).toBe("red");
    expect(stateTone("error")).toBe("red");
    expect(stateTone("something-new")).toBe("grey");
  });

  it("pulses only passing states", () => {
    expect(isTransitional("starting")).toBe(true);
    expect(isTransitional("running")).toBe(false);
    expect(isTransitional("crashed")).toBe(false);
  });
});

describe("canPower", () => {
  it("offers start only when the server is not running", () => {
    expect(canPower("start", "offline", "ready")).toBe(true);
    expect(canPower("start", "crashed", null)).toBe(true);
    expect(canPower("start", "running", "ready")).toBe(false);
    expect(canPower("start", "stopping", "ready")).toBe(false);
  });

  it("offers stop, restart and kill for a running server", () => {
    for (const action of ["stop", "restart", "kill"] as const) {
      expect(canPower(action, "running", "ready")).toBe(true);
      expect(canPower(action, "offline", "ready")).toBe(false);
    }
  });

  it("lets a kill escalate a stop under way", () => {
    expect(canPower("kill", "stopping", "ready")).toBe(true);
    expect(canPower("stop", "stopping", "ready")).toBe(false);
  });

  it("offers nothing while provisioning", () => {
    for (const action of ["start", "stop", "restart", "kill"] as const) {
      expect(canPower(action, "offline", "creating")).toBe(false);
      expect(canPower(action, "installing", "installing")).toBe(false);
    }
    expect(canPower("start", "error", "failed")).toBe(true);
  });
});

describe("showsProvisioning", () => {
  it("shows the bar until the server is ready", () => {
    expect(showsProvisioning("queued")).toBe(true);
    expect(showsProvisioning("failed")).toBe(true);
    expect(showsProvisioning("ready")).toBe(false);
    expect(showsProvisioning(null)).toBe(false);
  });
});

describe("formatMegabytes", () => {
  it("switches to GB from 1024 MB", () => {
    expect(formatMegabytes(512)).toBe("512 MB");
    expect(formatMegabytes(1024)).toBe("1 GB");
    expect(formatMegabytes(1536)).toBe("1.5 GB");
    expect(formatMegabytes(10_240)).toBe("10 GB");
  });
});
