import { GAP_NOTICE, type ConsoleFrame } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import { applyJoined, applyOutput, EMPTY_CURSOR, joinPosition } from "./console-cursor";

const out = (fromSeq: number, data: string): ConsoleFrame => ({
  kind: "output",
  fromSeq,
  toSeq: fromSeq + data.length,
  data,
});
const gap = (fromSeq: number, toSeq: number): ConsoleFrame => ({
  kind: "gap",
  fromSeq,
  toSeq,
  data: GAP_NOTICE,
});

describe("joinPosition", () => {
  it("asks for the whole scrollback when nothing was shown", () => {
    expect(joinPosition(EMPTY_CURSOR)).toEqual({ runId: null, resumeFromSeq: null });
  });

  it("resumes the run shown from the last character written", () => {
    expect(joinPosition({ runId: "r1", seq: 42 })).toEqual({ runId: "r1", resumeFromSeq: 42 });
  });

  it("resumes from the start of a run joined before any of its output arrived", () => {
    expect(joinPosition({ runId: "r1", seq: null })).toEqual({ runId: "r1", resumeFromSeq: 0 });
  });
});

describe("applyOutput", () => {
  it("writes the first frames of a run as they come, without clearing an empty terminal", () => {
    const update = applyOutput(EMPTY_CURSOR, "r1", [out(0, "hello "), out(6, "world")]);
    expect(update).toEqual({ cursor: { runId: "r1", seq: 11 }, reset: false, text: "hello world" });
  });

  it("takes a first frame that starts past zero (older output was evicted)", () => {
    const update = applyOutput(EMPTY_CURSOR, "r1", [out(100, "late")]);
    expect(update.text).toBe("late");
    expect(update.cursor.seq).toBe(104);
  });

  it("drops frames it already has and writes only the new part of an overlapping one", () => {
    const cursor = { runId: "r1", seq: 8 };
    const update = applyOutput(cursor, "r1", [out(0, "abcd"), out(4, "efghij"), out(10, "kl")]);
    expect(update.text).toBe("ijkl");
    expect(update.cursor).toEqual({ runId: "r1", seq: 12 });
  });

  it("writes nothing for a replay of what is already shown", () => {
    const cursor = { runId: "r1", seq: 10 };
    const update = applyOutput(cursor, "r1", [out(0, "0123456789")]);
    expect(update).toEqual({ cursor, reset: false, text: "" });
  });

  it("writes a gap frame's notice in place of the lost output", () => {
    const update = applyOutput({ runId: "r1", seq: 5 }, "r1", [gap(5, 50), out(50, "after")]);
    expect(update.text).toBe(`${GAP_NOTICE}after`);
    expect(update.cursor.seq).toBe(55);
  });

  it("ignores a gap that lies entirely in what is already shown", () => {
    const update = applyOutput({ runId: "r1", seq: 60 }, "r1", [
      gap(5, 50),
      out(50, "0123456789x"),
    ]);
    expect(update.text).toBe("x");
  });

  it("marks a hole between frames that came without a gap frame", () => {
    const update = applyOutput({ runId: "r1", seq: 5 }, "r1", [out(9, "z")]);
    expect(update.text).toBe(`${GAP_NOTICE}z`);
    expect(update.cursor.seq).toBe(10);
  });

  it("clears the terminal for another run and writes the new run from its start", () => {
    const update = applyOutput({ runId: "r1", seq: 500 }, "r2", [out(0, "fresh")]);
    expect(update).toEqual({ cursor: { runId: "r2", seq: 5 }, reset: true, text: "fresh" });
  });

  it("counts offsets in UTF-16 code units, as the agent does", () => {
    const update = applyOutput({ runId: "r1", seq: 3 }, "r1", [out(0, "héllo ✓")]);
    expect(update.text).toBe("lo ✓");
  });

  it("keeps the cursor for an empty frame list", () => {
    const cursor = { runId: "r1", seq: 3 };
    expect(applyOutput(cursor, "r1", [])).toEqual({ cursor, reset: false, text: "" });
  });
});

describe("applyJoined", () => {
  it("keeps what is shown when the join answers with the same run", () => {
    const cursor = { runId: "r1", seq: 9 };
    expect(applyJoined(cursor, "r1")).toEqual({ cursor, reset: false, text: "" });
  });

  it("clears the terminal when the console started a new run while we were away", () => {
    expect(applyJoined({ runId: "r1", seq: 9 }, "r2")).toEqual({
      cursor: { runId: "r2", seq: null },
      reset: true,
      text: "",
    });
  });

  it("does not clear twice when the new run's output arrived before the answer", () => {
    const first = applyOutput({ runId: "r1", seq: 9 }, "r2", [out(0, "new")]);
    expect(first.reset).toBe(true);
    expect(applyJoined(first.cursor, "r2")).toEqual({
      cursor: first.cursor,
      reset: false,
      text: "",
    });
  });

  it("adopts the first run without clearing an empty terminal", () => {
    expect(applyJoined(EMPTY_CURSOR, "r1").reset).toBe(false);
  });
});
