"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { MouseEvent } from "react";
import { PlusIcon, ServerIcon } from "@/components/icons";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { SkeletonRows, Table, Td, Th, Tr } from "@/components/ui/table";
import { showsProvisioning } from "@/lib/server-state";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";
import { OpenIdeButton } from "./open-ide-button";
import { ProvisionProgress } from "./provision-progress";
import { ServerStateBadge } from "./server-state-badge";
import type { ServerListItem } from "./types";
import { useLiveServers } from "./use-live-servers";

function NewServerLink() {
  return (
    <Link
      href="/servers/new"
      data-testid="new-server"
      className="inline-flex h-9 shrink-0 items-center justify-center gap-2 rounded-md bg-sky-500 px-4 text-sm font-medium whitespace-nowrap text-zinc-950 transition-colors hover:bg-sky-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-400"
    >
      <PlusIcon className="size-4" />
      New server
    </Link>
  );
}

function ServerRow({ server }: { server: ServerListItem }) {
  const router = useRouter();
  const href = `/servers/${server.id}`;

  // The whole row opens the server; the name stays a real link for keyboards and new tabs.
  const onClick = (event: MouseEvent<HTMLTableRowElement>) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if ((event.target as HTMLElement).closest("a, button, [data-row-action]")) return;
    router.push(href);
  };

  return (
    <Tr
      data-testid="server-row"
      data-server-name={server.name}
      data-server-id={server.id}
      onClick={onClick}
      className="cursor-pointer"
    >
      <Td>
        <Link
          href={href}
          className="font-medium text-zinc-100 hover:text-sky-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-400"
        >
          {server.name}
        </Link>
      </Td>
      <Td>
        <Badge tone={server.kind === "game" ? "sky" : "grey"}>
          {server.kind === "game" ? "Game" : "Dev"}
        </Badge>
      </Td>
      <Td>
        <ServerStateBadge state={server.observedState} />
        {showsProvisioning(server.provisionStage) && server.provisionStage ? (
          <ProvisionProgress slim stage={server.provisionStage} percent={server.provisionPercent} />
        ) : null}
      </Td>
      <Td>{server.nodeName}</Td>
      <Td className="whitespace-nowrap tabular-nums">
        <RelativeTime date={server.createdAt} />
      </Td>
      <Td className="text-right">
        {server.codeServer ? (
          <OpenIdeButton serverId={server.id} codeServer={server.codeServer} />
        ) : null}
      </Td>
    </Tr>
  );
}

export function ServersView() {
  const trpc = useTRPC();
  const servers = useQuery(trpc.servers.list.queryOptions());
  useLiveServers(servers.data?.map((server) => server.id) ?? []);

  const empty = servers.data?.length === 0;

  return (
    <>
      <PageHeader
        title="Servers"
        description="Your game servers and dev containers."
        // With no servers the empty state carries the button: one "New server" at a time.
        actions={empty ? undefined : <NewServerLink />}
      />
      {servers.isError ? (
        <FormError>{errorMessage(servers.error)}</FormError>
      ) : empty ? (
        <EmptyState
          testId="servers-empty"
          icon={<ServerIcon className="size-5" />}
          title="No servers yet"
          description="Game servers and dev containers you create will show up here, with their live status."
          action={<NewServerLink />}
        />
      ) : (
        <Table data-testid="servers-table">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Kind</Th>
              <Th>State</Th>
              <Th>Node</Th>
              <Th>Created</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {servers.data ? (
              servers.data.map((server) => <ServerRow key={server.id} server={server} />)
            ) : (
              <SkeletonRows columns={6} />
            )}
          </tbody>
        </Table>
      )}
    </>
  );
}
