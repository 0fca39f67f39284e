import type { InputHTMLAttributes, ReactNode } from "react";
import { cn } from "@/lib/cn";

export function Input({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  return (
    <input
      className={cn(
        "block h-9 w-full rounded-md border border-line bg-canvas px-3 text-sm text-zinc-100 placeholder:text-zinc-500",
        "transition-colors focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 focus:outline-none",
        "disabled:opacity-60 aria-invalid:border-red-500/70",
        className,
      )}
      {...rest}
    />
  );
}

/** A labelled control; an error (linked by `${htmlFor}-error`) takes the place of the hint. */
export function Field({
  label,
  htmlFor,
  hint,
  error,
  children,
}: {
  label: string;
  htmlFor: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={htmlFor} className="block text-sm font-medium text-zinc-300">
        {label}
      </label>
      {children}
      {error ? (
        <p
          id={`${htmlFor}-error`}
          className="text-xs text-red-300"
          data-testid={`${htmlFor}-error`}
        >
          {error}
        </p>
      ) : hint ? (
        <p className="text-xs text-zinc-500">{hint}</p>
      ) : null}
    </div>
  );
}

/** Marks a control invalid and points it at its Field's error text. */
export function errorProps(id: string, error: string | undefined) {
  return error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {};
}

/** An error shown next to a form; `role="alert"` so screen readers announce it. */
export function FormError({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div
      role="alert"
      data-testid={testId}
      className="rounded-md border border-red-500/30 bg-red-500/10 px-3 py-2 text-sm text-red-200"
    >
      {children}
    </div>
  );
}
