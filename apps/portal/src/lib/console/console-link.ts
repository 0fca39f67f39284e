/**
 * What a console view tells its user about its live link, from the socket's status and the state
 * of its own join. Pure, so the rules are tested without a socket.
 */
import type { SocketStatus } from "@/lib/socket";

export type JoinState =
  /** Not asked yet (no socket, or waiting for the terminal to load). */
  | "idle"
  | "joining"
  | "joined"
  /** The portal refused or did not answer; a retry is scheduled. */
  | "failed";

export type ConsoleLinkState = "connecting" | "live" | "reconnecting" | "offline" | "unavailable";

export function consoleLinkState({
  socket,
  join,
  everJoined,
}: {
  socket: SocketStatus;
  join: JoinState;
  /** Whether this view was live before: coming back is "reconnecting", not "connecting". */
  everJoined: boolean;
}): ConsoleLinkState {
  if (socket === "offline") return "offline";
  if (socket === "reconnecting") return "reconnecting";
  if (socket === "connecting") return everJoined ? "reconnecting" : "connecting";
  if (join === "joined") return "live";
  if (join === "failed") return "unavailable";
  return everJoined ? "reconnecting" : "connecting";
}

export const LINK_LABELS: Record<ConsoleLinkState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
  unavailable: "Unavailable",
};

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 15_000;

/** Delay before the next join attempt after `failures` failed ones (1 s, 2 s, 4 s … 15 s). */
export function rejoinDelay(failures: number): number {
  const exponent = Math.max(0, failures - 1);
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(exponent, 10));
}
