"use client";

import type { TerminalInfo } from "@berth/protocol";
import type { KeyboardEvent } from "react";
import { PlusIcon } from "@/components/icons";
import { Spinner } from "@/components/ui/spinner";
import { nextTabIndex } from "@/lib/console/terminal-tabs";
import { TerminalTab } from "./terminal-tab";

/** The row of terminal tabs and the + that opens another (disabled, with the reason, when it cannot). */
export function TerminalTabs({
  tabs,
  selectedId,
  panelId,
  createBlocker,
  creating,
  onSelect,
  onCreate,
  onRename,
  onClose,
}: {
  tabs: readonly TerminalInfo[];
  selectedId: string | null;
  panelId: string;
  /** Why + is disabled, or null. */
  createBlocker: string | null;
  creating: boolean;
  /** `via` tells a click from arrowing through the tabs (which keeps the focus on the tabs). */
  onSelect: (terminalId: string, via: "pointer" | "keyboard") => void;
  onCreate: () => void;
  onRename: (terminalId: string, title: string) => Promise<boolean>;
  onClose: (terminalId: string) => void;
}) {
  const disabled = createBlocker !== null || creating;

  // Arrow keys, Home and End move between tabs, as in any tab list.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.terminalId === selectedId);
    const target = nextTabIndex(event.key, index, tabs.length);
    const next = target === null ? undefined : tabs[target];
    if (
      !next ||
      !(event.target instanceof HTMLElement) ||
      event.target.getAttribute("role") !== "tab"
    )
      return;
    event.preventDefault();
    onSelect(next.terminalId, "keyboard");
    requestAnimationFrame(() => document.getElementById(`tab-${next.terminalId}`)?.focus());
  };
  return (
    <div className="flex min-w-0 items-center gap-1">
      <div
        role="tablist"
        aria-label="Terminals"
        className="flex min-w-0 items-center gap-0.5 overflow-x-auto"
        data-testid="terminal-tabs"
        onKeyDown={onKeyDown}
      >
        {tabs.map((terminal) => (
          <TerminalTab
            key={terminal.terminalId}
            terminal={terminal}
            selected={terminal.terminalId === selectedId}
            panelId={panelId}
            onSelect={() => onSelect(terminal.terminalId, "pointer")}
            onRename={(title) => onRename(terminal.terminalId, title)}
            onClose={() => onClose(terminal.terminalId)}
          />
        ))}
      </div>
      {/* A disabled button shows no tooltip of its own; the wrapper carries it. */}
      <span
        title={createBlocker ?? "New terminal"}
        data-testid="terminal-new-hint"
        className={disabled ? "shrink-0 cursor-not-allowed" : "shrink-0"}
      >
        <button
          type="button"
          onClick={onCreate}
          disabled={disabled}
          aria-label="New terminal"
          aria-description={createBlocker ?? undefined}
          data-testid="terminal-new"
          className="grid size-7 cursor-pointer place-items-center rounded-md text-zinc-400 transition-colors hover:bg-white/[0.06] hover:text-zinc-100 disabled:pointer-events-none disabled:opacity-40"
        >
          {creating ? <Spinner className="size-3.5" /> : <PlusIcon className="size-4" />}
        </button>
      </span>
    </div>
  );
}
