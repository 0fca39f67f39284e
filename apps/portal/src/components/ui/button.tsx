import type { ButtonHTMLAttributes } from "react";
import { cn } from "@/lib/cn";
import { Spinner } from "./spinner";

type Variant = "primary" | "secondary" | "ghost" | "danger" | "danger-ghost";
type Size = "sm" | "md";

const VARIANTS: Record<Variant, string> = {
  primary:
    "bg-sky-500 text-zinc-950 hover:bg-sky-400 focus-visible:outline-sky-400 disabled:bg-sky-500/50",
  secondary:
    "border border-line bg-surface-raised text-zinc-100 hover:bg-zinc-700/60 focus-visible:outline-zinc-400",
  ghost: "text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100 focus-visible:outline-zinc-400",
  danger:
    "bg-red-600 text-white hover:bg-red-500 focus-visible:outline-red-400 disabled:bg-red-600/50",
  "danger-ghost":
    "text-red-300 hover:bg-red-500/10 hover:text-red-200 focus-visible:outline-red-400",
};

const SIZES: Record<Size, string> = {
  sm: "h-8 px-3 text-xs gap-1.5",
  md: "h-9 px-4 text-sm gap-2",
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: Size;
  loading?: boolean;
}

export function Button({
  variant = "primary",
  size = "md",
  loading = false,
  disabled,
  className,
  children,
  type = "button",
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      className={cn(
        "inline-flex shrink-0 cursor-pointer items-center justify-center rounded-md font-medium whitespace-nowrap transition-colors",
        "focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-70",
        VARIANTS[variant],
        SIZES[size],
        className,
      )}
      {...rest}
    >
      {loading ? <Spinner className="size-3.5" /> : null}
      {children}
    </button>
  );
}
