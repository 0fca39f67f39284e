/**
 * A template's liveness check as a form: times in seconds for people, milliseconds on the wire,
 * checked with the protocol's LivenessCheck schema.
 */
import { LivenessCheck } from "@berth/protocol";

export type LivenessKind = "none" | "tcp" | "console";

export interface LivenessDraft {
  kind: LivenessKind;
  port: string;
  command: string;
  expect: string;
  initialDelayS: string;
  intervalS: string;
  timeoutS: string;
  failures: string;
}

export type LivenessField = Exclude<keyof LivenessDraft, "kind">;
export type LivenessErrors = Partial<Record<LivenessField, string>>;

const DEFAULT_DRAFT: LivenessDraft = {
  kind: "none",
  port: "",
  command: "",
  expect: "",
  initialDelayS: "60",
  intervalS: "30",
  timeoutS: "5",
  failures: "3",
};

const seconds = (ms: number) => String(ms / 1000);

export function livenessDraftOf(check: LivenessCheck | null, firstPort?: number): LivenessDraft {
  if (!check) return { ...DEFAULT_DRAFT, port: firstPort ? String(firstPort) : "" };
  return {
    ...DEFAULT_DRAFT,
    kind: check.kind,
    port: check.kind === "tcp" ? String(check.port) : firstPort ? String(firstPort) : "",
    command: check.kind === "console" ? check.command : "",
    expect: check.kind === "console" ? check.expect : "",
    initialDelayS: seconds(check.initialDelayMs),
    intervalS: seconds(check.intervalMs),
    timeoutS: seconds(check.timeoutMs),
    failures: String(check.failures),
  };
}

/** Seconds as typed ("5", "0.5") → ms; NaN when it is not a number. */
function toMs(raw: string): number {
  const text = raw.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return Number.NaN;
  return Math.round(Number(text) * 1000);
}

const FIELD_OF: Record<string, LivenessField> = {
  port: "port",
  command: "command",
  expect: "expect",
  initialDelayMs: "initialDelayS",
  intervalMs: "intervalS",
  timeoutMs: "timeoutS",
  failures: "failures",
};

function messageFor(field: LivenessField, code: string, message: string, minimum?: number): string {
  const isTime = field.endsWith("S") && field !== "failures";
  if (code === "invalid_type") return "Enter a number.";
  if (code === "too_small" && (field === "command" || field === "expect")) return "Required.";
  if (code === "too_small" && typeof minimum === "number") {
    return isTime ? `At least ${minimum / 1000} s.` : `At least ${minimum}.`;
  }
  if (code === "too_big") return "Too large.";
  if (code === "invalid_format" || message.includes("regular expression"))
    return "Not a valid regular expression.";
  return "Not valid.";
}

/** The check to save (null for none), or a message per field. */
export function parseLiveness(
  draft: LivenessDraft,
): { ok: true; check: LivenessCheck | null } | { ok: false; errors: LivenessErrors } {
  if (draft.kind === "none") return { ok: true, check: null };
  const timing = {
    initialDelayMs: toMs(draft.initialDelayS),
    intervalMs: toMs(draft.intervalS),
    timeoutMs: toMs(draft.timeoutS),
    failures: /^\d+$/.test(draft.failures.trim()) ? Number(draft.failures) : Number.NaN,
  };
  const candidate =
    draft.kind === "tcp"
      ? {
          kind: "tcp" as const,
          port: /^\d+$/.test(draft.port.trim()) ? Number(draft.port) : Number.NaN,
          ...timing,
        }
      : {
          kind: "console" as const,
          command: draft.command.trim(),
          expect: draft.expect,
          ...timing,
        };
  const errors: LivenessErrors = {};
  if (candidate.kind === "console" && candidate.expect) {
    try {
      new RegExp(candidate.expect, "i");
    } catch {
      errors.expect = "Not a valid regular expression.";
    }
  }
  if (
    Number.isFinite(timing.timeoutMs) &&
    Number.isFinite(timing.intervalMs) &&
    timing.timeoutMs >= timing.intervalMs
  ) {
    errors.timeoutS = "Must be shorter than the interval.";
  }
  const parsed = LivenessCheck.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = FIELD_OF[String(issue.path[0])];
      if (!field || errors[field]) continue;
      const minimum =
        "minimum" in issue && typeof issue.minimum === "number" ? issue.minimum : undefined;
      errors[field] = messageFor(field, issue.code, issue.message, minimum);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, check: parsed.data };
}

/** One line for the templates list: "TCP port 25565 every 30 s" / "Console “list” every 30 s". */
export function describeLiveness(check: LivenessCheck | null): string {
  if (!check) return "No liveness check";
  const every = `every ${check.intervalMs / 1000} s`;
  return check.kind === "tcp"
    ? `TCP port ${check.port} ${every}`
    : `Console “${check.command}” ${every}`;
}
