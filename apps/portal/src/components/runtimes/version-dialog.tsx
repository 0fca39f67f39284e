"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { errorProps, Field, FormError, Input } from "@/components/ui/input";
import { formatBytes, splitFieldError } from "@/lib/runtimes/field-errors";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import { ArtifactUploadField } from "./artifact-upload-field";
import type { RuntimeItem, RuntimeVersionItem } from "./types";

const FIELDS = ["version", "artifactUrl", "sha256", "sizeBytes", "binPath"] as const;
type FieldName = (typeof FIELDS)[number];
type Errors = Partial<Record<FieldName, string>>;
type Draft = Record<FieldName, string>;

const FIELD_IDS: Record<FieldName, string> = {
  version: "version-string",
  artifactUrl: "version-artifact-url",
  sha256: "version-sha256",
  sizeBytes: "version-size",
  binPath: "version-bin-path",
};

/** What can be told without asking the portal; the portal checks everything again. */
function checkDraft(draft: Draft, adding: boolean): Errors {
  const errors: Errors = {};
  if (adding && draft.version.trim() === "") errors.version = "Enter a version.";
  if (!/^https?:\/\//.test(draft.artifactUrl.trim()))
    errors.artifactUrl = "Enter an http or https URL (https://…).";
  if (!/^[0-9a-fA-F]{64}$/.test(draft.sha256.trim()))
    errors.sha256 = "The sha256 must be 64 hex characters.";
  const size = Number(draft.sizeBytes);
  if (draft.sizeBytes.trim() === "" || !Number.isInteger(size) || size <= 0)
    errors.sizeBytes = "The size must be a positive number of bytes.";
  if (draft.binPath.trim() === "") errors.binPath = "Enter the folder to put on PATH.";
  return errors;
}

/** Adds a version to a runtime (no `version`), or edits one's artifact; the version is fixed. */
export function VersionDialog({
  open,
  runtime,
  version,
  onClose,
}: {
  open: boolean;
  runtime: RuntimeItem;
  version?: RuntimeVersionItem;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>({
    version: version?.version ?? "",
    artifactUrl: version?.artifactUrl ?? "",
    sha256: version?.sha256 ?? "",
    sizeBytes: version ? String(version.sizeBytes) : "",
    binPath: version?.binPath ?? "bin",
  });
  const [makeDefault, setMakeDefault] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const onError = (error: unknown) => {
    const split = splitFieldError(errorMessage(error), FIELDS);
    if (split.field) setErrors({ [split.field]: split.message });
    else setFormError(split.message);
  };
  const onSuccess = (saved: { version: string }) => {
    toast.success(
      version
        ? `${runtime.displayName} ${saved.version} saved`
        : `${runtime.displayName} ${saved.version} added`,
    );
    void queryClient.invalidateQueries({ queryKey: trpc.runtimes.list.queryKey() });
    onClose();
  };
  const add = useMutation(
    trpc.runtimes.addVersion.mutationOptions({ meta: { silentError: true }, onSuccess, onError }),
  );
  const update = useMutation(
    trpc.runtimes.updateVersion.mutationOptions({
      meta: { silentError: true },
      onSuccess,
      onError,
    }),
  );
  const [uploading, setUploading] = useState(false);
  const busy = add.isPending || update.isPending;

  const set = (key: FieldName) => (value: string) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = checkDraft(draft, !version);
    setErrors(found);
    setFormError(null);
    const first = FIELDS.find((f) => found[f]);
    if (first) {
      document.getElementById(FIELD_IDS[first])?.focus();
      return;
    }
    const artifact = {
      artifactUrl: draft.artifactUrl.trim(),
      sha256: draft.sha256.trim(),
      sizeBytes: Number(draft.sizeBytes),
      binPath: draft.binPath.trim(),
    };
    if (version) update.mutate({ versionId: version.id, ...artifact });
    else
      add.mutate({
        runtimeId: runtime.id,
        version: draft.version.trim(),
        makeDefault,
        ...artifact,
      });
  }

  const size = Number(draft.sizeBytes);
  const field = (key: FieldName) => ({
    id: FIELD_IDS[key],
    value: draft[key],
    onChange: (e: { target: { value: string } }) => set(key)(e.target.value),
    disabled: busy,
    autoComplete: "off",
    "data-testid": FIELD_IDS[key],
    ...errorProps(FIELD_IDS[key], errors[key]),
  });

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!busy}
      size="lg"
      testId="version-dialog"
      title={
        version
          ? `Edit ${runtime.displayName} ${version.version}`
          : `Add a ${runtime.displayName} version`
      }
      description="Nodes download the .tar.gz from the URL and install it only when its sha256 matches."
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            form="version-form"
            loading={busy}
            disabled={uploading}
            data-testid="version-submit"
          >
            {version ? "Save" : "Add version"}
          </Button>
        </>
      }
    >
      <form id="version-form" onSubmit={onSubmit} noValidate className="space-y-4">
        {formError ? <FormError testId="version-form-error">{formError}</FormError> : null}
        <Field
          label="Version"
          htmlFor={FIELD_IDS.version}
          error={errors.version}
          hint={version ? "Fixed once created." : "For example 22.11.0."}
        >
          <Input {...field("version")} disabled={busy || Boolean(version)} maxLength={64} />
        </Field>
        <ArtifactUploadField
          disabled={busy}
          onBusyChange={setUploading}
          onUploaded={(uploaded) => {
            setDraft((d) => ({
              ...d,
              artifactUrl: uploaded.url,
              sha256: uploaded.sha256,
              sizeBytes: String(uploaded.sizeBytes),
            }));
            setErrors((e) => ({
              ...e,
              artifactUrl: undefined,
              sha256: undefined,
              sizeBytes: undefined,
            }));
            setFormError(null);
          }}
        />
        <Field
          label="Artifact URL"
          htmlFor={FIELD_IDS.artifactUrl}
          error={errors.artifactUrl}
          hint="An http(s) URL of a .tar.gz, or upload one above."
        >
          <Input {...field("artifactUrl")} type="url" placeholder="https://…" />
        </Field>
        <Field
          label="sha256"
          htmlFor={FIELD_IDS.sha256}
          error={errors.sha256}
          hint="64 hex characters, of the file at the URL."
        >
          <Input {...field("sha256")} className="font-mono text-xs" maxLength={64} />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Size (bytes)"
            htmlFor={FIELD_IDS.sizeBytes}
            error={errors.sizeBytes}
            hint={Number.isInteger(size) && size > 0 ? formatBytes(size) : "The file's size."}
          >
            <Input {...field("sizeBytes")} type="number" inputMode="numeric" min={1} step={1} />
          </Field>
          <Field
            label="Folder on PATH"
            htmlFor={FIELD_IDS.binPath}
            error={errors.binPath}
            hint="Relative to the archive's root, e.g. node-v22.11.0-linux-x64/bin."
          >
            <Input {...field("binPath")} className="font-mono text-xs" />
          </Field>
        </div>
        {version ? null : (
          <label className="flex items-center gap-2 text-sm text-zinc-300">
            <input
              type="checkbox"
              checked={makeDefault}
              onChange={(e) => setMakeDefault(e.target.checked)}
              disabled={busy}
              data-testid="version-make-default"
              className="accent-sky-500"
            />
            Make it the default (the first version always is)
          </label>
        )}
      </form>
    </Dialog>
  );
}
