"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { DevTerminals } from "@/components/console/dev-terminals";
import { GameConsole } from "@/components/console/game-console";
import { CrashHistory } from "@/components/crashes/crash-history";
import { CrashLoopBanner } from "@/components/crashes/crash-loop-banner";
import { CrashStateLine } from "@/components/crashes/crash-state-line";
import { RestartPolicyCard } from "@/components/crashes/restart-policy-card";
import { CodeServerCard } from "@/components/servers/code-server-card";
import { RuntimeCard } from "@/components/servers/runtime-card";
import { useCrashHistory } from "@/components/crashes/use-crash-history";
import { FilesTab } from "@/components/files/files-tab";
import { UploadsProvider } from "@/components/files/uploads-context";
import { ModsTab } from "@/components/mods/mods-tab";
import { ServerStatsCard } from "@/components/stats/server-stats-card";
import { FolderIcon, PuzzleIcon, ServerIcon, TerminalIcon, WarningIcon } from "@/components/icons";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { tabOf, type ServerTab } from "@/lib/files/url-params";
import { formatMegabytes, isProvisioning, showsProvisioning } from "@/lib/server-state";
import { errorCode, errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import { DeleteServerDialog } from "./delete-server-dialog";
import { OpenIdeButton } from "./open-ide-button";
import { PowerControls } from "./power-controls";
import { ProvisionProgress } from "./provision-progress";
import { ServerStateBadge } from "./server-state-badge";
import { ServerTabs, type TabSpec } from "./server-tabs";
import type { ServerDetail } from "./types";
import { liveInfoOf, useLiveServers, type LiveServerInfo } from "./use-live-servers";
import { useSearchState } from "./use-search-state";

function BackLink() {
  return (
    <Link href="/servers" className="text-sm text-zinc-400 transition-colors hover:text-zinc-100">
      ← Servers
    </Link>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex items-center gap-1.5">
      <span className="text-zinc-500">{label}</span>
      <span className="text-zinc-200">{children}</span>
    </div>
  );
}

function exitText(exit: LiveServerInfo["exit"]): string | null {
  if (!exit) return null;
  if (exit.oomKilled) return "Killed for running out of memory.";
  if (exit.signal) return `Ended by ${exit.signal}.`;
  if (exit.exitCode !== null) return `Exited with code ${exit.exitCode}.`;
  return null;
}

function ProvisioningCard({ server, message }: { server: ServerDetail; message: string | null }) {
  const stage = server.provisionStage;
  if (!stage || !showsProvisioning(stage)) return null;
  const failed = stage === "failed";
  return (
    <Card data-testid="provisioning-card">
      <CardHeader
        title={failed ? "Provisioning failed" : "Provisioning"}
        description={
          failed
            ? undefined
            : "Berth is setting the server up on its node. This page follows along live."
        }
      />
      <div className="px-5 py-4">
        <ProvisionProgress
          stage={stage}
          percent={server.provisionPercent}
          message={
            failed
              ? (message ?? server.provisionMessage ?? "The node could not set the server up.")
              : message
          }
        />
      </div>
    </Card>
  );
}

function PortsCard({ ports }: { ports: ServerDetail["ports"] }) {
  return (
    <Card>
      <CardHeader title="Ports" description="Connect to the node's address on the host port." />
      {ports.length === 0 ? (
        <p className="px-5 py-4 text-sm text-zinc-500">This server has no ports.</p>
      ) : (
        <ul className="divide-y divide-line/70" data-testid="server-ports">
          {ports.map((port) => (
            <li
              key={`${port.hostPort}/${port.protocol}`}
              className="flex items-center justify-between gap-4 px-5 py-3 text-sm"
              data-testid="server-port"
            >
              <span className="text-zinc-300">{port.name}</span>
              <span className="font-mono text-xs text-zinc-200">
                {port.hostPort}
                <span className="px-1.5 text-zinc-500">→</span>
                {port.containerPort}/{port.protocol}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function LimitsCard({ server }: { server: ServerDetail }) {
  const rows: Array<[string, string]> = [
    ["Memory", formatMegabytes(server.memoryMb)],
    [
      "CPU",
      `${server.cpuPercent}% (${(server.cpuPercent / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })} ${server.cpuPercent === 100 ? "core" : "cores"})`,
    ],
    ["Disk", formatMegabytes(server.diskMb)],
  ];
  return (
    <Card>
      <CardHeader title="Limits" />
      <dl className="divide-y divide-line/70" data-testid="server-limits">
        {rows.map(([label, value]) => (
          <div key={label} className="flex items-center justify-between gap-4 px-5 py-3 text-sm">
            <dt className="text-zinc-400">{label}</dt>
            <dd className="text-zinc-200 tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

export function ServerDetailView({ serverId }: { serverId: string }) {
  const trpc = useTRPC();
  const server = useQuery(
    trpc.servers.get.queryOptions({ serverId }, { meta: { silentError: true } }),
  );
  const live = liveInfoOf(useLiveServers([serverId]), serverId);
  const crashHistory = useCrashHistory(serverId);
  const [deleting, setDeleting] = useState(false);
  const search = useSearchState();

  if (server.isError) {
    if (errorCode(server.error) === "NOT_FOUND") {
      return (
        <div className="space-y-4">
          <BackLink />
          <EmptyState
            testId="server-not-found"
            icon={<ServerIcon className="size-5" />}
            title="No such server"
            description="It may have been deleted, or it belongs to someone else."
            action={
              <Link href="/servers" className="text-sm font-medium text-sky-300 hover:text-sky-200">
                Back to servers
              </Link>
            }
          />
        </div>
      );
    }
    return (
      <div className="space-y-4">
        <BackLink />
        <FormError>{errorMessage(server.error)}</FormError>
      </div>
    );
  }

  if (!server.data) {
    return (
      <div className="flex items-center gap-2 py-10 text-sm text-zinc-400">
        <Spinner /> Loading server…
      </div>
    );
  }

  const s = server.data;
  const troubled = s.observedState === "crashed" || s.observedState === "error";
  const why = troubled ? [live.reason, exitText(live.exit)].filter(Boolean).join(" ") : "";
  // The history has the newest crash once loaded (and live ones); the server row has it at once.
  const lastCrash = crashHistory.crashes[0] ?? null;
  const crashLoop = s.observedState === "error" && (lastCrash ?? s.lastCrash)?.crashLoop === true;
  const tab = tabOf(search.get("tab"), s.kind);
  const tabs: TabSpec[] = [
    { id: "overview", label: "Overview", icon: <TerminalIcon className="size-4" /> },
    { id: "files", label: "Files", icon: <FolderIcon className="size-4" /> },
    ...(s.kind === "game"
      ? [{ id: "mods" as const, label: "Mods", icon: <PuzzleIcon className="size-4" /> }]
      : []),
  ];
  // Each tab keeps only its own parameters.
  const selectTab = (next: ServerTab) =>
    search.set({
      tab: next === "overview" ? null : next,
      path: null,
      file: null,
      mod: null,
      crash: null,
    });

  return (
    <div className="space-y-6" data-testid="server-detail" data-server-id={s.id}>
      <div className="space-y-3">
        <BackLink />
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0 space-y-2">
            <div className="flex flex-wrap items-center gap-3">
              <h1
                className="truncate text-xl font-semibold tracking-tight text-zinc-50"
                data-testid="server-name-heading"
              >
                {s.name}
              </h1>
              <ServerStateBadge state={s.observedState} />
              <CrashStateLine
                state={s.observedState}
                restartAt={s.restartAt}
                autoRestart={s.restartPolicy.autoRestart}
              />
            </div>
            <div className="flex flex-wrap items-center gap-x-5 gap-y-1 text-sm">
              <Fact label="Node">
                <span data-testid="server-node">{s.node.name}</span>
                {s.node.status !== "online" ? (
                  <Badge tone="grey" className="ml-2">
                    node {s.node.status}
                  </Badge>
                ) : null}
              </Fact>
              {s.kind === "dev" ? (
                <Fact label="Kind">
                  <span data-testid="server-kind">Dev container</span>
                </Fact>
              ) : (
                <Fact label="Template">
                  <span data-testid="server-template-name">{s.template?.name ?? "—"}</span>
                </Fact>
              )}
              <Fact label="Created">
                <RelativeTime date={s.createdAt} />
              </Fact>
            </div>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <PowerControls server={s} />
            {s.kind === "dev" && s.codeServer ? (
              <OpenIdeButton serverId={s.id} codeServer={s.codeServer} variant="primary" />
            ) : null}
            <span className="mx-1 hidden h-6 w-px bg-line sm:block" aria-hidden="true" />
            <Button
              variant="danger-ghost"
              size="sm"
              onClick={() => setDeleting(true)}
              data-testid="server-delete"
            >
              Delete
            </Button>
          </div>
        </div>
      </div>

      {crashLoop ? (
        <CrashLoopBanner
          serverId={s.id}
          lastCrash={lastCrash}
          crashLoopAfter={s.restartPolicy.crashLoopAfter}
        />
      ) : troubled && why ? (
        <div
          role="status"
          className="flex items-start gap-2.5 rounded-lg border border-red-500/30 bg-red-500/10 px-4 py-3 text-sm text-red-100"
          data-testid="server-state-reason"
        >
          <WarningIcon className="mt-0.5 size-4 shrink-0 text-red-400" />
          <p>{why}</p>
        </div>
      ) : null}

      <ProvisioningCard server={s} message={live.progressMessage} />

      <ServerTabs tabs={tabs} selected={tab} onSelect={selectTab} />

      <UploadsProvider serverId={s.id}>
        {tab === "files" ? (
          <div role="tabpanel" id="server-panel-files" aria-labelledby="server-tab-files">
            <FilesTab serverId={s.id} />
          </div>
        ) : tab === "mods" ? (
          <div role="tabpanel" id="server-panel-mods" aria-labelledby="server-tab-mods">
            <ModsTab
              serverId={s.id}
              crash={crashHistory.crashes.find((c) => c.id === search.get("crash")) ?? null}
              highlight={search.get("mod")}
            />
          </div>
        ) : (
          <div
            role="tabpanel"
            id="server-panel-overview"
            aria-labelledby="server-tab-overview"
            className="space-y-6"
          >
            {isProvisioning(s.provisionStage) ? null : s.kind === "dev" ? (
              <DevTerminals serverId={s.id} state={s.observedState} nodeStatus={s.node.status} />
            ) : (
              <GameConsole serverId={s.id} state={s.observedState} nodeStatus={s.node.status} />
            )}

            <ServerStatsCard
              serverId={s.id}
              cpuLimitPercent={s.cpuPercent}
              running={s.observedState === "running" || s.observedState === "starting"}
            />

            <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
              <CrashHistory history={crashHistory} />
              <div className="space-y-6">
                {s.kind === "dev" ? <CodeServerCard server={s} /> : null}
                {s.kind === "dev" ? <RuntimeCard server={s} /> : null}
                <RestartPolicyCard
                  serverId={s.id}
                  policy={s.restartPolicy}
                  pending={s.specPending}
                />
                <PortsCard ports={s.ports} />
                <LimitsCard server={s} />
              </div>
            </div>
          </div>
        )}
      </UploadsProvider>

      <DeleteServerDialog server={s} open={deleting} onClose={() => setDeleting(false)} />
    </div>
  );
}
