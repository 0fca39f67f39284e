"use client";

import { useSearchParams } from "next/navigation";
import { useCallback } from "react";
import { withParams } from "@/lib/files/url-params";

/**
 * Query-string state of the server page. Changes go through the History API, which Next's router
 * follows (useSearchParams updates) without a round trip to the server.
 */
export function useSearchState() {
  const params = useSearchParams();
  const set = useCallback(
    (changes: Record<string, string | null>, mode: "push" | "replace" = "push") => {
      const url = `${window.location.pathname}${withParams(window.location.search, changes)}`;
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [],
  );
  return { get: (name: string) => params.get(name), set };
}
