import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { getSession } from "@/lib/session";
import "./globals.css";

// Every page reads the session (per request), so nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Berth", template: "%s · Berth" },
  description: "Game servers and dev containers on your own nodes.",
};

export const viewport: Viewport = {
  themeColor: "#0f1115",
  colorScheme: "dark",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await getSession();
  return (
    <html lang="en" className="dark">
      <body className="min-h-dvh font-sans">
        <Providers session={session}>{children}</Providers>
      </body>
    </html>
  );
}
