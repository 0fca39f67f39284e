import { describe, expect, it } from "vitest";
import { DriverError } from "../driver";
import { toDriverError } from "./errors";

const engineError = (statusCode: number, message: string) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) ${message}`), {
    statusCode,
    json: { message },
  });

describe("toDriverError", () => {
  it("turns Docker's port clash into a short message users can act on", () => {
    const err = toDriverError(
      engineError(
        500,
        "driver failed programming external connectivity on endpoint berth-x (abc): Bind for 0.0.0.0:25565 failed: port is already allocated",
      ),
      "start server x",
    );
    expect(err).toBeInstanceOf(DriverError);
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toBe("Port 25565 is already in use on this node.");
  });

  it("keeps the engine's message for other failures", () => {
    const err = toDriverError(engineError(409, "container is paused"), "start server x");
    expect(err).toMatchObject({
      code: "CONFLICT",
      message: "Cannot start server x: container is paused",
    });
  });
});
