"use client";

import { useEffect, useId, useState } from "react";
import { TerminalIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { acceptsConsoleInput, terminalNotice } from "@/lib/console/console-notice";
import {
  newTerminalBlocker,
  orderTabs,
  pickSelectedTab,
  selectionAfterClose,
} from "@/lib/console/terminal-tabs";
import { readSessionValue, writeSessionValue } from "@/lib/session-value";
import { ConsoleTerminal } from "./console-terminal";
import { TerminalPanel } from "./terminal-panel";
import { TerminalTabs } from "./terminal-tabs";
import { useTerminals } from "./use-terminals";

const PANEL_HEIGHT = "h-[min(72vh,40rem)] min-h-80";
/** Size for a new shell before its tab has fitted itself (it resizes once shown). */
const FALLBACK_SIZE = { cols: 120, rows: 32 };

const selectedKey = (serverId: string) => `berth:terminal-tab:${serverId}`;

/**
 * A dev server's terminals: tabs (listed on load, updated live), one shell per tab. The selected
 * tab survives a reload; switching tabs joins that shell again and shows its scrollback.
 */
export function DevTerminals({
  serverId,
  state,
  nodeStatus,
}: {
  serverId: string;
  /** The server's observed state. */
  state: string;
  /** The node's presence; consoles join again when it changes. */
  nodeStatus: string;
}) {
  const panelId = useId();
  const { terminals, loadError, creating, create, rename, close } = useTerminals(serverId);
  const [preferred, setPreferred] = useState<string | null>(null);
  const [lastSize, setLastSize] = useState(FALLBACK_SIZE);
  /** The tab whose terminal takes the focus when it opens (not while arrowing through tabs). */
  const [focusId, setFocusId] = useState<string | null>(null);

  useEffect(() => {
    setPreferred(readSessionValue(selectedKey(serverId)));
  }, [serverId]);

  const tabs = orderTabs(terminals ?? []);
  const selectedId = pickSelectedTab(tabs, preferred);
  const selected = tabs.find((t) => t.terminalId === selectedId) ?? null;
  const blocker = newTerminalBlocker({ count: tabs.length, serverState: state });

  const select = (terminalId: string | null, focus = true) => {
    setPreferred(terminalId);
    if (focus) setFocusId(terminalId);
    writeSessionValue(selectedKey(serverId), terminalId);
  };

  const onCreate = async () => {
    const terminal = await create(lastSize);
    if (terminal) select(terminal.terminalId);
  };

  // The selection moves before the answer: the update that removes the tab may come first, and
  // a click on another tab meanwhile must not be undone by the answer.
  const onClose = (terminalId: string) => {
    if (terminalId === selectedId) select(selectionAfterClose(tabs, terminalId, selectedId));
    void close(terminalId);
  };

  const header = (
    <TerminalTabs
      tabs={tabs}
      selectedId={selectedId}
      panelId={panelId}
      createBlocker={blocker}
      creating={creating}
      onSelect={(terminalId, via) => select(terminalId, via === "pointer")}
      onCreate={() => void onCreate()}
      onRename={rename}
      onClose={onClose}
    />
  );

  if (selected) {
    return (
      <div data-testid="dev-terminals">
        <ConsoleTerminal
          key={selected.terminalId}
          serverId={serverId}
          terminalId={selected.terminalId}
          label={`Terminal ${selected.title}`}
          inputEnabled={!selected.exited && acceptsConsoleInput(state)}
          notice={terminalNotice(selected, state)}
          resyncKey={nodeStatus}
          header={header}
          tabPanelId={panelId}
          autoFocus={focusId === selected.terminalId}
          onSize={setLastSize}
          className={PANEL_HEIGHT}
        />
      </div>
    );
  }

  return (
    <TerminalPanel
      label="Terminals"
      header={header}
      className={PANEL_HEIGHT}
      data-testid="dev-terminals"
    >
      <div className="flex flex-1 flex-col items-center justify-center gap-3 px-6 text-center">
        {terminals === null ? (
          <p className="flex items-center gap-2 text-sm text-zinc-500">
            {loadError ? (
              `Could not list the terminals: ${loadError} Retrying…`
            ) : (
              <>
                <Spinner /> Loading terminals…
              </>
            )}
          </p>
        ) : (
          <>
            <span className="grid size-10 place-items-center rounded-lg bg-white/[0.04] text-zinc-400">
              <TerminalIcon className="size-5" />
            </span>
            <div className="space-y-1">
              <p className="text-sm font-medium text-zinc-200">No terminals open</p>
              <p className="text-sm text-zinc-500">
                {blocker ?? "A terminal opens a shell inside the container as the dev user."}
              </p>
            </div>
            <Button
              size="sm"
              variant="secondary"
              disabled={blocker !== null}
              loading={creating}
              onClick={() => void onCreate()}
              data-testid="terminal-open-first"
            >
              Open a terminal
            </Button>
          </>
        )}
      </div>
    </TerminalPanel>
  );
}
