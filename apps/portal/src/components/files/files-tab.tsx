"use client";

import type { FileEntry } from "@berth/protocol";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useRef, useState, type ChangeEvent } from "react";
import { toast } from "sonner";
import { FolderIcon, PlusIcon, RefreshIcon, UploadIcon } from "@/components/icons";
import { useSearchState } from "@/components/servers/use-search-state";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/cn";
import type { DroppedFile } from "@/lib/files/dropped-files";
import { openActionOf } from "@/lib/files/file-kind";
import { joinPath, moveTarget } from "@/lib/files/file-path";
import { downloadUrl } from "@/lib/files/file-urls";
import { DEFAULT_SORT, nextSort, sortEntries, type FileSort } from "@/lib/files/sort-entries";
import { errorMessage, toastError } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import { FileBreadcrumbs } from "./file-breadcrumbs";
import { DeleteDialog, ImagePreviewDialog, MoveDialog, NameDialog } from "./file-dialogs";
import { FileTable } from "./file-table";
import { TextEditor } from "./text-editor";
import { UploadPanel } from "./upload-panel";
import { useDropZone } from "./use-drop-zone";
import { useServerUploads } from "./uploads-context";

type DialogState =
  | { kind: "mkdir" }
  | { kind: "newfile" }
  | { kind: "move"; names: string[] }
  | { kind: "delete"; names: string[] }
  | null;

/** Files picked with an <input type=file>; a folder picker sets `webkitRelativePath`. */
function pickedFiles(event: ChangeEvent<HTMLInputElement>): DroppedFile[] {
  const list = Array.from(event.target.files ?? []);
  event.target.value = "";
  return list.map((file) => ({ file, relativePath: file.webkitRelativePath || file.name }));
}

/**
 * The server's folder: breadcrumbs, a sortable list with bulk delete and move, rename in place,
 * the text editor, image preview, downloads, and uploads by drop or picker with progress.
 */
export function FilesTab({ serverId }: { serverId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const search = useSearchState();
  const path = joinPath(search.get("path") ?? "");
  const editing = search.get("file");

  const [sort, setSort] = useState<FileSort>(DEFAULT_SORT);
  const [selection, setSelection] = useState<{ path: string; names: Set<string> }>({
    path,
    names: new Set(),
  });
  const selected = selection.path === path ? selection.names : new Set<string>();
  const setSelected = (names: Set<string>) => setSelection({ path, names });
  const [renaming, setRenaming] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const listing = useQuery(
    trpc.files.list.queryOptions({ serverId, path }, { meta: { silentError: true } }),
  );
  const entries = useMemo(
    () => sortEntries(listing.data?.entries ?? [], sort),
    [listing.data, sort],
  );

  const refresh = useCallback(
    () => queryClient.invalidateQueries({ queryKey: trpc.files.list.pathKey() }),
    [queryClient, trpc],
  );

  const uploads = useServerUploads();
  const addUploads = (files: DroppedFile[]) => uploads.add(files, path);
  const drop = useDropZone(addUploads, !editing);

  const open = (next: string) => {
    setRenaming(null);
    search.set({ path: next || null, file: null });
  };

  const mkdir = useMutation(
    trpc.files.mkdir.mutationOptions({
      onSuccess: () => {
        setDialog(null);
        void refresh();
      },
    }),
  );
  const createFile = useMutation(
    trpc.files.write.mutationOptions({
      onSuccess: (_entry, input) => {
        setDialog(null);
        void refresh();
        search.set({ file: input.path });
      },
    }),
  );
  const rename = useMutation(
    trpc.files.rename.mutationOptions({
      onSuccess: () => {
        setRenaming(null);
        setSelected(new Set());
        void refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.files.delete.mutationOptions({
      onSuccess: (_data, input) => {
        setDialog(null);
        setSelected(new Set());
        toast.success(
          input.paths.length === 1
            ? `Deleted ${input.paths[0]}`
            : `Deleted ${input.paths.length} items`,
        );
        void refresh();
      },
      onError: () => setDialog(null),
    }),
  );
  const extract = useMutation(
    trpc.files.extract.mutationOptions({
      onSuccess: (_data, input) => {
        toast.success(`Extracted ${input.path}`);
        void refresh();
      },
    }),
  );
  const [moving, setMoving] = useState(false);

  const moveSelected = async (names: readonly string[], destFolder: string) => {
    setMoving(true);
    let moved = 0;
    try {
      for (const name of names) {
        const from = joinPath(path, name);
        const to = moveTarget(from, destFolder);
        if (to === null) {
          toast.error(`Cannot move ${name} into itself.`);
          continue;
        }
        if (to === from) continue;
        await rename.mutateAsync({ serverId, from, to });
        moved++;
      }
      setDialog(null);
      if (moved > 0)
        toast.success(
          `Moved ${moved === 1 ? names[0] : `${moved} items`} to ${joinPath(destFolder) || "the server folder"}`,
        );
    } catch {
      // The mutation's own error toast said why; what moved stays moved.
    } finally {
      setMoving(false);
      void refresh();
    }
  };

  const openEntry = (entry: FileEntry) => {
    const full = joinPath(path, entry.name);
    if (entry.type === "dir") return open(full);
    const action = openActionOf(entry.name, entry.size);
    if (action === "edit") search.set({ file: full });
    else if (action === "preview") setPreview(full);
    else window.location.assign(downloadUrl(serverId, full));
  };

  if (editing) {
    return (
      <Card data-testid="files-tab">
        <div className="border-b border-line px-5 py-3">
          <FileBreadcrumbs path={path} onOpen={open} />
        </div>
        <TextEditor
          key={editing}
          serverId={serverId}
          path={editing}
          onClose={() => search.set({ file: null })}
        />
      </Card>
    );
  }

  const selectedNames = entries.filter((e) => selected.has(e.name)).map((e) => e.name);
  const single = selectedNames.length === 1 ? joinPath(path, selectedNames[0]!) : null;

  return (
    <Card
      data-testid="files-tab"
      data-path={path}
      className={cn("relative", drop.dragging && "ring-2 ring-sky-400/70")}
      {...drop.props}
    >
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-line px-5 py-3">
        <FileBreadcrumbs path={path} onOpen={open} />
        <div className="flex flex-wrap items-center gap-2">
          <Button
            variant="ghost"
            size="sm"
            onClick={() => void listing.refetch()}
            aria-label="Refresh"
            title="Refresh"
            data-testid="files-refresh"
          >
            <RefreshIcon className={cn("size-3.5", listing.isFetching && "animate-spin")} />
          </Button>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => setDialog({ kind: "newfile" })}
            data-testid="files-new-file"
          >
            <PlusIcon className="size-3.5" /> File
          </Button>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => setDialog({ kind: "mkdir" })}
            data-testid="files-new-folder"
          >
            <FolderIcon className="size-3.5" /> Folder
          </Button>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => folderInput.current?.click()}
            data-testid="files-upload-folder"
          >
            <UploadIcon className="size-3.5" /> Upload folder
          </Button>
          <Button size="sm" onClick={() => fileInput.current?.click()} data-testid="files-upload">
            <UploadIcon className="size-3.5" /> Upload
          </Button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            onChange={(e) => addUploads(pickedFiles(e))}
            data-testid="files-upload-input"
          />
          <input
            ref={(el) => {
              folderInput.current = el;
              // React does not know these attributes; set them on the element itself.
              el?.setAttribute("webkitdirectory", "");
              el?.setAttribute("directory", "");
            }}
            type="file"
            hidden
            onChange={(e) => addUploads(pickedFiles(e))}
            data-testid="files-upload-folder-input"
          />
        </div>
      </div>

      {selectedNames.length > 0 ? (
        <div
          className="flex flex-wrap items-center gap-2 border-b border-line bg-sky-500/[0.06] px-5 py-2 text-sm"
          data-testid="files-selection-bar"
        >
          <span className="text-zinc-200">{selectedNames.length} selected</span>
          <Button
            variant="ghost"
            size="sm"
            onClick={() => setDialog({ kind: "move", names: selectedNames })}
            data-testid="files-move"
          >
            Move…
          </Button>
          {single ? (
            <a
              href={downloadUrl(serverId, single)}
              download
              className="inline-flex h-8 items-center rounded-md px-3 text-xs font-medium text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100"
            >
              Download
            </a>
          ) : null}
          <Button
            variant="danger-ghost"
            size="sm"
            onClick={() => setDialog({ kind: "delete", names: selectedNames })}
            data-testid="files-delete-selected"
          >
            Delete…
          </Button>
          <Button
            variant="ghost"
            size="sm"
            className="ml-auto"
            onClick={() => setSelected(new Set())}
          >
            Clear selection
          </Button>
        </div>
      ) : null}

      {listing.isError ? (
        <div className="px-5 py-4">
          <FormError testId="files-error">{errorMessage(listing.error)}</FormError>
        </div>
      ) : listing.isPending ? (
        <div className="flex items-center gap-2 px-5 py-6 text-sm text-zinc-400">
          <Spinner /> Loading files…
        </div>
      ) : entries.length === 0 ? (
        <div className="px-5 py-12 text-center" data-testid="files-empty">
          <p className="text-sm text-zinc-300">This folder is empty.</p>
          <p className="mt-1 text-sm text-zinc-500">Drop files or folders here to upload them.</p>
        </div>
      ) : (
        <FileTable
          entries={entries}
          sort={sort}
          onSort={(key) => setSort((s) => nextSort(s, key))}
          selected={selected}
          onSelect={setSelected}
          renaming={renaming}
          onRenameStart={setRenaming}
          onRename={(from, to) =>
            rename.mutate({ serverId, from: joinPath(path, from), to: joinPath(path, to) })
          }
          onRenameCancel={() => setRenaming(null)}
          onOpen={openEntry}
          onDelete={(entry) => setDialog({ kind: "delete", names: [entry.name] })}
          onExtract={(entry) =>
            extract.mutate({ serverId, path: joinPath(path, entry.name), to: path })
          }
          downloadHref={(entry) => downloadUrl(serverId, joinPath(path, entry.name))}
        />
      )}

      <UploadPanel
        items={uploads.items}
        interrupted={uploads.interrupted}
        onPause={uploads.pause}
        onResume={uploads.resume}
        onDismiss={uploads.dismiss}
        onClearFinished={uploads.clearFinished}
        onForget={(u) => void uploads.forget(u).catch(toastError)}
      />

      {drop.dragging ? (
        <div
          className="pointer-events-none absolute inset-0 z-10 flex items-center justify-center rounded-xl bg-canvas/80 backdrop-blur-[1px]"
          data-testid="files-drop-overlay"
        >
          <div className="flex flex-col items-center gap-2 rounded-lg border-2 border-dashed border-sky-400/70 px-10 py-8 text-center">
            <UploadIcon className="size-6 text-sky-300" />
            <p className="text-sm font-medium text-zinc-100">Drop to upload</p>
            <p className="font-mono text-xs text-zinc-400">to /{path}</p>
          </div>
        </div>
      ) : null}

      <NameDialog
        open={dialog?.kind === "mkdir"}
        title="New folder"
        label="Folder name"
        confirm="Create folder"
        busy={mkdir.isPending}
        onClose={() => setDialog(null)}
        onSubmit={(name) => mkdir.mutate({ serverId, path: joinPath(path, name) })}
      />
      <NameDialog
        open={dialog?.kind === "newfile"}
        title="New file"
        label="File name"
        confirm="Create and edit"
        busy={createFile.isPending}
        onClose={() => setDialog(null)}
        onSubmit={(name) => {
          // A write replaces what is there: never let "new file" overwrite one.
          if (entries.some((e) => e.name === name)) {
            toast.error(`${name} already exists here.`);
            return;
          }
          createFile.mutate({ serverId, path: joinPath(path, name), content: "" });
        }}
      />
      <MoveDialog
        open={dialog?.kind === "move"}
        names={dialog?.kind === "move" ? dialog.names : []}
        from={path}
        busy={moving}
        onClose={() => setDialog(null)}
        onSubmit={(dest) => void moveSelected(dialog?.kind === "move" ? dialog.names : [], dest)}
      />
      <DeleteDialog
        open={dialog?.kind === "delete"}
        names={dialog?.kind === "delete" ? dialog.names : []}
        busy={remove.isPending}
        onClose={() => setDialog(null)}
        onConfirm={() =>
          dialog?.kind === "delete" &&
          remove.mutate({ serverId, paths: dialog.names.map((n) => joinPath(path, n)) })
        }
      />
      <ImagePreviewDialog serverId={serverId} path={preview} onClose={() => setPreview(null)} />
    </Card>
  );
}
