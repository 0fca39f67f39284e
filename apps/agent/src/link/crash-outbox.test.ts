import type { Result, ServerCrashEvent } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import { FakeClock, settle } from "../instance/fake-clock";
import { memoryLog } from "../instance/test-fixture";
import { CrashOutbox } from "./crash-outbox";

function crash(n: number): ServerCrashEvent {
  return {
    serverId: "s1",
    crashId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    at: n,
    exitCode: 1,
    signal: null,
    oomKilled: false,
    uptimeMs: 10,
    logTail: [],
    class: "nonzero_exit",
    matchedRule: "exit:nonzero",
    subject: null,
    suggestion: "The process exited with code 1.",
    restartAt: null,
    crashLoop: false,
  };
}

type Reply = Result<{ recorded: boolean }> | "timeout";

function setup(max?: number) {
  const clock = new FakeClock();
  const log = memoryLog();
  const sent: string[] = [];
  let connected = true;
  const replies: Reply[] = [];
  const outbox = new CrashOutbox({
    send: async (event) => {
      sent.push(event.crashId.slice(-2));
      const reply = replies.shift() ?? { ok: true, data: { recorded: true } };
      if (reply === "timeout") throw new Error("operation has timed out");
      return reply;
    },
    connected: () => connected,
    clock,
    log,
    retryMs: 10_000,
    ...(max ? { max } : {}),
  });
  return {
    clock,
    log,
    sent,
    replies,
    outbox,
    setConnected: (value: boolean) => (connected = value),
    pendingIds: () => outbox.pending.map((e) => e.crashId.slice(-2)),
  };
}

describe("CrashOutbox", () => {
  it("sends each report once the portal acknowledges it", async () => {
    const fx = setup();
    fx.outbox.add(crash(1));
    fx.outbox.add(crash(2));
    await settle();
    expect(fx.sent).toEqual(["01", "02"]);
    expect(fx.outbox.pending).toEqual([]);
  });

  it("keeps reports while offline and sends them in order after a reconnect", async () => {
    const fx = setup();
    fx.setConnected(false);
    fx.outbox.add(crash(1));
    fx.outbox.add(crash(2));
    await settle();
    expect(fx.sent).toEqual([]);
    expect(fx.pendingIds()).toEqual(["01", "02"]);
    fx.setConnected(true);
    await fx.outbox.flush();
    expect(fx.sent).toEqual(["01", "02"]);
    expect(fx.outbox.pending).toEqual([]);
  });

  it("an unanswered report stays first and is sent again later, the same report", async () => {
    const fx = setup();
    fx.replies.push("timeout");
    fx.outbox.add(crash(1));
    fx.outbox.add(crash(2));
    await settle();
    expect(fx.sent).toEqual(["01"]);
    expect(fx.pendingIds()).toEqual(["01", "02"]);
    await fx.clock.advance(10_000);
    expect(fx.sent).toEqual(["01", "01", "02"]);
    expect(fx.outbox.pending).toEqual([]);
  });

  it("a portal that cannot record now is asked again; a final refusal is given up", async () => {
    const fx = setup();
    fx.replies.push({ ok: false, error: { code: "INTERNAL", message: "database down" } });
    fx.outbox.add(crash(1));
    await settle();
    expect(fx.pendingIds()).toEqual(["01"]);
    fx.replies.push({ ok: false, error: { code: "NOT_FOUND", message: "No such server" } });
    await fx.clock.advance(10_000);
    expect(fx.sent).toEqual(["01", "01"]);
    expect(fx.outbox.pending).toEqual([]);
    expect(fx.log.entries.map((e) => e.msg)).toEqual([
      "portal could not record a crash",
      "portal refused a crash report",
    ]);
  });

  it("does not retry while offline; the reconnect flushes", async () => {
    const fx = setup();
    fx.replies.push("timeout");
    fx.outbox.add(crash(1));
    await settle();
    fx.setConnected(false);
    await fx.clock.advance(60_000);
    expect(fx.sent).toEqual(["01"]);
    expect(fx.clock.pending).toBe(0);
    fx.setConnected(true);
    await fx.outbox.flush();
    expect(fx.sent).toEqual(["01", "01"]);
    expect(fx.outbox.pending).toEqual([]);
  });

  it("holds at most `max` reports, giving up the oldest", async () => {
    const fx = setup(3);
    fx.setConnected(false);
    for (let n = 1; n <= 5; n++) fx.outbox.add(crash(n));
    expect(fx.pendingIds()).toEqual(["03", "04", "05"]);
    expect(fx.log.entries.filter((e) => e.msg.startsWith("crash report given up"))).toHaveLength(2);
  });

  it("sends nothing after close", async () => {
    const fx = setup();
    fx.replies.push("timeout");
    fx.outbox.add(crash(1));
    await settle();
    fx.outbox.close();
    fx.outbox.add(crash(2));
    await fx.clock.advance(60_000);
    await fx.outbox.flush();
    expect(fx.sent).toEqual(["01"]);
  });
});
