import { describe, expect, it } from "vitest";
import {
  emptyRow,
  moveRow,
  parseRules,
  rowsFromStored,
  rowsOf,
  type RuleRow,
} from "./crash-rules-form";

const row = (patch: Partial<RuleRow>): RuleRow => ({
  ...emptyRow(),
  id: "mymod.load",
  pattern: String.raw`Failed to load mod (?<name>\w+)`,
  suggestion: "Update {name}.",
  ...patch,
});

describe("parseRules", () => {
  it("returns the rules in order, trimmed, without the row keys", () => {
    const result = parseRules([row({ id: " a " }), row({ id: "b", class: "oom" })]);
    expect(result).toEqual({
      ok: true,
      rules: [
        {
          id: "a",
          class: "mod_or_plugin_error",
          pattern: String.raw`Failed to load mod (?<name>\w+)`,
          suggestion: "Update {name}.",
        },
        {
          id: "b",
          class: "oom",
          pattern: String.raw`Failed to load mod (?<name>\w+)`,
          suggestion: "Update {name}.",
        },
      ],
    });
  });

  it("marks each field with a problem on its own row", () => {
    const bad = row({ id: "Bad Id", pattern: "(unclosed", suggestion: "" });
    const good = row({});
    const result = parseRules([bad, good]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors)).toEqual([bad.key]);
    expect(result.errors[bad.key]).toEqual({
      id: "Rule ids are lowercase: letters, digits, . _ -.",
      pattern: "Not a valid regular expression.",
      suggestion: "Enter a suggestion.",
    });
  });

  it("refuses two rules with one id", () => {
    const second = row({});
    const result = parseRules([row({}), second]);
    expect(result).toEqual({
      ok: false,
      errors: { [second.key]: { id: "Another rule has this id." } },
    });
  });

  it("accepts no rules at all", () => {
    expect(parseRules([])).toEqual({ ok: true, rules: [] });
  });

  it("gives every row its own key", () => {
    const rows = rowsOf([
      { id: "a", class: "oom", pattern: "x", suggestion: "y" },
      { id: "b", class: "oom", pattern: "x", suggestion: "y" },
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(2);
  });
});

describe("moveRow", () => {
  it("swaps with a neighbour and stays put at the ends", () => {
    expect(moveRow(["a", "b", "c"], 1, -1)).toEqual(["b", "a", "c"]);
    expect(moveRow(["a", "b", "c"], 1, 1)).toEqual(["a", "c", "b"]);
    expect(moveRow(["a", "b"], 0, -1)).toEqual(["a", "b"]);
    expect(moveRow(["a", "b"], 1, 1)).toEqual(["a", "b"]);
  });
});

describe("rowsFromStored", () => {
  it("keeps every stored rule, also one that no longer passes", () => {
    const rows = rowsFromStored([
      { id: "a", class: "oom", pattern: "x", suggestion: "y" },
      { id: "b", class: "something-old", pattern: 5 },
      "junk",
    ]);
    expect(rows.map(({ key: _key, ...r }) => r)).toEqual([
      { id: "a", class: "oom", pattern: "x", suggestion: "y" },
      { id: "b", class: "mod_or_plugin_error", pattern: "", suggestion: "" },
    ]);
  });

  it("is empty for anything but a list", () => {
    expect(rowsFromStored(null)).toEqual([]);
    expect(rowsFromStored({})).toEqual([]);
  });
});
