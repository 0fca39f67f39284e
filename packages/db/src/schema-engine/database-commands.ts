import pg from "pg";

/** An error carrying one of Prisma's user-facing codes (P1000, P1001, P1003, …). */
export class UserFacingError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = "UserFacingError";
  }
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  if (!name) throw new UserFacingError("P1013", "The database URL names no database.");
  return name;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

function toUserFacing(error: unknown, url: string): UserFacingError {
  const { code, message } = error as { code?: string; message?: string };
  const { hostname, port } = new URL(url);
  switch (code) {
    case "3D000":
      return new UserFacingError(
        "P1003",
        `Database \`${databaseName(url)}\` does not exist on the database server at \`${hostname}:${port}\`.`,
      );
    case "28P01":
    case "28000":
      return new UserFacingError(
        "P1000",
        `Authentication failed against database server at \`${hostname}\`, the provided database credentials are not valid.`,
      );
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "ETIMEDOUT":
      return new UserFacingError(
        "P1001",
        `Can't reach database server at \`${hostname}:${port}\`. (${message ?? code})`,
      );
    default:
      return new UserFacingError("P1000", message ?? String(error));
  }
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw toUserFacing(error, url);
  }
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function canConnectToDatabase(url: string): Promise<void> {
  await withClient(url, async () => undefined);
}

/** Creates the database the URL names, connecting through the `postgres` maintenance database. */
export async function createDatabase(url: string): Promise<string> {
  const name = databaseName(url);
  await withClient(withDatabase(url, "postgres"), async (client) => {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error) => {
      if ((error as { code?: string }).code === "42P04") {
        throw new UserFacingError("P1009", `Database \`${name}\` already exists.`);
      }
      throw error;
    });
  });
  return name;
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withClient(withDatabase(url, "postgres"), async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}
