"use client";

import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, type ReactNode } from "react";
import { Spinner } from "@/components/ui/spinner";
import type { NoticeTone } from "@/lib/console/console-notice";
import { ConsoleNoticeBar } from "./console-notice-bar";
import { ConsoleStatus } from "./console-status";
import { TerminalPanel } from "./terminal-panel";
import { useConsoleKeystrokes, useConsoleResize } from "./use-console-input";
import { useConsoleStream } from "./use-console-stream";
import { useXterm, type TerminalSize } from "./use-xterm";

export interface ConsoleTerminalProps {
  serverId: string;
  /** null: the server's own console; otherwise one of its terminals. */
  terminalId: string | null;
  /** Accessible name of the panel. */
  label: string;
  /** Whether the process behind the console reads input now. */
  inputEnabled: boolean;
  /** A line about the process (e.g. not running), above the output. */
  notice?: { tone: NoticeTone; text: string } | null;
  /** Joins again whenever this changes (e.g. the node came back online). */
  resyncKey?: string;
  /** Left of the status in the panel's top bar. */
  header?: ReactNode;
  /** Below the output, inside the panel. */
  footer?: ReactNode;
  /** Makes the output area the tab panel with this id (for tabs in `header`). */
  tabPanelId?: string;
  autoFocus?: boolean;
  /** Told the terminal's size in cells whenever it fits itself anew. */
  onSize?: (size: TerminalSize) => void;
  /** Sets the panel's height. */
  className?: string;
}

/**
 * A live console in a dark terminal panel: xterm.js fitted to the panel, the scrollback and then
 * live output of one console, keystrokes to it while its process reads input, and the state of
 * the live link (Live / Reconnecting… / Offline) in the top bar.
 */
export function ConsoleTerminal({
  serverId,
  terminalId,
  label,
  inputEnabled,
  notice,
  resyncKey,
  header,
  footer,
  tabPanelId,
  autoFocus = false,
  onSize,
  className,
}: ConsoleTerminalProps) {
  const host = useRef<HTMLDivElement>(null);
  const { term, size, failed } = useXterm(host);
  const { link, joined, problem } = useConsoleStream({ term, serverId, terminalId, resyncKey });
  useConsoleKeystrokes({ term, serverId, terminalId, enabled: inputEnabled && link === "live" });
  useConsoleResize({ serverId, terminalId, size, joined });

  useEffect(() => {
    if (term && autoFocus) term.focus();
  }, [term, autoFocus]);

  useEffect(() => {
    if (size) onSize?.(size);
  }, [size, onSize]);

  return (
    <TerminalPanel
      label={label}
      header={header}
      status={<ConsoleStatus link={link} problem={problem} />}
      className={className}
      data-testid="console-terminal"
      data-console={terminalId ?? "server"}
      data-link={link}
    >
      {notice ? <ConsoleNoticeBar tone={notice.tone} text={notice.text} /> : null}
      <div
        className="relative min-h-0 flex-1 py-2 pr-1 pl-3"
        {...(tabPanelId ? { id: tabPanelId, role: "tabpanel" } : {})}
      >
        <div ref={host} className="console-xterm h-full w-full" data-testid="console-xterm" />
        {!term ? (
          <div className="absolute inset-0 flex items-center justify-center gap-2 text-sm text-zinc-500">
            {failed ? (
              "Could not load the terminal. Reload the page."
            ) : (
              <>
                <Spinner /> Loading terminal…
              </>
            )}
          </div>
        ) : null}
      </div>
      {footer}
    </TerminalPanel>
  );
}
