import { describe, expect, it } from "vitest";
import { findStaticBusybox } from "./ensure-image";

describe("findStaticBusybox", () => {
  it("refuses a dynamically linked binary", async () => {
    // Node itself is dynamically linked on Debian.
    await expect(findStaticBusybox(process.execPath)).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringMatching(/dynamically linked.*busybox-static/),
    });
  });

  it("says what to install when nothing is there", async () => {
    await expect(findStaticBusybox("/nonexistent/busybox")).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringMatching(/install busybox-static/),
    });
  });
});
