import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCatalog } from "./catalog";
import { fail, ok, type Result } from "./errors";
import { handle } from "./handler";

const Catalog = defineCatalog({
  "thing:double": {
    payload: z.object({ n: z.number().int() }),
    ack: z.object({ doubled: z.number() }),
  },
});

function emit(socket: EventEmitter, payload: unknown): Promise<Result<unknown>> {
  return new Promise((resolve) => socket.emit("thing:double", payload, resolve));
}

describe("handle", () => {
  it("acks the handler's result for a valid payload", async () => {
    const socket = new EventEmitter();
    handle(socket, Catalog, "thing:double", ({ n }) => ok({ doubled: n * 2 }));
    expect(await emit(socket, { n: 21 })).toEqual({ ok: true, data: { doubled: 42 } });
  });

  it("refuses an invalid payload with BAD_REQUEST and never calls the handler", async () => {
    const socket = new EventEmitter();
    let called = false;
    handle(socket, Catalog, "thing:double", () => {
      called = true;
      return ok({ doubled: 0 });
    });
    const result = await emit(socket, { n: "21" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe("BAD_REQUEST");
    expect(called).toBe(false);
  });

  it("turns a thrown error into an INTERNAL ack instead of leaving the caller waiting", async () => {
    const socket = new EventEmitter();
    handle(socket, Catalog, "thing:double", () => {
      throw new Error("boom");
    });
    const result = await emit(socket, { n: 1 });
    expect(result).toEqual(fail("INTERNAL", "thing:double failed"));
  });

  it("acks a failure the handler returns as-is", async () => {
    const socket = new EventEmitter();
    handle(socket, Catalog, "thing:double", () => fail("NOT_FOUND", "nope"));
    expect(await emit(socket, { n: 1 })).toEqual(fail("NOT_FOUND", "nope"));
  });
});
