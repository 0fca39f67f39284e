"use client";

import { useQuery } from "@tanstack/react-query";
import { ServerIcon } from "@/components/icons";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/input";
import { SkeletonRows, Table, Td, Th, Tr } from "@/components/ui/table";
import { errorMessage } from "@/lib/toast-error";
import { useTRPC } from "@/lib/trpc";

const STATE_TONES: Record<string, "green" | "grey" | "amber" | "red"> = {
  running: "green",
  starting: "amber",
  installing: "amber",
  stopping: "amber",
  crashed: "red",
  error: "red",
  offline: "grey",
};

export function ServersList() {
  const trpc = useTRPC();
  const servers = useQuery(trpc.servers.list.queryOptions());

  if (servers.isError) return <FormError>{errorMessage(servers.error)}</FormError>;

  if (servers.data && servers.data.length === 0) {
    return (
      <EmptyState
        testId="servers-empty"
        icon={<ServerIcon className="size-5" />}
        title="No servers yet"
        description="Game servers and dev containers you create will show up here, with their live status."
      />
    );
  }

  return (
    <Table data-testid="servers-table">
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Kind</Th>
          <Th>State</Th>
          <Th>Node</Th>
          <Th>Created</Th>
        </tr>
      </thead>
      <tbody>
        {servers.data ? (
          servers.data.map((server) => (
            <Tr key={server.id} data-testid="server-row" data-server-name={server.name}>
              <Td className="font-medium text-zinc-100">{server.name}</Td>
              <Td>
                <Badge tone={server.kind === "game" ? "sky" : "grey"}>
                  {server.kind === "game" ? "Game" : "Dev"}
                </Badge>
              </Td>
              <Td>
                <Badge
                  tone={STATE_TONES[server.observedState] ?? "grey"}
                  dot
                  className="capitalize"
                  data-testid="server-state"
                >
                  {server.observedState}
                </Badge>
              </Td>
              <Td>{server.nodeName}</Td>
              <Td>
                <RelativeTime date={server.createdAt} />
              </Td>
            </Tr>
          ))
        ) : (
          <SkeletonRows columns={5} />
        )}
      </tbody>
    </Table>
  );
}
