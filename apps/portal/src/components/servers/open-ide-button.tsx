"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc";

/** Why the IDE cannot open now, or null when it can. */
export function ideUnavailableReason(codeServer: { state: string } | null): string | null {
  if (!codeServer) return "code-server is not enabled for this server.";
  if (codeServer.state !== "running") {
    return "code-server is not running. Start it on the server page, then open the IDE.";
  }
  return null;
}

/**
 * Opens the dev server's code-server in a new tab. The tab is opened in the click itself (a popup
 * blocker allows that) and sent to the one-time link once the portal has issued it.
 */
export function OpenIdeButton({
  serverId,
  codeServer,
  size = "sm",
  variant = "secondary",
}: {
  serverId: string;
  codeServer: { state: string } | null;
  size?: "sm" | "md";
  variant?: "primary" | "secondary";
}) {
  const trpc = useTRPC();
  const create = useMutation(trpc.ide.createToken.mutationOptions());
  const reason = ideUnavailableReason(codeServer);

  const open = () => {
    const tab = window.open("", "_blank");
    if (tab) {
      tab.opener = null;
      tab.document.title = "Opening the IDE…";
    }
    create.mutate(
      { serverId },
      {
        onSuccess: ({ url }) => {
          if (tab && !tab.closed) tab.location.replace(url);
          else window.open(url, "_blank", "noopener");
        },
        // The error itself is toasted by the app's mutation handler.
        onError: () => tab?.close(),
      },
    );
  };

  return (
    <span title={reason ?? "Open VS Code in a new tab"} className="inline-flex" data-row-action>
      <Button
        variant={variant}
        size={size}
        disabled={reason !== null}
        loading={create.isPending}
        onClick={open}
        aria-label="Open IDE"
        data-testid="open-ide"
      >
        Open IDE
      </Button>
    </span>
  );
}
