"use client";

import { errorProps, Field, Input } from "@/components/ui/input";
import type {
  LivenessDraft,
  LivenessErrors,
  LivenessField,
  LivenessKind,
} from "@/lib/templates/liveness-form";
import { SELECT_CLASS } from "./select-class";

const KINDS: ReadonlyArray<{ kind: LivenessKind; label: string }> = [
  { kind: "none", label: "None" },
  { kind: "tcp", label: "TCP port accepts connections" },
  { kind: "console", label: "Console answers a command" },
];

/** The template's optional liveness check: a server that fails it counts as a `hung` crash. */
export function LivenessFields({
  draft,
  errors,
  onChange,
}: {
  draft: LivenessDraft;
  errors: LivenessErrors;
  onChange: (patch: Partial<LivenessDraft>) => void;
}) {
  const text = (field: LivenessField, label: string, hint?: string, mono = false) => {
    const id = `liveness-${field}`;
    return (
      <Field label={label} htmlFor={id} hint={hint} error={errors[field]}>
        <Input
          id={id}
          value={draft[field]}
          className={mono ? "font-mono text-xs" : undefined}
          spellCheck={false}
          onChange={(e) => onChange({ [field]: e.target.value })}
          {...errorProps(id, errors[field])}
        />
      </Field>
    );
  };

  return (
    <div className="space-y-4">
      <div className="max-w-sm">
        <Field label="Check" htmlFor="liveness-kind">
          <select
            id="liveness-kind"
            value={draft.kind}
            className={SELECT_CLASS}
            onChange={(e) => onChange({ kind: e.target.value as LivenessKind })}
            data-testid="liveness-kind"
          >
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {draft.kind === "tcp" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          {text("port", "Container port", "The port the program listens on inside its container")}
        </div>
      ) : null}
      {draft.kind === "console" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          {text("command", "Command", "Typed into the console", true)}
          {text("expect", "Expected answer", "A regular expression matched against output", true)}
        </div>
      ) : null}
      {draft.kind !== "none" ? (
        <div className="grid gap-4 sm:grid-cols-4">
          {text("initialDelayS", "First check after (s)")}
          {text("intervalS", "Every (s)")}
          {text("timeoutS", "Timeout (s)")}
          {text("failures", "Failures in a row")}
        </div>
      ) : null}
    </div>
  );
}
