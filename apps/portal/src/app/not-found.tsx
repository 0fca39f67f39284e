import Link from "next/link";
import { BerthMark } from "@/components/icons";

export default function NotFound() {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center px-4 text-center">
      <BerthMark className="size-10 text-sky-400" />
      <p className="mt-6 text-sm font-medium text-sky-400">404</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-2 text-sm text-zinc-400">There is nothing moored at this address.</p>
      <Link
        href="/"
        className="mt-6 inline-flex h-9 items-center rounded-md bg-sky-500 px-4 text-sm font-medium text-zinc-950 hover:bg-sky-400"
      >
        Go home
      </Link>
    </div>
  );
}
