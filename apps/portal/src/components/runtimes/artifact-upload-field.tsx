"use client";

import { useEffect, useRef, useState } from "react";
import { formatBytes } from "@/lib/runtimes/field-errors";
import {
  uploadArtifact,
  type ArtifactUpload,
  type UploadedArtifact,
} from "@/lib/runtimes/upload-artifact";

type State =
  | { kind: "idle" }
  | { kind: "uploading"; name: string; fraction: number }
  | { kind: "done"; name: string; sizeBytes: number }
  | { kind: "failed"; message: string };

/**
 * Uploads a .tar.gz to the portal, which stores it under its sha256, and hands the answer (URL,
 * sha256, size) to the form. A progress bar follows the upload; closing the dialog cancels it.
 */
export function ArtifactUploadField({
  disabled,
  onUploaded,
  onBusyChange,
}: {
  disabled: boolean;
  onUploaded: (artifact: UploadedArtifact) => void;
  onBusyChange: (busy: boolean) => void;
}) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const current = useRef<ArtifactUpload | null>(null);
  useEffect(() => () => current.current?.abort(), []);

  function start(file: File) {
    current.current?.abort();
    setState({ kind: "uploading", name: file.name, fraction: 0 });
    onBusyChange(true);
    const upload = uploadArtifact(file, (fraction) =>
      setState({ kind: "uploading", name: file.name, fraction }),
    );
    current.current = upload;
    upload.done
      .then((artifact) => {
        if (current.current !== upload) return;
        setState({ kind: "done", name: file.name, sizeBytes: artifact.sizeBytes });
        onUploaded(artifact);
      })
      .catch((err: unknown) => {
        if (current.current !== upload) return;
        setState({ kind: "failed", message: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => {
        if (current.current === upload) {
          current.current = null;
          onBusyChange(false);
        }
      });
  }

  const uploading = state.kind === "uploading";
  const percent = uploading ? Math.round(state.fraction * 100) : 0;
  return (
    <div className="space-y-2 rounded-md border border-dashed border-line px-3 py-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <label htmlFor="version-artifact-file" className="text-sm font-medium text-zinc-300">
          Upload artifact
          <span className="block text-xs font-normal text-zinc-500">
            Stored by the portal; fills in the URL, sha256 and size.
          </span>
        </label>
        <input
          id="version-artifact-file"
          type="file"
          accept=".tar.gz,.tgz,application/gzip"
          disabled={disabled || uploading}
          data-testid="version-artifact-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file) start(file);
          }}
          className="max-w-64 text-xs text-zinc-400 file:mr-2 file:h-8 file:cursor-pointer file:rounded-md file:border file:border-line file:bg-surface-raised file:px-3 file:text-xs file:font-medium file:text-zinc-100 hover:file:bg-zinc-700/60"
        />
      </div>
      {uploading ? (
        <div data-testid="version-upload-progress" aria-live="polite">
          <div
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-label={`Uploading ${state.name}`}
            className="h-1.5 overflow-hidden rounded-full bg-zinc-800"
          >
            <div
              className="h-full rounded-full bg-sky-500 transition-[width] duration-200"
              style={{ width: `${percent}%` }}
            />
          </div>
          <p className="mt-1 text-xs text-zinc-500">
            Uploading {state.name}… {percent} %
          </p>
        </div>
      ) : null}
      {state.kind === "done" ? (
        <p className="text-xs text-emerald-300" data-testid="version-upload-done">
          Uploaded {state.name} ({formatBytes(state.sizeBytes)}).
        </p>
      ) : null}
      {state.kind === "failed" ? (
        <p role="alert" className="text-xs text-red-300" data-testid="version-upload-error">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
