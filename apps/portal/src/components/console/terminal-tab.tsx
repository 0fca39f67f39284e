"use client";

import { TerminalTitle, type TerminalInfo } from "@berth/protocol";
import { useState, type KeyboardEvent } from "react";
import { CloseIcon, PencilIcon } from "@/components/icons";
import { cn } from "@/lib/cn";
import { exitLabel } from "@/lib/console/terminal-tabs";
import { toastWireError } from "@/lib/toast-error";

/**
 * One terminal tab: click selects, double-click (or the selected tab's pencil) renames in place — Enter or
 * leaving the field saves, Escape cancels — and × closes it.
 */
export function TerminalTab({
  terminal,
  selected,
  panelId,
  onSelect,
  onRename,
  onClose,
}: {
  terminal: TerminalInfo;
  selected: boolean;
  panelId: string;
  onSelect: () => void;
  onRename: (title: string) => Promise<boolean>;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const exited = exitLabel(terminal);

  const startRename = () => setDraft(terminal.title);

  const commit = async () => {
    if (draft === null) return;
    const title = draft.trim();
    setDraft(null);
    if (title === terminal.title || title === "") return;
    const parsed = TerminalTitle.safeParse(title);
    if (!parsed.success) {
      toastWireError({ message: parsed.error.issues[0]?.message ?? "Invalid name" });
      return;
    }
    await onRename(parsed.data);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      void commit();
    } else if (event.key === "Escape") {
      event.preventDefault();
      setDraft(null);
    }
  };

  return (
    <div
      role="presentation"
      data-testid="terminal-tab"
      data-terminal-id={terminal.terminalId}
      data-selected={selected || undefined}
      data-exited={terminal.exited || undefined}
      className={cn(
        "relative flex h-8 max-w-52 min-w-0 shrink-0 items-center rounded-md text-xs transition-colors",
        selected
          ? "bg-white/[0.08] text-zinc-100"
          : "text-zinc-400 hover:bg-white/[0.04] hover:text-zinc-200",
      )}
    >
      {draft !== null ? (
        <input
          autoFocus
          value={draft}
          maxLength={40}
          aria-label="Terminal name"
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => void commit()}
          onFocus={(event) => event.target.select()}
          data-testid="terminal-tab-rename-input"
          className="mx-1 h-6 w-36 rounded border border-sky-500/60 bg-canvas px-1.5 font-mono text-xs text-zinc-100 focus:outline-none"
        />
      ) : (
        <button
          type="button"
          role="tab"
          id={`tab-${terminal.terminalId}`}
          aria-selected={selected}
          aria-controls={panelId}
          tabIndex={selected ? 0 : -1}
          onClick={onSelect}
          onDoubleClick={startRename}
          title={`${terminal.title} — double-click to rename`}
          data-testid="terminal-tab-select"
          className="flex h-full min-w-0 cursor-pointer items-center gap-1.5 rounded-md pr-1 pl-2.5 focus-visible:outline-2 focus-visible:outline-sky-400"
        >
          <span
            aria-hidden="true"
            className={cn(
              "size-1.5 shrink-0 rounded-full",
              terminal.exited ? "bg-zinc-600" : "bg-emerald-400/80",
            )}
          />
          <span
            className={cn("truncate font-mono", terminal.exited && "text-zinc-500")}
            data-testid="terminal-tab-title"
          >
            {terminal.title}
          </span>
          {exited ? (
            <span className="shrink-0 text-[10px] text-zinc-500" data-testid="terminal-tab-exited">
              {exited}
            </span>
          ) : null}
        </button>
      )}
      {draft === null && selected ? (
        <button
          type="button"
          onClick={startRename}
          aria-label={`Rename ${terminal.title}`}
          title="Rename"
          data-testid="terminal-tab-rename"
          className="grid size-5 shrink-0 cursor-pointer place-items-center rounded text-zinc-500 hover:bg-white/10 hover:text-zinc-200"
        >
          <PencilIcon className="size-3" />
        </button>
      ) : null}
      <button
        type="button"
        onClick={onClose}
        aria-label={`Close ${terminal.title}`}
        title="Close"
        data-testid="terminal-tab-close"
        className="mr-1 grid size-5 shrink-0 cursor-pointer place-items-center rounded text-zinc-500 hover:bg-white/10 hover:text-zinc-200"
      >
        <CloseIcon className="size-3" />
      </button>
    </div>
  );
}
