import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export interface CreatePrismaClientOptions {
  /** Size of the pg pool behind the client (pg's default is 10). */
  maxConnections?: number;
}

/** A Prisma client over node-postgres (Prisma 7's query compiler is wasm: no engine binary). */
export function createPrismaClient(
  databaseUrl: string,
  options: CreatePrismaClientOptions = {},
): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.maxConnections });
  return new PrismaClient({ adapter });
}
