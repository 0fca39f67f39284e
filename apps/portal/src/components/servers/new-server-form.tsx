"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { errorProps, Field, FormError, Input } from "@/components/ui/input";
import { cn } from "@/lib/cn";
import { newRequestId } from "@/lib/request-id";
import { formatMegabytes } from "@/lib/server-state";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import type { CatalogRuntime } from "@/components/runtimes/types";

type Kind = "game" | "dev";

interface Values {
  kind: Kind;
  name: string;
  templateId: string;
  /** Empty: a dev container without a runtime (a plain Debian shell). */
  runtimeId: string;
  /** One of the chosen runtime's enabled versions; its default when the runtime is picked. */
  runtimeVersionId: string;
  memoryMb: string;
  cpuPercent: string;
  diskMb: string;
}

type Errors = Partial<Record<keyof Values, string>>;

/** The input each value is typed into, to focus the first field with a problem. */
const FIELD_IDS: Record<keyof Values, string> = {
  kind: "server-kind-game",
  name: "server-name",
  templateId: "server-template",
  runtimeId: "server-runtime",
  runtimeVersionId: "server-runtime-version",
  memoryMb: "server-memory",
  cpuPercent: "server-cpu",
  diskMb: "server-disk",
};

const DEFAULTS: Values = {
  kind: "game",
  name: "",
  templateId: "",
  runtimeId: "",
  runtimeVersionId: "",
  memoryMb: "1024",
  cpuPercent: "100",
  diskMb: "10240",
};

/** The same bounds the portal enforces; checked here first so mistakes show next to the field. */
const LIMITS = {
  memoryMb: { min: 64, max: 262_144, label: "Memory" },
  cpuPercent: { min: 10, max: 6400, label: "CPU" },
  diskMb: { min: 256, max: 4_194_304, label: "Disk" },
} as const;

function checkNumber(raw: string, { min, max }: { min: number; max: number }): string | undefined {
  if (raw.trim() === "") return "Enter a number.";
  const value = Number(raw);
  if (!Number.isInteger(value)) return "Enter a whole number.";
  if (value < min) return `At least ${min.toLocaleString("en-US")}.`;
  if (value > max) return `At most ${max.toLocaleString("en-US")}.`;
  return undefined;
}

type LimitKey = keyof typeof LIMITS;

const SELECT_CLASS = cn(
  "block h-9 w-full rounded-md border border-line bg-canvas px-3 text-sm text-zinc-100",
  "transition-colors focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 focus:outline-none",
  "disabled:opacity-60 aria-invalid:border-red-500/70",
);

const KINDS: ReadonlyArray<{ kind: Kind; label: string; description: string }> = [
  { kind: "game", label: "Game server", description: "Runs a template's program" },
  { kind: "dev", label: "Dev container", description: "A container with terminals" },
];

function KindPicker({
  value,
  onChange,
  disabled,
}: {
  value: Kind;
  onChange: (kind: Kind) => void;
  disabled: boolean;
}) {
  return (
    <fieldset className="space-y-1.5">
      <legend className="mb-1.5 block text-sm font-medium text-zinc-300">Kind</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {KINDS.map(({ kind, label, description }) => (
          <label
            key={kind}
            className={cn(
              "flex cursor-pointer items-start gap-2.5 rounded-md border px-3 py-2 transition-colors",
              "has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-sky-500/40",
              value === kind
                ? "border-sky-500/50 bg-sky-500/10"
                : "border-line hover:border-zinc-600 hover:bg-white/[0.02]",
              disabled && "cursor-not-allowed opacity-60",
            )}
          >
            <input
              type="radio"
              name="kind"
              value={kind}
              checked={value === kind}
              onChange={() => onChange(kind)}
              disabled={disabled}
              data-testid={`server-kind-${kind}`}
              id={`server-kind-${kind}`}
              className="mt-0.5 accent-sky-500"
            />
            <span>
              <span
                className={cn(
                  "block text-sm font-medium",
                  value === kind ? "text-sky-100" : "text-zinc-200",
                )}
              >
                {label}
              </span>
              <span className="block text-xs text-zinc-500">{description}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Above a gigabyte the hint shows the size in words; below it, the minimum. */
function sizeHint(raw: string, fallback: string): string {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1024 ? formatMegabytes(value) : fallback;
}

function LimitInput({
  field,
  label,
  step,
  hint,
  values,
  errors,
  busy,
  set,
}: {
  field: LimitKey;
  label: string;
  step: number;
  hint: string;
  values: Values;
  errors: Errors;
  busy: boolean;
  set: (key: keyof Values) => (value: string) => void;
}) {
  const id = FIELD_IDS[field];
  return (
    <Field label={label} htmlFor={id} error={errors[field]} hint={hint}>
      <Input
        id={id}
        name={field}
        type="number"
        inputMode="numeric"
        min={LIMITS[field].min}
        max={LIMITS[field].max}
        step={step}
        value={values[field]}
        onChange={(e) => set(field)(e.target.value)}
        disabled={busy}
        data-testid={id}
        {...errorProps(id, errors[field])}
      />
    </Field>
  );
}

export function validateServerForm(values: Values): Errors {
  const errors: Errors = {};
  const name = values.name.trim();
  if (name.length === 0) errors.name = "Enter a name.";
  else if (name.length > 64) errors.name = "At most 64 characters.";
  if (values.kind === "game" && !values.templateId) errors.templateId = "Choose a template.";
  for (const key of ["memoryMb", "cpuPercent", "diskMb"] as const) {
    const error = checkNumber(values[key], LIMITS[key]);
    if (error) errors[key] = error;
  }
  return errors;
}

export function NewServerForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const templates = useQuery(
    trpc.templates.list.queryOptions(undefined, { meta: { silentError: true } }),
  );
  const catalog = useQuery(
    trpc.runtimes.catalog.queryOptions(undefined, { meta: { silentError: true } }),
  );
  const runtimes = catalog.data?.filter((r) => r.kind === "runtime") ?? [];
  const codeServerOffered =
    catalog.data?.some((r) => r.kind === "addon" && r.name === "code-server") ?? false;
  const [codeServer, setCodeServer] = useState(false);

  const [values, setValues] = useState<Values>(DEFAULTS);
  const [submitted, setSubmitted] = useState(false);
  /**
   * One id per submission of the same values: a second click or a retry after a dropped response
   * returns the server the first one created instead of making a twin. Editing the form starts a
   * new submission.
   */
  const requestId = useRef<string | null>(null);

  const create = useMutation(
    trpc.servers.create.mutationOptions({
      onSuccess: (result) => {
        requestId.current = null;
        toast.success(`Server “${values.name.trim()}” created`);
        void queryClient.invalidateQueries({ queryKey: trpc.servers.list.queryKey() });
        router.push(`/servers/${result.id}`);
      },
    }),
  );

  const errors = submitted ? validateServerForm(values) : {};
  const selected = templates.data?.find((template) => template.id === values.templateId);
  const runtime = runtimes.find((r) => r.id === values.runtimeId);

  /** Picking a runtime preselects its default version (the catalog lists it first). */
  const chooseRuntime = (runtimeId: string) => {
    requestId.current = null;
    const chosen = runtimes.find((r) => r.id === runtimeId);
    const version = chosen?.versions.find((v) => v.isDefault) ?? chosen?.versions[0];
    setValues((v) => ({ ...v, runtimeId, runtimeVersionId: version?.id ?? "" }));
  };

  const set = (key: keyof Values) => (value: string) => {
    requestId.current = null;
    setValues((v) => ({ ...v, [key]: value }));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (create.isPending || create.isSuccess) return;
    const found = validateServerForm(values);
    const first = (Object.keys(FIELD_IDS) as (keyof Values)[]).find((key) => found[key]);
    if (first) {
      document.getElementById(FIELD_IDS[first])?.focus();
      return;
    }
    requestId.current ??= newRequestId();
    const limits = {
      name: values.name.trim(),
      memoryMb: Number(values.memoryMb),
      cpuPercent: Number(values.cpuPercent),
      diskMb: Number(values.diskMb),
      requestId: requestId.current,
    };
    create.mutate(
      values.kind === "game"
        ? { kind: "game", templateId: values.templateId, ...limits }
        : {
            kind: "dev",
            ...(values.runtimeId && values.runtimeVersionId
              ? { runtimeVersionId: values.runtimeVersionId }
              : {}),
            codeServer: codeServerOffered && codeServer,
            ...limits,
          },
    );
  };

  const busy = create.isPending || create.isSuccess;
  const limitProps = { values, errors, busy, set };

  return (
    <Card className="max-w-2xl">
      <form
        onSubmit={onSubmit}
        noValidate
        className="space-y-5 px-5 py-5"
        data-testid="new-server-form"
      >
        <KindPicker value={values.kind} onChange={set("kind")} disabled={busy} />

        <Field label="Name" htmlFor="server-name" error={errors.name} hint="Up to 64 characters.">
          <Input
            id="server-name"
            name="name"
            autoFocus
            autoComplete="off"
            maxLength={64}
            placeholder={values.kind === "dev" ? "my-project" : "survival-world"}
            value={values.name}
            onChange={(e) => set("name")(e.target.value)}
            disabled={busy}
            data-testid="server-name"
            {...errorProps("server-name", errors.name)}
          />
        </Field>

        {values.kind === "game" ? (
          <Field label="Template" htmlFor="server-template" error={errors.templateId}>
            {templates.isError ? (
              <FormError>Could not load templates: {errorMessage(templates.error)}</FormError>
            ) : (
              <select
                id="server-template"
                name="templateId"
                value={values.templateId}
                onChange={(e) => set("templateId")(e.target.value)}
                disabled={busy || !templates.data}
                data-testid="server-template"
                className={SELECT_CLASS}
                {...errorProps("server-template", errors.templateId)}
              >
                <option value="" disabled>
                  {templates.data
                    ? templates.data.length > 0
                      ? "Choose a template…"
                      : "No templates available"
                    : "Loading templates…"}
                </option>
                {templates.data?.map((template) => (
                  <option key={template.id} value={template.id}>
                    {template.name}
                  </option>
                ))}
              </select>
            )}
            {selected ? (
              <div
                className="rounded-md border border-line bg-surface-raised/60 px-3 py-2.5"
                data-testid="server-template-description"
              >
                <p className="text-sm text-zinc-300">{selected.description}</p>
                <p className="mt-1 font-mono text-[11px] text-zinc-500">{selected.image}</p>
              </div>
            ) : null}
          </Field>
        ) : (
          <div className="space-y-4">
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="Runtime"
                htmlFor="server-runtime"
                hint="A Debian container with a shell for the dev user, plus the runtime on PATH."
              >
                {catalog.isError ? (
                  <FormError>Could not load runtimes: {errorMessage(catalog.error)}</FormError>
                ) : null}
                <select
                  id="server-runtime"
                  name="runtimeId"
                  value={values.runtimeId}
                  onChange={(e) => chooseRuntime(e.target.value)}
                  disabled={busy}
                  data-testid="server-runtime"
                  className={SELECT_CLASS}
                >
                  <option value="">No runtime (plain Debian)</option>
                  {runtimes.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.displayName}
                    </option>
                  ))}
                </select>
              </Field>
              {runtime ? (
                <Field label="Version" htmlFor="server-runtime-version">
                  <select
                    id="server-runtime-version"
                    name="runtimeVersionId"
                    value={values.runtimeVersionId}
                    onChange={(e) => set("runtimeVersionId")(e.target.value)}
                    disabled={busy}
                    data-testid="server-runtime-version"
                    className={SELECT_CLASS}
                  >
                    {runtime.versions.map((v) => (
                      <option key={v.id} value={v.id}>
                        {versionLabel(v)}
                      </option>
                    ))}
                  </select>
                </Field>
              ) : null}
            </div>
            {codeServerOffered ? (
              <label className="flex items-start gap-2.5 text-sm text-zinc-300">
                <input
                  type="checkbox"
                  checked={codeServer}
                  onChange={(e) => {
                    requestId.current = null;
                    setCodeServer(e.target.checked);
                  }}
                  disabled={busy}
                  data-testid="server-code-server"
                  className="mt-0.5 accent-sky-500"
                />
                <span>
                  Enable code-server
                  <span className="block text-xs text-zinc-500">
                    VS Code in the browser, installed from the runtime catalog.
                  </span>
                </span>
              </label>
            ) : null}
          </div>
        )}

        <div className="grid gap-4 sm:grid-cols-3">
          <LimitInput
            field="memoryMb"
            label="Memory (MB)"
            step={64}
            hint={sizeHint(values.memoryMb, "64 MB or more.")}
            {...limitProps}
          />
          <LimitInput
            field="cpuPercent"
            label="CPU (%)"
            step={10}
            hint="100 = one core."
            {...limitProps}
          />
          <LimitInput
            field="diskMb"
            label="Disk (MB)"
            step={256}
            hint={sizeHint(values.diskMb, "256 MB or more.")}
            {...limitProps}
          />
        </div>

        <div className="flex items-center justify-end gap-2 border-t border-line pt-4">
          <Link
            href="/servers"
            className="inline-flex h-9 items-center rounded-md px-4 text-sm font-medium text-zinc-300 transition-colors hover:bg-zinc-800 hover:text-zinc-100"
          >
            Cancel
          </Link>
          <Button type="submit" loading={busy} data-testid="new-server-submit">
            Create server
          </Button>
        </div>
      </form>
    </Card>
  );
}

function versionLabel(version: CatalogRuntime["versions"][number]): string {
  return [
    version.version,
    version.isDefault ? "(default)" : null,
    version.deprecated ? "(deprecated)" : null,
  ]
    .filter(Boolean)
    .join(" ");
}
