"use client";

import { useEffect, useState } from "react";
import { formatAbsolute, formatRelative } from "@/lib/relative-time";

/** "12s ago" that keeps ticking; the exact time is in the tooltip. */
export function RelativeTime({
  date,
  fallback = "—",
  testId,
}: {
  date: Date | null;
  fallback?: string;
  testId?: string;
}) {
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!date) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [date]);

  if (!date) {
    return (
      <span className="text-zinc-500" data-testid={testId}>
        {fallback}
      </span>
    );
  }
  return (
    <time
      dateTime={date.toISOString()}
      title={formatAbsolute(date)}
      data-testid={testId}
      suppressHydrationWarning
    >
      {formatRelative(date, now)}
    </time>
  );
}
