/**
 * Presentation rules for a server's state and provisioning progress, shared by the servers list
 * and the server page. Pure, so the rules are tested without a browser.
 */

export type PowerAction = "start" | "stop" | "restart" | "kill";
export type StateTone = "green" | "amber" | "grey" | "red";

const TONES: Record<string, StateTone> = {
  running: "green",
  starting: "amber",
  installing: "amber",
  stopping: "amber",
  offline: "grey",
  crashed: "red",
  error: "red",
};

/** Badge colour: running green, on its way somewhere amber, offline grey, crashed or error red. */
export function stateTone(state: string): StateTone {
  return TONES[state] ?? "grey";
}

/** States the server is passing through; their badge pulses. */
export function isTransitional(state: string): boolean {
  return state === "starting" || state === "installing" || state === "stopping";
}

/** Provisioning is under way (not finished, not failed): the progress bar shows. */
export function isProvisioning(stage: string | null | undefined): boolean {
  return stage != null && stage !== "ready" && stage !== "failed";
}

/** The progress bar shows while provisioning and after it failed, so the failure stays visible. */
export function showsProvisioning(stage: string | null | undefined): boolean {
  return stage != null && stage !== "ready";
}

const STAGE_LABELS: Record<string, string> = {
  queued: "Queued",
  creating: "Creating",
  installing: "Installing",
  starting: "Starting",
  ready: "Ready",
  failed: "Failed",
};

export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage] ?? stage;
}

/** Which states each power action makes sense from (mirrors the agent's transition table). */
const ALLOWED: Record<PowerAction, ReadonlySet<string>> = {
  start: new Set(["offline", "crashed", "error"]),
  stop: new Set(["starting", "running", "error"]),
  restart: new Set(["running", "crashed", "error"]),
  kill: new Set(["starting", "running", "stopping", "error"]),
};

/** Whether a power button is offered for the server's current state and provisioning stage. */
export function canPower(
  action: PowerAction,
  state: string,
  stage: string | null | undefined,
): boolean {
  if (isProvisioning(stage)) return false;
  return ALLOWED[action].has(state);
}

const DONE: Record<PowerAction, string> = {
  start: "Server started",
  stop: "Server stopped",
  restart: "Server restarted",
  kill: "Server killed",
};

/** The toast after a power action succeeded. */
export function powerDoneMessage(action: PowerAction): string {
  return DONE[action];
}

/** Memory and disk sizes as people read them: 512 MB, 1 GB, 1.5 GB. */
export function formatMegabytes(mb: number): string {
  if (mb >= 1024) {
    const gb = mb / 1024;
    return `${Number.isInteger(gb) ? gb : gb.toFixed(1)} GB`;
  }
  return `${mb} MB`;
}
