"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { SELECT_CLASS } from "@/components/templates/select-class";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { errorProps, Field, FormError, Input } from "@/components/ui/input";
import { splitFieldError } from "@/lib/runtimes/field-errors";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import type { RuntimeItem } from "./types";

const FIELDS = ["name", "displayName", "kind"] as const;
type FieldName = (typeof FIELDS)[number];
type Errors = Partial<Record<FieldName, string>>;

/** Adds a runtime or addon (no `runtime`), or edits one; the name is fixed once created. */
export function RuntimeDialog({
  open,
  runtime,
  onClose,
}: {
  open: boolean;
  runtime?: RuntimeItem;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState(runtime?.name ?? "");
  const [displayName, setDisplayName] = useState(runtime?.displayName ?? "");
  const [kind, setKind] = useState<"runtime" | "addon">(runtime?.kind ?? "runtime");
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const onError = (error: unknown) => {
    const split = splitFieldError(errorMessage(error), FIELDS);
    if (split.field) setErrors({ [split.field]: split.message });
    else setFormError(split.message);
  };
  const onSuccess = (saved: { displayName: string }) => {
    toast.success(runtime ? `“${saved.displayName}” saved` : `“${saved.displayName}” added`);
    void queryClient.invalidateQueries({ queryKey: trpc.runtimes.list.queryKey() });
    onClose();
  };
  const create = useMutation(
    trpc.runtimes.create.mutationOptions({ meta: { silentError: true }, onSuccess, onError }),
  );
  const update = useMutation(
    trpc.runtimes.update.mutationOptions({ meta: { silentError: true }, onSuccess, onError }),
  );
  const busy = create.isPending || update.isPending;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Errors = {};
    if (!runtime && name.trim() === "") found.name = "Enter a name.";
    if (displayName.trim() === "") found.displayName = "Enter a display name.";
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return;
    if (runtime) update.mutate({ runtimeId: runtime.id, displayName: displayName.trim(), kind });
    else create.mutate({ name: name.trim(), displayName: displayName.trim(), kind });
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!busy}
      testId="runtime-dialog"
      title={runtime ? `Edit ${runtime.displayName}` : "Add runtime"}
      description="A language runtime (node, python, go, …) or an addon such as code-server. Versions are added afterwards."
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" form="runtime-form" loading={busy} data-testid="runtime-submit">
            {runtime ? "Save" : "Add runtime"}
          </Button>
        </>
      }
    >
      <form id="runtime-form" onSubmit={onSubmit} noValidate className="space-y-4">
        {formError ? <FormError testId="runtime-form-error">{formError}</FormError> : null}
        <Field
          label="Name"
          htmlFor="runtime-name"
          error={errors.name}
          hint={
            runtime
              ? "Fixed once created: nodes keep installed versions under it."
              : "Lowercase letters, digits and dashes, e.g. node. Fixed once created."
          }
        >
          <Input
            id="runtime-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            disabled={busy || Boolean(runtime)}
            autoComplete="off"
            maxLength={32}
            placeholder="node"
            data-testid="runtime-name"
            {...errorProps("runtime-name", errors.name)}
          />
        </Field>
        <Field label="Display name" htmlFor="runtime-display-name" error={errors.displayName}>
          <Input
            id="runtime-display-name"
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            disabled={busy}
            autoComplete="off"
            maxLength={64}
            placeholder="Node.js"
            data-testid="runtime-display-name"
            {...errorProps("runtime-display-name", errors.displayName)}
          />
        </Field>
        <Field label="Kind" htmlFor="runtime-kind" error={errors.kind}>
          <select
            id="runtime-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value === "addon" ? "addon" : "runtime")}
            disabled={busy}
            className={SELECT_CLASS}
            data-testid="runtime-kind"
            {...errorProps("runtime-kind", errors.kind)}
          >
            <option value="runtime">Runtime (chosen when creating a dev server)</option>
            <option value="addon">Addon (e.g. code-server)</option>
          </select>
        </Field>
      </form>
    </Dialog>
  );
}
