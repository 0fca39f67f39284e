"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { NodeIcon, PlusIcon } from "@/components/icons";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { SkeletonRows, Table, Td, Th, Tr } from "@/components/ui/table";
import { cn } from "@/lib/cn";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import { AddNodeDialog } from "./add-node-dialog";
import { NodeStatusBadge } from "./node-status-badge";
import { RevokeNodeDialog, type RevokeTarget } from "./revoke-node-dialog";
import type { NodeListItem } from "./types";
import { useLiveNodeStatus } from "./use-live-node-status";

function formatMemory(mb: number): string {
  if (mb >= 1024) return `${(mb / 1024).toFixed(mb % 1024 === 0 ? 0 : 1)} GiB`;
  return `${mb} MiB`;
}

function NodeRow({
  node,
  onRevoke,
}: {
  node: NodeListItem;
  onRevoke: (node: RevokeTarget) => void;
}) {
  const revoked = node.revokedAt !== null;
  const awaitingEnrollment = !revoked && node.enrolledAt === null;

  // Flash the row briefly when a live update changes its status.
  const previous = useRef(node.status);
  const [flash, setFlash] = useState(false);
  useEffect(() => {
    if (previous.current === node.status) return;
    previous.current = node.status;
    setFlash(true);
    const timer = setTimeout(() => setFlash(false), 1_200);
    return () => clearTimeout(timer);
  }, [node.status]);

  return (
    <Tr
      data-testid="node-row"
      data-node-name={node.name}
      data-node-id={node.id}
      className={cn(
        "transition-colors duration-700",
        revoked && "opacity-55",
        flash && "bg-sky-500/10",
      )}
    >
      <Td>
        <div className="flex items-center gap-2">
          <span className="font-medium text-zinc-100">{node.name}</span>
          {revoked ? (
            <Badge tone="red" data-testid="node-revoked">
              revoked
            </Badge>
          ) : null}
          {awaitingEnrollment ? (
            <Badge tone="amber" data-testid="node-awaiting-enrollment">
              awaiting enrollment
            </Badge>
          ) : null}
        </div>
      </Td>
      <Td>
        <NodeStatusBadge status={node.status} />
      </Td>
      <Td className="whitespace-nowrap tabular-nums">
        <RelativeTime date={node.lastSeenAt} fallback="never" testId="node-last-seen" />
      </Td>
      <Td className="font-mono text-xs" data-testid="node-version">
        {node.agentVersion ?? <span className="font-sans text-zinc-500">—</span>}
      </Td>
      <Td>
        {node.drivers.length > 0 ? (
          <div className="flex flex-wrap gap-1" data-testid="node-drivers">
            {node.drivers.map((driver) => (
              <span
                key={driver}
                className="rounded border border-line bg-canvas px-1.5 py-0.5 font-mono text-[11px] text-zinc-300"
              >
                {driver}
              </span>
            ))}
          </div>
        ) : (
          <span className="text-zinc-500">—</span>
        )}
      </Td>
      <Td className="whitespace-nowrap text-zinc-400 tabular-nums">
        {node.cpuCores > 0 || node.memoryMb > 0
          ? `${node.cpuCores} CPU · ${formatMemory(node.memoryMb)}`
          : "—"}
      </Td>
      <Td className="text-right">
        {revoked ? null : (
          <Button
            variant="danger-ghost"
            size="sm"
            onClick={() => onRevoke({ id: node.id, name: node.name })}
            data-testid="node-revoke"
          >
            Revoke
          </Button>
        )}
      </Td>
    </Tr>
  );
}

export function NodesView() {
  const trpc = useTRPC();
  const nodes = useQuery(trpc.nodes.list.queryOptions());
  const [adding, setAdding] = useState(false);
  const [revoking, setRevoking] = useState<RevokeTarget | null>(null);
  useLiveNodeStatus();

  const online = nodes.data?.filter((n) => n.status === "online" && !n.revokedAt).length ?? 0;
  const active = nodes.data?.filter((n) => !n.revokedAt).length ?? 0;

  const addButton = (
    <Button onClick={() => setAdding(true)} data-testid="add-node">
      <PlusIcon className="size-4" />
      Add node
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Nodes"
        description={
          nodes.data && active > 0 ? (
            <>
              <span data-testid="nodes-online-count">{online}</span> of {active} online · Machines
              that run servers. Each runs one Berth agent.
            </>
          ) : (
            "Machines that run servers. Each runs one Berth agent."
          )
        }
        // With no nodes the empty state carries the button: one "Add node" on the page at a time.
        actions={nodes.data?.length === 0 ? undefined : addButton}
      />

      {nodes.isError ? (
        <FormError>{errorMessage(nodes.error)}</FormError>
      ) : nodes.data && nodes.data.length === 0 ? (
        <EmptyState
          testId="nodes-empty"
          icon={<NodeIcon className="size-5" />}
          title="No nodes yet"
          description="Add a node, then run the enrollment command on that machine. It shows up here as soon as its agent connects."
          action={addButton}
        />
      ) : (
        <Table data-testid="nodes-table">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Status</Th>
              <Th>Last seen</Th>
              <Th>Version</Th>
              <Th>Drivers</Th>
              <Th>Capacity</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {nodes.data ? (
              nodes.data.map((node) => <NodeRow key={node.id} node={node} onRevoke={setRevoking} />)
            ) : (
              <SkeletonRows columns={7} />
            )}
          </tbody>
        </Table>
      )}

      <AddNodeDialog open={adding} onClose={() => setAdding(false)} />
      <RevokeNodeDialog node={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}
