import { cn } from "@/lib/cn";

/** A native select styled like the portal's inputs. */
export const SELECT_CLASS = cn(
  "block h-9 w-full rounded-md border border-line bg-canvas px-3 text-sm text-zinc-100",
  "transition-colors focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 focus:outline-none",
  "disabled:opacity-60 aria-invalid:border-red-500/70",
);
