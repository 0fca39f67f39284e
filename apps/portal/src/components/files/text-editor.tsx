"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { CloseIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { languageOf } from "@/lib/files/file-kind";
import { baseName } from "@/lib/files/file-path";
import { formatBytes } from "@/lib/stats/units";
import { errorCode, errorMessage, toastError } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";

const CodeEditor = dynamic(() => import("./code-editor"), {
  ssr: false,
  loading: () => (
    <div className="flex h-full items-center gap-2 px-5 py-4 text-sm text-zinc-400">
      <Spinner /> Loading editor…
    </div>
  ),
});

const LANGUAGE_LABEL: Record<string, string> = {
  json: "JSON",
  yaml: "YAML",
  javascript: "JavaScript",
  typescript: "TypeScript",
  python: "Python",
  properties: "Properties",
  toml: "TOML",
  shell: "Shell",
  plain: "Plain text",
};

export const CONFLICT_MESSAGE =
  "This file changed since you opened it. Reload it to see the new version; your edits stay here until you do.";

/**
 * A text file in CodeMirror: read once, saved with the modification time it was read at, so a
 * change made meanwhile (by the server or another tab) is refused instead of overwritten.
 */
export function TextEditor({
  serverId,
  path,
  onClose,
}: {
  serverId: string;
  path: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const readOptions = trpc.files.read.queryOptions(
    { serverId, path },
    { staleTime: Infinity, gcTime: 0, refetchOnWindowFocus: false, meta: { silentError: true } },
  );
  const file = useQuery(readOptions);
  const [content, setContent] = useState<string | null>(null);
  /** The content as last read or saved. */
  const [saved, setSaved] = useState<string | null>(null);
  const [mtimeMs, setMtimeMs] = useState<number | null>(null);
  const [loadCount, setLoadCount] = useState(0);
  const contentRef = useRef<string | null>(null);

  // Every read (the first, or "Reload" after a conflict) starts the editor over from the file.
  const loaded = file.data;
  const loadedAt = file.dataUpdatedAt;
  useEffect(() => {
    if (!loaded) return;
    setContent(loaded.content);
    setSaved(loaded.content);
    contentRef.current = loaded.content;
    setMtimeMs(loaded.mtimeMs);
    setLoadCount((n) => n + 1);
  }, [loaded, loadedAt]);

  const dirty = content !== null && saved !== null && content !== saved;

  const write = useMutation(
    trpc.files.write.mutationOptions({
      meta: { silentError: true },
      onSuccess: (entry, variables) => {
        setMtimeMs(entry.mtimeMs);
        setSaved(variables.content);
        void queryClient.invalidateQueries({ queryKey: trpc.files.list.pathKey() });
        toast.success(`Saved ${baseName(path)}`, { id: `saved:${path}` });
      },
      onError: (error) => {
        if (errorCode(error) === "CONFLICT") {
          toast.error(CONFLICT_MESSAGE, {
            id: `conflict:${path}`,
            duration: 10_000,
            action: { label: "Reload", onClick: () => void file.refetch() },
          });
        } else {
          toastError(error);
        }
      },
    }),
  );

  const save = useCallback(() => {
    const current = contentRef.current;
    if (current === null || write.isPending) return;
    write.mutate({ serverId, path, content: current, expectedMtimeMs: mtimeMs ?? undefined });
  }, [write, serverId, path, mtimeMs]);

  // Unsaved edits ask before the page goes.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const close = () => {
    if (dirty && !window.confirm("Close without saving your changes?")) return;
    onClose();
  };

  const language = languageOf(path);
  return (
    <div className="flex flex-col" data-testid="text-editor" data-path={path} data-dirty={dirty}>
      <div className="flex flex-wrap items-center gap-3 border-b border-line px-5 py-2.5">
        <span className="truncate font-mono text-sm text-zinc-100" data-testid="text-editor-path">
          {path}
        </span>
        <Badge tone="grey">{LANGUAGE_LABEL[language]}</Badge>
        {loaded ? (
          <span className="text-xs text-zinc-500 tabular-nums">{formatBytes(loaded.size)}</span>
        ) : null}
        {dirty ? (
          <Badge tone="amber" data-testid="text-editor-unsaved">
            unsaved
          </Badge>
        ) : null}
        <div className="ml-auto flex items-center gap-2">
          <span className="hidden text-xs text-zinc-500 sm:inline">Ctrl+S saves</span>
          <Button
            size="sm"
            onClick={save}
            loading={write.isPending}
            disabled={!loaded || !dirty}
            data-testid="text-editor-save"
          >
            Save
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={close}
            aria-label="Close editor"
            data-testid="text-editor-close"
          >
            <CloseIcon className="size-4" />
          </Button>
        </div>
      </div>
      <div className="h-[60vh] min-h-80">
        {file.isError ? (
          <div className="p-5">
            <FormError>{errorMessage(file.error)}</FormError>
          </div>
        ) : loaded && content !== null ? (
          <CodeEditor
            key={`${path}:${loadCount}`}
            initial={content}
            language={language}
            onChange={(next) => {
              contentRef.current = next;
              setContent(next);
            }}
            onSave={save}
          />
        ) : (
          <div className="flex items-center gap-2 px-5 py-4 text-sm text-zinc-400">
            <Spinner /> Opening {baseName(path)}…
          </div>
        )}
      </div>
    </div>
  );
}
