"use client";

import type { ModAction, ModFolder, ModInfo, ModListing } from "@berth/protocol";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState, type ChangeEvent } from "react";
import { toast } from "sonner";
import { PuzzleIcon, RefreshIcon, TrashIcon, UploadIcon, WarningIcon } from "@/components/icons";
import { UploadPanel } from "@/components/files/upload-panel";
import { useDropZone } from "@/components/files/use-drop-zone";
import { useServerUploads } from "@/components/files/uploads-context";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { cn } from "@/lib/cn";
import type { DroppedFile } from "@/lib/files/dropped-files";
import type { CrashView } from "@/lib/crashes/crash-record";
import { highlightedMod, installPath, missingByFile, modTitle } from "@/lib/mods/mod-match";
import { formatBytes } from "@/lib/stats/units";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";

const LOADER_TONE: Record<ModInfo["loader"], BadgeTone> = {
  fabric: "amber",
  forge: "orange",
  neoforge: "orange",
  bukkit: "sky",
  paper: "sky",
  unknown: "grey",
};

function ModRow({
  mod,
  missing,
  highlighted,
  busy,
  onToggle,
  onRemove,
}: {
  mod: ModInfo;
  missing: readonly string[];
  highlighted: boolean;
  busy: boolean;
  onToggle: (enabled: boolean) => void;
  onRemove: () => void;
}) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: "center", behavior: "smooth" });
  }, [highlighted]);
  const required = mod.dependencies.filter((d) => d.required);
  const title = modTitle(mod);
  const switchId = `mod-${mod.file}`;
  return (
    <li
      ref={ref}
      className={cn(
        "flex flex-wrap items-start gap-x-4 gap-y-2 px-5 py-3.5 transition-colors",
        highlighted && "bg-amber-500/[0.08] ring-1 ring-amber-400/60 ring-inset",
      )}
      data-testid="mod-row"
      data-file={mod.file}
      data-mod-id={mod.id ?? ""}
      data-enabled={mod.enabled}
      data-highlighted={highlighted || undefined}
    >
      <div className={cn("min-w-0 flex-1 space-y-1.5", !mod.enabled && "opacity-60")}>
        <div className="flex flex-wrap items-center gap-2">
          <span
            id={`${switchId}-label`}
            className="font-medium text-zinc-100"
            data-testid="mod-name"
          >
            {title}
          </span>
          {mod.version ? (
            <span className="font-mono text-xs text-zinc-400" data-testid="mod-version">
              {mod.version}
            </span>
          ) : null}
          <Badge tone={LOADER_TONE[mod.loader]}>{mod.loader}</Badge>
          {!mod.enabled ? (
            <Badge tone="grey" data-testid="mod-disabled-badge">
              disabled
            </Badge>
          ) : null}
          {highlighted ? (
            <Badge tone="amber" data-testid="mod-crash-marker">
              named in a crash
            </Badge>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-500">
          {mod.id ? (
            <span>
              id <span className="font-mono text-zinc-300">{mod.id}</span>
            </span>
          ) : null}
          <span className="font-mono" title={mod.file}>
            {mod.file}
          </span>
          <span className="tabular-nums">{formatBytes(mod.sizeBytes)}</span>
        </div>
        {required.length > 0 ? (
          <div
            className="flex flex-wrap items-center gap-1.5 text-xs"
            data-testid="mod-dependencies"
          >
            <span className="text-zinc-500">Needs</span>
            {required.map((d) => {
              const absent = missing.includes(d.id);
              return (
                <span
                  key={d.id}
                  className={cn(
                    "rounded border px-1.5 py-0.5 font-mono",
                    absent
                      ? "border-red-500/40 bg-red-500/10 text-red-200"
                      : "border-line bg-canvas text-zinc-300",
                  )}
                  title={absent ? "Not installed" : (d.versionRange ?? undefined)}
                  data-testid={absent ? "mod-dependency-missing" : "mod-dependency"}
                >
                  {d.id}
                  {d.versionRange && d.versionRange !== "*" ? (
                    <span className="text-zinc-500"> {d.versionRange}</span>
                  ) : null}
                </span>
              );
            })}
          </div>
        ) : null}
        {missing.length > 0 ? (
          <p
            className="flex items-center gap-1.5 text-xs text-red-300"
            data-testid="mod-missing-warning"
          >
            <WarningIcon className="size-3.5" /> Missing {missing.join(", ")}: the server may not
            start with this mod enabled.
          </p>
        ) : null}
        {mod.error ? (
          <p className="text-xs text-amber-300" data-testid="mod-metadata-error">
            {mod.error}
          </p>
        ) : null}
      </div>
      <div className="flex items-center gap-3">
        {busy ? <Spinner className="size-3.5 text-zinc-400" /> : null}
        <Switch
          checked={mod.enabled}
          onCheckedChange={onToggle}
          disabled={busy}
          aria-labelledby={`${switchId}-label`}
          testId="mod-toggle"
        />
        <Button
          variant="danger-ghost"
          size="sm"
          onClick={onRemove}
          disabled={busy}
          aria-label={`Remove ${title}`}
          data-testid="mod-remove"
        >
          <TrashIcon className="size-3.5" />
        </Button>
      </div>
    </li>
  );
}

/** Which folder new jars go to: the one that already has jars (plugins on Paper), else mods. */
function defaultFolder(listing: ModListing | undefined): ModFolder {
  const mods = listing?.mods ?? [];
  const plugins = mods.filter((m) => m.folder === "plugins").length;
  return plugins > mods.length - plugins ? "plugins" : "mods";
}

/**
 * The jars in mods/ and plugins/ with their metadata: enable/disable, remove, install by upload,
 * warnings for missing dependencies, and the mod a crash named highlighted.
 */
export function ModsTab({
  serverId,
  crash,
  highlight,
}: {
  serverId: string;
  /** The crash that linked here (`?crash=<id>`), when the history has it. */
  crash: CrashView | null;
  /** A mod named in the link (`?mod=<id or name>`). */
  highlight: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listOptions = trpc.mods.list.queryOptions({ serverId }, { meta: { silentError: true } });
  const listing = useQuery(listOptions);
  const [folderChoice, setFolderChoice] = useState<ModFolder | null>(null);
  const folder = folderChoice ?? defaultFolder(listing.data);
  const [removing, setRemoving] = useState<ModInfo | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const uploads = useServerUploads();

  const install = (files: DroppedFile[]) => {
    const jars = files.filter((f) => /\.jar$/i.test(f.file.name));
    if (jars.length < files.length) toast.error("Only .jar files can be installed here.");
    if (jars.length === 0) return;
    uploads.add(
      jars.map((f) => ({ file: f.file, relativePath: installPath(f.file.name, folder) })),
      "",
    );
  };
  const drop = useDropZone(install);

  const action = useMutation(
    trpc.mods.action.mutationOptions({
      onMutate: (input) => setPending(input.file),
      onSuccess: (next, input) => {
        queryClient.setQueryData(listOptions.queryKey, next);
        if (input.action === "remove") setRemoving(null);
      },
      onSettled: () => setPending(null),
    }),
  );
  const run = (mod: ModInfo, what: ModAction) =>
    action.mutate({ serverId, file: mod.file, action: what });

  const data = listing.data;
  const missing = useMemo(() => missingByFile(data?.missing ?? []), [data]);
  const highlighted = useMemo(
    () => (data ? highlightedMod(crash, highlight, data.mods) : null),
    [crash, highlight, data],
  );
  const named = crash?.subject ?? highlight;
  const sorted = useMemo(
    () =>
      [...(data?.mods ?? [])].sort(
        (a, b) =>
          a.folder.localeCompare(b.folder) ||
          modTitle(a).localeCompare(modTitle(b), "en", { sensitivity: "base" }),
      ),
    [data],
  );

  return (
    <Card
      data-testid="mods-tab"
      className={cn("relative", drop.dragging && "ring-2 ring-sky-400/70")}
      {...drop.props}
    >
      <CardHeader
        title="Mods and plugins"
        description="The jars in mods/ and plugins/. Changes take effect at the next start."
        actions={
          <div className="flex items-center gap-2">
            <Button
              variant="ghost"
              size="sm"
              onClick={() => void listing.refetch()}
              aria-label="Refresh"
              title="Refresh"
            >
              <RefreshIcon className={cn("size-3.5", listing.isFetching && "animate-spin")} />
            </Button>
            <label className="flex items-center gap-1.5 text-xs text-zinc-400">
              into
              <select
                value={folder}
                onChange={(e) => setFolderChoice(e.target.value as ModFolder)}
                className="h-8 rounded-md border border-line bg-canvas px-2 font-mono text-xs text-zinc-200"
                data-testid="mods-folder"
              >
                <option value="mods">mods/</option>
                <option value="plugins">plugins/</option>
              </select>
            </label>
            <Button size="sm" onClick={() => input.current?.click()} data-testid="mods-install">
              <UploadIcon className="size-3.5" /> Install jar
            </Button>
            <input
              ref={input}
              type="file"
              accept=".jar"
              multiple
              hidden
              onChange={(e: ChangeEvent<HTMLInputElement>) => {
                const list = Array.from(e.target.files ?? []);
                e.target.value = "";
                install(list.map((file) => ({ file, relativePath: file.name })));
              }}
              data-testid="mods-install-input"
            />
          </div>
        }
      />

      {(crash || highlight) && data && !highlighted ? (
        <div
          className="border-b border-line bg-amber-500/[0.06] px-5 py-2.5 text-sm text-amber-100"
          data-testid="mods-highlight-missing"
        >
          {named ? (
            <>
              A crash named <span className="font-mono">{named}</span>, but no jar here matches it.
            </>
          ) : (
            "No jar here matches the crash."
          )}
        </div>
      ) : null}

      {data && data.missing.length > 0 ? (
        <div
          role="status"
          className="flex items-start gap-2.5 border-b border-line bg-red-500/[0.07] px-5 py-3 text-sm text-red-100"
          data-testid="mods-missing-banner"
        >
          <WarningIcon className="mt-0.5 size-4 shrink-0 text-red-400" />
          <p>
            {data.missing.length === 1
              ? "A required dependency is"
              : `${data.missing.length} required dependencies are`}{" "}
            missing:{" "}
            {data.missing.map((m, i) => (
              <span key={`${m.file}:${m.dependencyId}`}>
                {i > 0 ? "; " : ""}
                <span className="font-mono">{m.modId ?? m.file}</span> needs{" "}
                <span className="font-mono font-medium">{m.dependencyId}</span>
              </span>
            ))}
            .
          </p>
        </div>
      ) : null}

      {listing.isError ? (
        <div className="px-5 py-4">
          <FormError testId="mods-error">{errorMessage(listing.error)}</FormError>
        </div>
      ) : !data ? (
        <div className="flex items-center gap-2 px-5 py-6 text-sm text-zinc-400">
          <Spinner /> Reading jars…
        </div>
      ) : sorted.length === 0 ? (
        <div className="flex flex-col items-center px-5 py-12 text-center" data-testid="mods-empty">
          <PuzzleIcon className="size-6 text-zinc-500" />
          <p className="mt-3 text-sm text-zinc-300">No mods or plugins yet.</p>
          <p className="mt-1 text-sm text-zinc-500">Drop .jar files here or use Install jar.</p>
        </div>
      ) : (
        <ul className="divide-y divide-line/70" data-testid="mods-list">
          {sorted.map((mod) => (
            <ModRow
              key={mod.file}
              mod={mod}
              missing={missing.get(mod.file) ?? []}
              highlighted={highlighted?.file === mod.file}
              busy={pending === mod.file}
              onToggle={(enabled) => run(mod, enabled ? "enable" : "disable")}
              onRemove={() => setRemoving(mod)}
            />
          ))}
        </ul>
      )}

      <UploadPanel
        items={uploads.items}
        interrupted={uploads.interrupted}
        onPause={uploads.pause}
        onResume={uploads.resume}
        onDismiss={uploads.dismiss}
        onClearFinished={uploads.clearFinished}
        onForget={(u) => void uploads.forget(u)}
      />

      {drop.dragging ? (
        <div className="pointer-events-none absolute inset-0 z-10 flex items-center justify-center rounded-xl bg-canvas/80">
          <div className="flex flex-col items-center gap-2 rounded-lg border-2 border-dashed border-sky-400/70 px-10 py-8">
            <UploadIcon className="size-6 text-sky-300" />
            <p className="text-sm font-medium text-zinc-100">Drop jars to install into {folder}/</p>
          </div>
        </div>
      ) : null}

      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        dismissible={!action.isPending}
        title={removing ? `Remove ${modTitle(removing)}?` : ""}
        description={removing ? `${removing.file} is deleted from the server's folder.` : undefined}
        testId="mod-remove-dialog"
        footer={
          <>
            <Button variant="ghost" onClick={() => setRemoving(null)} disabled={action.isPending}>
              Cancel
            </Button>
            <Button
              variant="danger"
              loading={action.isPending}
              onClick={() => removing && run(removing, "remove")}
              data-testid="mod-remove-confirm"
            >
              Remove
            </Button>
          </>
        }
      />
    </Card>
  );
}
