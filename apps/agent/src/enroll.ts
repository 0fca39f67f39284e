import { ENROLL_PATH, EnrollResponse, WireError } from "@berth/protocol";
import type { EnrolledConfigFile } from "./config";
import { writeFileAtomic } from "./write-file-atomic";

export class EnrollError extends Error {}

/** Trades a one-time token for a node credential and stores it (mode 0600). */
export async function enroll({
  portalUrl,
  token,
  configFile,
}: {
  portalUrl: string;
  token: string;
  configFile: string;
}): Promise<EnrolledConfigFile> {
  const base = portalUrl.replace(/\/$/, "");
  let response: Response;
  try {
    response = await fetch(`${base}${ENROLL_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new EnrollError(`Cannot reach the portal at ${base}: ${(err as Error).message}`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = WireError.safeParse(body);
    throw new EnrollError(
      `Enrollment refused: ${error.success ? error.data.message : `HTTP ${response.status}`}`,
    );
  }
  const enrolled = EnrollResponse.parse(body);
  const config: EnrolledConfigFile = {
    portalUrl: base,
    nodeId: enrolled.nodeId,
    nodeName: enrolled.name,
    credential: enrolled.credential,
  };
  await writeFileAtomic(configFile, `${JSON.stringify(config, null, 2)}\n`, 0o600);
  return config;
}
