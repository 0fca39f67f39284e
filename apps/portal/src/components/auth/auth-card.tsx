import type { ReactNode } from "react";
import { BerthMark } from "@/components/icons";

/** The centred frame of the login and sign-up pages. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="relative flex min-h-dvh flex-col items-center justify-center overflow-hidden px-4 py-12">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-x-0 top-0 -z-10 h-[420px] bg-[radial-gradient(ellipse_60%_60%_at_50%_0%,rgb(14_165_233/0.16),transparent)]"
      />
      <div className="mb-8 flex items-center gap-2.5">
        <BerthMark className="size-9 text-sky-400" />
        <span className="text-xl font-semibold tracking-tight text-zinc-50">Berth</span>
      </div>
      <div className="w-full max-w-sm rounded-xl border border-line bg-surface p-7 shadow-2xl shadow-black/40">
        <h1 className="text-lg font-semibold tracking-tight text-zinc-50">{title}</h1>
        {subtitle ? <p className="mt-1 text-sm text-zinc-400">{subtitle}</p> : null}
        <div className="mt-6">{children}</div>
      </div>
      {footer ? <div className="mt-6 text-sm text-zinc-400">{footer}</div> : null}
    </div>
  );
}
