"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { PlusIcon, RuntimeIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { formatBytes } from "@/lib/runtimes/field-errors";
import { errorMessage, toastError } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import { RuntimeDialog } from "./runtime-dialog";
import type { RuntimeItem, RuntimeVersionItem } from "./types";
import { VersionDialog } from "./version-dialog";

type OpenDialog =
  | { kind: "runtime"; runtime?: RuntimeItem }
  | { kind: "version"; runtime: RuntimeItem; version?: RuntimeVersionItem };

/** Admins: the runtime catalog the create-server form offers, with every version. */
export function RuntimesView() {
  const trpc = useTRPC();
  const runtimes = useQuery(
    trpc.runtimes.list.queryOptions(undefined, { meta: { silentError: true } }),
  );
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const close = () => setDialog(null);
  /** Versions verified on this page, by id, with the artifact they were verified as. */
  const [verified, setVerified] = useState<ReadonlyMap<string, string>>(new Map());
  const markVerified = (version: RuntimeVersionItem) =>
    setVerified((v) => new Map(v).set(version.id, artifactKey(version)));

  return (
    <>
      <PageHeader
        title="Runtimes"
        description="Language runtimes and addons users can put in dev containers. Each version is pinned to an artifact and its sha256."
        actions={
          <Button onClick={() => setDialog({ kind: "runtime" })} data-testid="runtime-add">
            <PlusIcon className="size-4" />
            Add runtime
          </Button>
        }
      />
      {runtimes.isError ? (
        <FormError>{errorMessage(runtimes.error)}</FormError>
      ) : runtimes.isPending ? (
        <p className="text-sm text-zinc-500">Loading runtimes…</p>
      ) : runtimes.data.length === 0 ? (
        <EmptyState
          icon={<RuntimeIcon className="size-5" />}
          title="No runtimes yet"
          description="Add node, python, go or an addon like code-server, then its versions."
        />
      ) : (
        <div className="space-y-6">
          {runtimes.data.map((runtime) => (
            <RuntimeCard
              key={runtime.id}
              runtime={runtime}
              onEdit={() => setDialog({ kind: "runtime", runtime })}
              onAddVersion={() => setDialog({ kind: "version", runtime })}
              onEditVersion={(version) => setDialog({ kind: "version", runtime, version })}
              isVerified={(version) => verified.get(version.id) === artifactKey(version)}
              onVerified={markVerified}
            />
          ))}
        </div>
      )}
      {dialog?.kind === "runtime" ? (
        <RuntimeDialog open runtime={dialog.runtime} onClose={close} />
      ) : null}
      {dialog?.kind === "version" ? (
        <VersionDialog open runtime={dialog.runtime} version={dialog.version} onClose={close} />
      ) : null}
    </>
  );
}

/** A verification holds for the artifact it checked; editing the artifact clears the mark. */
const artifactKey = (v: RuntimeVersionItem) => `${v.artifactUrl} ${v.sha256} ${v.sizeBytes}`;

function RuntimeCard({
  runtime,
  onEdit,
  onAddVersion,
  onEditVersion,
  isVerified,
  onVerified,
}: {
  runtime: RuntimeItem;
  onEdit: () => void;
  onAddVersion: () => void;
  onEditVersion: (version: RuntimeVersionItem) => void;
  isVerified: (version: RuntimeVersionItem) => boolean;
  onVerified: (version: RuntimeVersionItem) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.runtimes.list.queryKey() });
  const update = useMutation(
    trpc.runtimes.update.mutationOptions({
      meta: { silentError: true },
      onSuccess: (saved) => {
        toast.success(`${saved.displayName} ${saved.enabled ? "enabled" : "disabled"}`);
        refresh();
      },
      onError: toastError,
    }),
  );

  return (
    <Card data-testid="runtime-card" data-runtime-name={runtime.name}>
      <CardHeader
        title={runtime.displayName}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs text-zinc-400">{runtime.name}</span>
            <Badge tone={runtime.kind === "addon" ? "violet" : "sky"}>{runtime.kind}</Badge>
            {runtime.enabled ? (
              <Badge tone="green" dot>
                enabled
              </Badge>
            ) : (
              <Badge tone="grey" dot data-testid="runtime-disabled">
                disabled
              </Badge>
            )}
          </span>
        }
        actions={
          <div className="flex items-center gap-1">
            <Button size="sm" variant="ghost" onClick={onEdit} data-testid="runtime-edit">
              Edit
            </Button>
            <Button
              size="sm"
              variant="ghost"
              loading={update.isPending}
              onClick={() => update.mutate({ runtimeId: runtime.id, enabled: !runtime.enabled })}
              data-testid="runtime-toggle"
            >
              {runtime.enabled ? "Disable" : "Enable"}
            </Button>
            <Button size="sm" variant="secondary" onClick={onAddVersion} data-testid="version-add">
              <PlusIcon className="size-3.5" />
              Add version
            </Button>
          </div>
        }
      />
      {runtime.versions.length === 0 ? (
        <p className="px-5 py-4 text-sm text-zinc-500">
          No versions yet: users cannot choose it until one is added.
        </p>
      ) : (
        <Table data-testid="versions-table">
          <thead>
            <tr>
              <Th>Version</Th>
              <Th>Artifact</Th>
              <Th>Size</Th>
              <Th>On PATH</Th>
              <Th className="w-80" />
            </tr>
          </thead>
          <tbody>
            {runtime.versions.map((version) => (
              <VersionRow
                key={version.id}
                runtime={runtime}
                version={version}
                onEdit={() => onEditVersion(version)}
                verified={isVerified(version)}
                onVerified={() => onVerified(version)}
              />
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

function VersionRow({
  runtime,
  version,
  onEdit,
  verified,
  onVerified,
}: {
  runtime: RuntimeItem;
  version: RuntimeVersionItem;
  onEdit: () => void;
  verified: boolean;
  onVerified: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const label = `${runtime.displayName} ${version.version}`;
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.runtimes.list.queryKey() });
  const update = useMutation(
    trpc.runtimes.updateVersion.mutationOptions({
      meta: { silentError: true },
      onSuccess: refresh,
      onError: toastError,
    }),
  );
  const setDefault = useMutation(
    trpc.runtimes.setDefaultVersion.mutationOptions({
      meta: { silentError: true },
      onSuccess: () => {
        toast.success(`${label} is now the default`);
        refresh();
      },
      onError: toastError,
    }),
  );
  const change = (patch: { enabled?: boolean; deprecated?: boolean }, done: string) =>
    update.mutate(
      { versionId: version.id, ...patch },
      { onSuccess: () => toast.success(`${label} ${done}`) },
    );
  const verify = useMutation(
    trpc.runtimes.verifyVersion.mutationOptions({
      meta: { silentError: true },
      onSuccess: (result) => {
        toast.success(
          `${label} verified: sha256 and size (${formatBytes(result.sizeBytes)}) match, in ${formatDuration(result.ms)}`,
        );
        onVerified();
      },
      onError: toastError,
    }),
  );
  const busy = update.isPending || setDefault.isPending;

  return (
    <Tr data-testid="version-row" data-version={version.version}>
      <Td>
        <div className="flex flex-wrap items-center gap-1.5">
          <span className="font-mono text-sm text-zinc-100">{version.version}</span>
          {version.isDefault ? <Badge tone="sky">default</Badge> : null}
          {version.deprecated ? <Badge tone="amber">deprecated</Badge> : null}
          {version.enabled ? null : <Badge tone="grey">disabled</Badge>}
          {verified ? (
            <Badge tone="green" dot data-testid="version-verified">
              verified
            </Badge>
          ) : null}
        </div>
      </Td>
      <Td className="max-w-xs">
        <p className="truncate font-mono text-xs text-zinc-300" title={version.artifactUrl}>
          {version.artifactUrl}
        </p>
        <p className="mt-0.5 font-mono text-[11px] text-zinc-500" title={version.sha256}>
          sha256 {version.sha256.slice(0, 16)}…
        </p>
      </Td>
      <Td className="text-sm whitespace-nowrap text-zinc-300">{formatBytes(version.sizeBytes)}</Td>
      <Td className="font-mono text-xs text-zinc-300">{version.binPath}</Td>
      <Td className="text-right whitespace-nowrap">
        <Button
          size="sm"
          variant="ghost"
          loading={verify.isPending}
          onClick={() => verify.mutate({ versionId: version.id })}
          title="Download the artifact and check its sha256 and size"
          data-testid="version-verify"
        >
          Verify
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={onEdit}
          disabled={busy}
          data-testid="version-edit"
        >
          Edit
        </Button>
        {version.isDefault || !version.enabled ? null : (
          <Button
            size="sm"
            variant="ghost"
            disabled={busy}
            onClick={() => setDefault.mutate({ versionId: version.id })}
            data-testid="version-set-default"
          >
            Make default
          </Button>
        )}
        <Button
          size="sm"
          variant="ghost"
          disabled={busy}
          onClick={() =>
            change(
              { deprecated: !version.deprecated },
              version.deprecated ? "no longer deprecated" : "deprecated",
            )
          }
          data-testid="version-deprecate"
        >
          {version.deprecated ? "Undeprecate" : "Deprecate"}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          disabled={busy}
          onClick={() =>
            change({ enabled: !version.enabled }, version.enabled ? "disabled" : "enabled")
          }
          data-testid="version-toggle"
        >
          {version.enabled ? "Disable" : "Enable"}
        </Button>
      </Td>
    </Tr>
  );
}

const formatDuration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
