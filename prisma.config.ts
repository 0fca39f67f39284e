import { defineConfig } from "prisma/config";

// The CLI runs offline: packages/db/bin/schema-engine (the wasm schema engine) stands in for the
// native engine; use `npm run db:generate` / `npm run db:migrate:new -- <name>`, which set it up.
// Without SHADOW_DATABASE_URL, the engine creates (and drops) a temporary shadow database on the
// DATABASE_URL server.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/berth",
    ...(process.env.SHADOW_DATABASE_URL
      ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL }
      : {}),
  },
});
