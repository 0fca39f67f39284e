/**
 * A template's crash rules as an editable table. Rows are checked with the protocol's own
 * CrashRule schema (the portal and the agent check the same), plus unique ids.
 */
import { CrashRule, PatternCrashClass } from "@berth/protocol";

export const RULE_CLASSES = PatternCrashClass.options;
export type RuleClass = (typeof RULE_CLASSES)[number];

export interface RuleRow {
  /** Stable React key; not saved. */
  key: string;
  id: string;
  class: RuleClass;
  pattern: string;
  suggestion: string;
}

export type RuleField = "id" | "class" | "pattern" | "suggestion";
export type RuleErrors = Record<string, Partial<Record<RuleField, string>>>;

let nextKey = 0;
const newKey = () => `rule-${++nextKey}`;

export function rowsOf(rules: readonly CrashRule[]): RuleRow[] {
  return rules.map((rule) => ({ key: newKey(), ...rule }));
}

/**
 * Rows from a template's stored rules (JSON): every rule shows, also one that no longer passes
 * the checks, so an admin can see and fix it rather than lose it on the next save.
 */
export function rowsFromStored(stored: unknown): RuleRow[] {
  if (!Array.isArray(stored)) return [];
  return stored
    .filter((raw): raw is Record<string, unknown> => typeof raw === "object" && raw !== null)
    .map((raw) => {
      const text = (key: string) => (typeof raw[key] === "string" ? (raw[key] as string) : "");
      const cls = RULE_CLASSES.find((c) => c === raw.class) ?? "mod_or_plugin_error";
      return {
        key: newKey(),
        id: text("id"),
        class: cls,
        pattern: text("pattern"),
        suggestion: text("suggestion"),
      };
    });
}

export function emptyRow(): RuleRow {
  return { key: newKey(), id: "", class: "mod_or_plugin_error", pattern: "", suggestion: "" };
}

/** The rules to save, or a message per row and field (keyed by the row's key). */
export function parseRules(
  rows: readonly RuleRow[],
): { ok: true; rules: CrashRule[] } | { ok: false; errors: RuleErrors } {
  const errors: RuleErrors = {};
  const rules: CrashRule[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const candidate = {
      id: row.id.trim(),
      class: row.class,
      pattern: row.pattern,
      suggestion: row.suggestion.trim(),
    };
    const parsed = CrashRule.safeParse(candidate);
    const rowErrors: Partial<Record<RuleField, string>> = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as RuleField | undefined;
        if (field && !rowErrors[field])
          rowErrors[field] = ruleMessage(field, issue.code, issue.message);
      }
    }
    if (candidate.id && seen.has(candidate.id)) rowErrors.id ??= "Another rule has this id.";
    seen.add(candidate.id);
    if (Object.keys(rowErrors).length > 0) errors[row.key] = rowErrors;
    else if (parsed.success) rules.push(parsed.data);
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, rules };
}

function ruleMessage(field: RuleField, code: string, message: string): string {
  if (code === "too_small") {
    return {
      id: "Enter an id.",
      class: "Choose a class.",
      pattern: "Enter a pattern.",
      suggestion: "Enter a suggestion.",
    }[field];
  }
  if (code === "too_big") return "Too long.";
  // The schema's own messages are written for people ("not a valid regular expression", …).
  return message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith(".") ? "" : ".");
}

/** Moves a row up (-1) or down (+1); order matters, the first matching rule wins. */
export function moveRow<T>(rows: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= rows.length) return [...rows];
  const next = [...rows];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}
