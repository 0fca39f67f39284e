"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { errorProps, Field, Input } from "@/components/ui/input";
import { joinPath, nameProblem } from "@/lib/files/file-path";
import { downloadUrl } from "@/lib/files/file-urls";

/** Asks for one name: a new folder or a new, empty file. */
export function NameDialog({
  open,
  title,
  label,
  confirm,
  busy,
  onClose,
  onSubmit,
}: {
  open: boolean;
  title: string;
  label: string;
  confirm: string;
  busy: boolean;
  onClose: () => void;
  onSubmit: (name: string) => void;
}) {
  const [name, setName] = useState("");
  const [touched, setTouched] = useState(false);
  const problem = nameProblem(name);
  const error = touched ? (problem ?? undefined) : undefined;
  const close = () => {
    setName("");
    setTouched(false);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!busy}
      title={title}
      testId="file-name-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" form="file-name-form" loading={busy} data-testid="file-name-submit">
            {confirm}
          </Button>
        </>
      }
    >
      <form
        id="file-name-form"
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!problem) {
            onSubmit(name);
            setName("");
            setTouched(false);
          }
        }}
      >
        <Field label={label} htmlFor="file-name" error={error}>
          <Input
            id="file-name"
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            className="font-mono"
            data-testid="file-name-input"
            {...errorProps("file-name", error)}
          />
        </Field>
      </form>
    </Dialog>
  );
}

/** Moves the selected entries into another folder (typed relative to the server's folder). */
export function MoveDialog({
  open,
  names,
  from,
  busy,
  onClose,
  onSubmit,
}: {
  open: boolean;
  names: readonly string[];
  from: string;
  busy: boolean;
  onClose: () => void;
  onSubmit: (destFolder: string) => void;
}) {
  const [dest, setDest] = useState<string | null>(null);
  const value = dest ?? from;
  const same = joinPath(value) === joinPath(from);
  const close = () => {
    setDest(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!busy}
      title={`Move ${names.length === 1 ? `“${names[0]}”` : `${names.length} items`}`}
      description="Into a folder of this server; missing folders are not created."
      testId="file-move-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            form="file-move-form"
            loading={busy}
            disabled={same}
            data-testid="file-move-submit"
          >
            Move
          </Button>
        </>
      }
    >
      <form
        id="file-move-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!same) onSubmit(value);
        }}
      >
        <Field
          label="Destination folder"
          htmlFor="file-move-dest"
          hint="Relative to the server's folder, e.g. plugins/old. Empty is the top folder."
        >
          <Input
            id="file-move-dest"
            autoFocus
            value={value}
            onChange={(e) => setDest(e.target.value)}
            placeholder="(server folder)"
            className="font-mono"
            data-testid="file-move-input"
          />
        </Field>
      </form>
    </Dialog>
  );
}

export function DeleteDialog({
  open,
  names,
  busy,
  onClose,
  onConfirm,
}: {
  open: boolean;
  names: readonly string[];
  busy: boolean;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const shown = names.slice(0, 8);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!busy}
      title={names.length === 1 ? `Delete “${names[0]}”?` : `Delete ${names.length} items?`}
      description="Folders are deleted with everything in them. This can't be undone."
      testId="file-delete-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={busy}
            onClick={onConfirm}
            data-testid="file-delete-confirm"
          >
            Delete
          </Button>
        </>
      }
    >
      {names.length > 1 ? (
        <ul className="space-y-0.5 font-mono text-xs text-zinc-300">
          {shown.map((n) => (
            <li key={n} className="truncate">
              {n}
            </li>
          ))}
          {names.length > shown.length ? (
            <li className="text-zinc-500">and {names.length - shown.length} more</li>
          ) : null}
        </ul>
      ) : null}
    </Dialog>
  );
}

/** An image from the server, shown through the download route. */
export function ImagePreviewDialog({
  serverId,
  path,
  onClose,
}: {
  serverId: string;
  path: string | null;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={path !== null}
      onClose={onClose}
      title={path ?? ""}
      size="lg"
      testId="image-preview"
      footer={
        path ? (
          <>
            <a
              href={downloadUrl(serverId, path)}
              download
              className="inline-flex h-9 items-center rounded-md px-4 text-sm font-medium text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100"
            >
              Download
            </a>
            <Button variant="secondary" onClick={onClose}>
              Close
            </Button>
          </>
        ) : null
      }
    >
      {path ? (
        <div className="flex max-h-[65vh] items-center justify-center overflow-auto rounded-md border border-line bg-[repeating-conic-gradient(#18181b_0%_25%,#27272a_0%_50%)] bg-[length:16px_16px] p-2">
          {/* A plain <img>: the bytes come from the server's folder, not from Next's optimizer. */}
          <img
            src={downloadUrl(serverId, path)}
            alt={path}
            className="max-h-[60vh] max-w-full object-contain"
            data-testid="image-preview-img"
          />
        </div>
      ) : null}
    </Dialog>
  );
}
