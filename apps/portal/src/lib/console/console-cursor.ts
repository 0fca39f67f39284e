/**
 * What a browser terminal has of one console: the run it shows (`runId`) and the offset just past
 * the last character it wrote (`seq`). Frames may overlap what is already shown (a re-join replays
 * from the cursor, a portal may resend); only characters the terminal lacks are written, so a
 * reconnect or a repeated join never doubles output and never leaves a silent hole.
 */
import { GAP_NOTICE, type ConsoleFrame } from "@berth/protocol";

export interface ConsoleCursor {
  /** The run whose output the terminal shows; null before anything was joined. */
  runId: string | null;
  /** Offset just past the last character written; null when nothing of `runId` was written yet. */
  seq: number | null;
}

export const EMPTY_CURSOR: ConsoleCursor = { runId: null, seq: null };

export interface CursorUpdate {
  cursor: ConsoleCursor;
  /** The terminal shows another run's output: clear it before writing `text`. */
  reset: boolean;
  /** What to write, in order (may be empty). */
  text: string;
}

/** The resume point to send with console:join. */
export function joinPosition(cursor: ConsoleCursor): {
  runId: string | null;
  resumeFromSeq: number | null;
} {
  if (cursor.runId === null) return { runId: null, resumeFromSeq: null };
  return { runId: cursor.runId, resumeFromSeq: cursor.seq ?? 0 };
}

/** Switches to `runId`; a different run than the one shown clears the terminal. */
function enterRun(cursor: ConsoleCursor, runId: string): { cursor: ConsoleCursor; reset: boolean } {
  if (cursor.runId === runId) return { cursor, reset: false };
  return { cursor: { runId, seq: null }, reset: cursor.runId !== null };
}

/** The join was answered for `runId`: a new run starts on a clear terminal even before output. */
export function applyJoined(cursor: ConsoleCursor, runId: string): CursorUpdate {
  return { ...enterRun(cursor, runId), text: "" };
}

/** Applies one console:data payload: the characters not yet shown, and the new cursor. */
export function applyOutput(
  cursor: ConsoleCursor,
  runId: string,
  frames: readonly ConsoleFrame[],
): CursorUpdate {
  const entered = enterRun(cursor, runId);
  let seq = entered.cursor.seq;
  let text = "";
  for (const frame of frames) {
    if (frame.toSeq < frame.fromSeq) continue;
    if (seq !== null && frame.toSeq <= seq) continue;
    if (frame.kind === "gap") {
      text += frame.data;
    } else {
      // Output that starts past what we have: something was lost without a gap frame.
      if (seq !== null && frame.fromSeq > seq) text += GAP_NOTICE;
      text +=
        seq !== null && frame.fromSeq < seq ? frame.data.slice(seq - frame.fromSeq) : frame.data;
    }
    seq = frame.toSeq;
  }
  return { cursor: { runId, seq }, reset: entered.reset, text };
}
