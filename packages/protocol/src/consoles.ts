// Consoles and terminals. A console is either a server's own process (`terminalId: null`, the game
// console) or one of a dev server's terminal tabs (a shell exec'd beside it). The agent numbers
// each console's output (see console/frames.ts) and keeps its scrollback; the portal relays it to
// the browsers in the console's room, one bounded queue per browser.
import { z } from "zod";
import { ConsoleFrame } from "./console/frames";

export const MAX_TERMINALS_PER_SERVER = 6;
/** Largest single console:input payload (characters); bigger pastes are refused, not cut. */
export const MAX_GAME_INPUT_CHARS = 4096;
export const MAX_TERMINAL_INPUT_CHARS = 64 * 1024;

const ServerId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+$/, "server ids are lowercase alphanumeric");
export const TerminalId = z.string().regex(/^t[a-z0-9]{1,24}$/, "terminal ids look like t1a2b");

export const ConsoleRef = z.object({
  serverId: ServerId,
  /** null: the server's own console; otherwise one of its terminals. */
  terminalId: TerminalId.nullable(),
});
export type ConsoleRef = z.infer<typeof ConsoleRef>;

/** Identifies one numbering of a console's output; a new one (agent restart, new shell) starts at 0. */
const RunId = z.string().min(1).max(64);
const Seq = z.number().int().nonnegative();

export const ConsoleOutput = ConsoleRef.extend({
  runId: RunId,
  frames: z.array(ConsoleFrame).min(1).max(1024),
});
export type ConsoleOutput = z.infer<typeof ConsoleOutput>;

/** Browser → portal: join a console's room; `resumeFromSeq` + `runId` from the last frame seen. */
export const ConsoleJoin = ConsoleRef.extend({
  resumeFromSeq: Seq.nullable().default(null),
  runId: RunId.nullable().default(null),
});
export type ConsoleJoin = z.infer<typeof ConsoleJoin>;

/** Portal → agent: start (or keep) streaming a console to this portal and replay its scrollback. */
export const ConsoleOpen = ConsoleJoin;
export type ConsoleOpen = z.infer<typeof ConsoleOpen>;

export const ConsoleReplay = z.object({
  runId: RunId,
  /** Scrollback from the requested offset (or all of it), then live output follows as console:output. */
  frames: z.array(ConsoleFrame).max(1024),
  /** Offset just past the last character of the replay. */
  toSeq: Seq,
});
export type ConsoleReplay = z.infer<typeof ConsoleReplay>;

export const ConsoleJoined = ConsoleRef.extend({ runId: RunId });

export const ConsoleInput = ConsoleRef.extend({
  data: z.string().min(1).max(MAX_TERMINAL_INPUT_CHARS, "Input too large"),
});
export type ConsoleInput = z.infer<typeof ConsoleInput>;

export const ConsoleResize = ConsoleRef.extend({
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(1).max(500),
});
export type ConsoleResize = z.infer<typeof ConsoleResize>;

export const TerminalTitle = z
  .string()
  .trim()
  .min(1, "Name the tab")
  .max(40, "At most 40 characters");

export const TerminalInfo = z.object({
  terminalId: TerminalId,
  title: TerminalTitle,
  createdAt: z.number().int(),
  /** Set once the shell has exited; the tab keeps its scrollback until closed. */
  exitCode: z.number().int().nullable(),
  exited: z.boolean(),
});
export type TerminalInfo = z.infer<typeof TerminalInfo>;

export const TerminalCreate = z.object({
  serverId: ServerId,
  cols: z.number().int().min(2).max(1000).default(80),
  rows: z.number().int().min(1).max(500).default(24),
  title: TerminalTitle.optional(),
});
export type TerminalCreate = z.infer<typeof TerminalCreate>;

export const TerminalRename = z.object({
  serverId: ServerId,
  terminalId: TerminalId,
  title: TerminalTitle,
});
export const TerminalRef = z.object({ serverId: ServerId, terminalId: TerminalId });
export const ServerTerminals = z.object({
  serverId: ServerId,
  terminals: z.array(TerminalInfo).max(MAX_TERMINALS_PER_SERVER),
});
export type ServerTerminals = z.infer<typeof ServerTerminals>;
