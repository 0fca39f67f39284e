import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Every path is derived from this file's location, never from the process's cwd.
const srcDir = path.dirname(fileURLToPath(import.meta.url));

export const packageDir = path.resolve(srcDir, "..");
export const repoRoot = path.resolve(packageDir, "..", "..");
export const prismaDir = path.join(repoRoot, "prisma");
export const schemaPath = path.join(prismaDir, "schema.prisma");
export const migrationsDir = path.join(prismaDir, "migrations");
export const prismaConfigPath = path.join(repoRoot, "prisma.config.ts");

/** The stdio JSON-RPC schema engine the Prisma CLI runs (PRISMA_SCHEMA_ENGINE_BINARY). */
export const schemaEngineBin = path.join(packageDir, "bin", "schema-engine");

const require = createRequire(import.meta.url);

/** Entry point of the real Prisma CLI installed in node_modules. */
export function prismaCliEntry(): string {
  return path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");
}
