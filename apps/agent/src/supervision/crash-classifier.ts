// Why a server crashed, from what the agent saw: a failed liveness check, the kernel's OOM flag,
// the exit code with the last memory sample, and the log tail matched against rules (the
// template's, then the built-in ones). Pure: the same evidence always gets the same answer.
import type { CrashClass, CrashRule } from "@berth/protocol";
import type { ExitInfo } from "../drivers/driver";
import type { HangReport } from "../instance/instance-types";
import { BUILTIN_CRASH_RULES } from "./crash-rules";

/** Memory use at or above this share of the limit, with exit 137, counts as running out. */
export const MEMORY_AT_LIMIT = 0.95;

export interface CrashEvidence {
  exit: ExitInfo;
  logTail: readonly string[];
  hung?: HangReport;
  /** The last usage sample before the crash, when there is one. */
  memory?: { usedBytes: number; limitBytes: number } | null;
  /** The template's rules, tried before the built-in ones. */
  rules?: readonly CrashRule[];
}

export interface CrashClassification {
  class: CrashClass;
  /** The rule's id, or a built-in reason such as "exit:137+memory". */
  matchedRule: string;
  /** The mod, plugin, library or module the log names. */
  subject: string | null;
  suggestion: string;
}

const OOM_SUGGESTION =
  "The server used all of its memory and was killed. Raise its memory limit, or make it use less (for Java, keep -Xmx about 25 % below the limit).";

interface Compiled {
  rule: CrashRule;
  regex: RegExp;
}

const compiledBuiltins = compile(BUILTIN_CRASH_RULES);

export function classifyCrash(evidence: CrashEvidence): CrashClassification {
  const { exit, hung } = evidence;
  if (hung) {
    return {
      class: "hung",
      matchedRule: `liveness:${hung.check}`,
      subject: null,
      suggestion: clip(
        `The server stopped answering its ${hung.check === "tcp" ? "port" : "console"} check (${clip(hung.detail, 120)}) and was killed. Look for a freeze or overload in the log; raise the check's timeout if it is only slow.`,
      ),
    };
  }
  if (exit.oomKilled) {
    return {
      class: "oom",
      matchedRule: "exit:oom-killed",
      subject: null,
      suggestion: OOM_SUGGESTION,
    };
  }
  if (exit.exitCode === 137 && atLimit(evidence.memory)) {
    return {
      class: "oom",
      matchedRule: "exit:137+memory",
      subject: null,
      suggestion: OOM_SUGGESTION,
    };
  }
  const lines = evidence.logTail.map(normalize);
  const matched =
    firstMatch(compile(evidence.rules ?? []), lines) ?? firstMatch(compiledBuiltins, lines);
  if (matched) return matched;
  return byExit(exit);
}

function atLimit(memory: CrashEvidence["memory"]): boolean {
  return (
    !!memory && memory.limitBytes > 0 && memory.usedBytes >= memory.limitBytes * MEMORY_AT_LIMIT
  );
}

function firstMatch(
  rules: readonly Compiled[],
  lines: readonly string[],
): CrashClassification | null {
  for (const { rule, regex } of rules) {
    for (const line of lines) {
      const match = regex.exec(line);
      if (!match) continue;
      const subject = match.groups?.name?.trim().slice(0, 200) || null;
      return {
        class: rule.class,
        matchedRule: rule.id,
        subject,
        suggestion: clip(rule.suggestion.replaceAll("{name}", subject ?? "(unnamed)")),
      };
    }
  }
  return null;
}

function byExit(exit: ExitInfo): CrashClassification {
  if (exit.exitCode === 0) {
    return {
      class: "unexpected_exit",
      matchedRule: "exit:0",
      subject: null,
      suggestion:
        "The program ended on its own (exit code 0) without being asked to stop: it may have finished its work, been stopped from inside the game, or the startup command does not keep it in the foreground.",
    };
  }
  if (exit.exitCode === null && exit.signal) {
    return {
      class: "nonzero_exit",
      matchedRule: "exit:signal",
      subject: null,
      suggestion: `The process was killed by ${exit.signal}${SIGNAL_HINTS[exit.signal] ?? ""}. The last lines of the log may say more.`,
    };
  }
  const code = exit.exitCode;
  return {
    class: "nonzero_exit",
    matchedRule: "exit:nonzero",
    subject: null,
    suggestion: `The process exited with code ${code ?? "unknown"}${code !== null ? (EXIT_HINTS[code] ?? "") : ""}. The last lines of the log usually say why.`,
  };
}

const SIGNAL_HINTS: Record<string, string> = {
  SIGSEGV: " (a crash in native code: check native libraries, mods and plugins)",
  SIGABRT: " (it aborted itself)",
  SIGKILL: " (from outside the server: the host's OOM killer or another program)",
  SIGBUS: " (a crash in native code, or a full or vanished disk)",
};

const EXIT_HINTS: Record<number, string> = {
  126: " (a command could not be executed: check its permissions)",
  127: " (a command was not found)",
  137: " (killed with SIGKILL)",
  139: " (a segmentation fault in native code)",
};

/** Minecraft's § formatting codes would split words the rules look for. */
function normalize(line: string): string {
  return line.replace(/§[0-9a-fk-or]/gi, "");
}

function compile(rules: readonly CrashRule[]): Compiled[] {
  const compiled: Compiled[] = [];
  for (const rule of rules) {
    try {
      compiled.push({ rule, regex: new RegExp(rule.pattern, "i") });
    } catch {
      // The portal validates patterns; one that slipped through is skipped, not fatal.
    }
  }
  return compiled;
}

function clip(text: string, max = 400): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
