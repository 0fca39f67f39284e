"use client";

import type { ReactNode } from "react";
import { ArrowDownIcon, ArrowUpIcon, PlusIcon, TrashIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/cn";
import { crashClassLabel } from "@/lib/crashes/crash-class";
import {
  emptyRow,
  moveRow,
  RULE_CLASSES,
  type RuleClass,
  type RuleErrors,
  type RuleField,
  type RuleRow,
} from "@/lib/templates/crash-rules-form";
import { SELECT_CLASS } from "./select-class";

const HEAD = "px-2 py-2 text-left text-xs font-medium tracking-wide text-zinc-400 uppercase";

/**
 * The template's own crash rules, tried in order before the built-in ones. A named group
 * `(?<name>…)` in the pattern names the mod or library; `{name}` in the suggestion uses it.
 */
export function CrashRulesTable({
  rows,
  errors,
  onChange,
}: {
  rows: RuleRow[];
  errors: RuleErrors;
  onChange: (rows: RuleRow[]) => void;
}) {
  const update = (key: string, patch: Partial<RuleRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  return (
    <div className="space-y-3">
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500" data-testid="rules-empty">
          No rules of its own: crashes are classified by the built-in rules only.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[820px] text-sm" data-testid="rules-table">
            <thead>
              <tr className="border-b border-line">
                <th className={cn(HEAD, "w-40")}>Id</th>
                <th className={cn(HEAD, "w-52")}>Class</th>
                <th className={HEAD}>Pattern</th>
                <th className={HEAD}>Suggestion</th>
                <th className="w-24" />
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <RuleRowView
                  key={row.key}
                  row={row}
                  errors={errors[row.key] ?? {}}
                  first={i === 0}
                  last={i === rows.length - 1}
                  onChange={(patch) => update(row.key, patch)}
                  onMove={(by) => onChange(moveRow(rows, i, by))}
                  onRemove={() => onChange(rows.filter((r) => r.key !== row.key))}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Button
        variant="secondary"
        size="sm"
        onClick={() => onChange([...rows, emptyRow()])}
        data-testid="rule-add"
      >
        <PlusIcon className="size-3.5" />
        Add rule
      </Button>
    </div>
  );
}

function CellError({ message }: { message?: string }) {
  return message ? (
    <p className="mt-1 text-xs text-red-300" data-testid="rule-error">
      {message}
    </p>
  ) : null;
}

function RuleRowView({
  row,
  errors,
  first,
  last,
  onChange,
  onMove,
  onRemove,
}: {
  row: RuleRow;
  errors: Partial<Record<RuleField, string>>;
  first: boolean;
  last: boolean;
  onChange: (patch: Partial<RuleRow>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const invalid = (field: RuleField) => (errors[field] ? { "aria-invalid": true } : {});
  return (
    <tr className="border-b border-line/60 align-top" data-testid="rule-row">
      <td className="px-2 py-2">
        <Input
          aria-label="Rule id"
          value={row.id}
          placeholder="mymod.load"
          className="font-mono text-xs"
          onChange={(e) => onChange({ id: e.target.value })}
          data-testid="rule-id"
          {...invalid("id")}
        />
        <CellError message={errors.id} />
      </td>
      <td className="px-2 py-2">
        <select
          aria-label="Crash class"
          value={row.class}
          className={SELECT_CLASS}
          onChange={(e) => onChange({ class: e.target.value as RuleClass })}
          data-testid="rule-class"
        >
          {RULE_CLASSES.map((c) => (
            <option key={c} value={c}>
              {crashClassLabel(c)}
            </option>
          ))}
        </select>
      </td>
      <td className="px-2 py-2">
        <Input
          aria-label="Pattern"
          value={row.pattern}
          placeholder="Failed to load mod (?<name>[\w-]+)"
          className="font-mono text-xs"
          spellCheck={false}
          onChange={(e) => onChange({ pattern: e.target.value })}
          data-testid="rule-pattern"
          {...invalid("pattern")}
        />
        <CellError message={errors.pattern} />
      </td>
      <td className="px-2 py-2">
        <Input
          aria-label="Suggestion"
          value={row.suggestion}
          placeholder="Update or remove {name}."
          onChange={(e) => onChange({ suggestion: e.target.value })}
          data-testid="rule-suggestion"
          {...invalid("suggestion")}
        />
        <CellError message={errors.suggestion} />
      </td>
      <td className="px-2 py-2">
        <div className="flex justify-end gap-0.5">
          <IconButton label="Move up" disabled={first} onClick={() => onMove(-1)}>
            <ArrowUpIcon className="size-3.5" />
          </IconButton>
          <IconButton label="Move down" disabled={last} onClick={() => onMove(1)}>
            <ArrowDownIcon className="size-3.5" />
          </IconButton>
          <IconButton label="Remove rule" danger onClick={onRemove}>
            <TrashIcon className="size-3.5" />
          </IconButton>
        </div>
      </td>
    </tr>
  );
}

function IconButton({
  label,
  disabled,
  danger,
  onClick,
  children,
}: {
  label: string;
  disabled?: boolean;
  danger?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      className={cn(
        "flex size-8 cursor-pointer items-center justify-center rounded-md text-zinc-400 transition-colors hover:bg-zinc-800 hover:text-zinc-100 disabled:cursor-not-allowed disabled:opacity-30",
        danger && "hover:bg-red-500/10 hover:text-red-300",
      )}
    >
      {children}
    </button>
  );
}
