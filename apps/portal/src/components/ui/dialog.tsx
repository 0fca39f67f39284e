"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { cn } from "@/lib/cn";

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  /** Keep the dialog open on Escape and backdrop clicks (e.g. while a request runs). */
  dismissible?: boolean;
  /** Close on a click outside the dialog; off where a stray click would lose something. */
  closeOnBackdrop?: boolean;
  size?: "md" | "lg";
  testId?: string;
}

/**
 * A modal on the native `<dialog>`: focus trap, Escape and the top layer come from the browser.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  dismissible = true,
  closeOnBackdrop = true,
  size = "md",
  testId,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      data-testid={testId}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        // Escape: let the parent decide, so `open` stays the single source of truth.
        event.preventDefault();
        if (dismissible) onClose();
      }}
      onClose={() => {
        // The browser may close a modal on its own (e.g. Escape pressed twice): follow it, or
        // reopen when the dialog must stay up.
        if (!open) return;
        if (dismissible) onClose();
        else ref.current?.showModal();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> element itself.
        if (dismissible && closeOnBackdrop && event.target === event.currentTarget) onClose();
      }}
      className={cn(
        "m-auto w-[calc(100%-2rem)] rounded-xl border border-line bg-surface p-0 text-left text-sm text-zinc-100 shadow-2xl shadow-black/50",
        size === "lg" ? "max-w-2xl" : "max-w-lg",
      )}
    >
      {open ? (
        <div className="flex flex-col">
          <div className="px-6 pt-5">
            <h2 id={titleId} className="text-base font-semibold">
              {title}
            </h2>
            {description ? (
              <div id={descriptionId} className="mt-1.5 text-sm text-zinc-400">
                {description}
              </div>
            ) : null}
          </div>
          {children ? <div className="px-6 pt-4">{children}</div> : null}
          {footer ? (
            <div className="mt-5 flex justify-end gap-2 border-t border-line bg-canvas/40 px-6 py-3">
              {footer}
            </div>
          ) : (
            <div className="h-5" />
          )}
        </div>
      ) : null}
    </dialog>
  );
}
