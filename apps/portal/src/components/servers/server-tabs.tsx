"use client";

import type { KeyboardEvent, ReactNode } from "react";
import { cn } from "@/lib/cn";
import { nextTabIndex } from "@/lib/console/terminal-tabs";
import type { ServerTab } from "@/lib/files/url-params";

export interface TabSpec {
  id: ServerTab;
  label: string;
  icon?: ReactNode;
}

/** The server page's sections: Overview (console, stats, crashes), Files, and Mods on game servers. */
export function ServerTabs({
  tabs,
  selected,
  onSelect,
}: {
  tabs: readonly TabSpec[];
  selected: ServerTab;
  onSelect: (tab: ServerTab) => void;
}) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.id === selected);
    const target = nextTabIndex(event.key, index, tabs.length);
    const next = target === null ? undefined : tabs[target];
    if (!next) return;
    event.preventDefault();
    onSelect(next.id);
    requestAnimationFrame(() => document.getElementById(`server-tab-${next.id}`)?.focus());
  };
  return (
    <div
      role="tablist"
      aria-label="Server sections"
      className="flex items-center gap-1 border-b border-line"
      onKeyDown={onKeyDown}
      data-testid="server-tabs"
    >
      {tabs.map((tab) => {
        const active = tab.id === selected;
        return (
          <button
            key={tab.id}
            id={`server-tab-${tab.id}`}
            type="button"
            role="tab"
            aria-selected={active}
            aria-controls={`server-panel-${tab.id}`}
            tabIndex={active ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            data-testid={`server-tab-${tab.id}`}
            className={cn(
              "-mb-px inline-flex cursor-pointer items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium transition-colors",
              "focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-sky-400",
              active
                ? "border-sky-400 text-zinc-50"
                : "border-transparent text-zinc-400 hover:border-zinc-600 hover:text-zinc-200",
            )}
          >
            {tab.icon}
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}
