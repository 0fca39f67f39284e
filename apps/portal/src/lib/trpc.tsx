"use client";

import type { AppRouter } from "@berth/api";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchStreamLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import { errorCode, toastError } from "./toast-error";

/** Per query or mutation: `meta: { silentError: true }` when the component shows the error itself. */
interface BerthMeta extends Record<string, unknown> {
  silentError?: boolean;
}

declare module "@tanstack/react-query" {
  interface Register {
    queryMeta: BerthMeta;
    mutationMeta: BerthMeta;
  }
}

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** Errors that a retry cannot fix. */
const FINAL_CODES = new Set([
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "TOO_MANY_REQUESTS",
  "PRECONDITION_FAILED",
]);

function handleError(error: unknown, meta: BerthMeta | undefined): void {
  if (errorCode(error) === "UNAUTHORIZED" && typeof window !== "undefined") {
    // The session ended (expired, signed out elsewhere, user disabled): back to the login page.
    const back = window.location.pathname + window.location.search;
    if (!window.location.pathname.startsWith("/login")) {
      window.location.assign(`/login?callbackUrl=${encodeURIComponent(back)}`);
      return;
    }
  }
  if (!meta?.silentError) toastError(error);
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => handleError(error, query.meta),
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => handleError(error, mutation.meta),
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failureCount, error) => {
          const code = errorCode(error);
          if (code && FINAL_CODES.has(code)) return false;
          return failureCount < 2;
        },
      },
      mutations: { retry: false },
    },
  });
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        httpBatchStreamLink({
          url: "/api/trpc",
          transformer: superjson,
          headers: () => ({ "x-trpc-source": "portal-browser" }),
        }),
      ],
    }),
  );

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
