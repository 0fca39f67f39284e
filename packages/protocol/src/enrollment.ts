import { z } from "zod";

/** POST /api/agent/enroll: an agent trades its one-time token for a node credential. */
export const EnrollRequest = z.object({
  token: z.string().min(16).max(256),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export const EnrollResponse = z.object({
  nodeId: z.string(),
  name: z.string(),
  credential: z.string(),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

export const ENROLL_PATH = "/api/agent/enroll";
export const AGENT_NAMESPACE = "/agent";
export const BROWSER_NAMESPACE = "/browser";
