// Services the portal's own server calls directly (agent link, login, start-up), outside tRPC.
export { AppError, isAppError } from "../lib/app-error";
export { authenticateUser, LOGIN_FAILURE_LIMIT } from "./users/authenticate-user";
export { ensureAdmin } from "./users/ensure-admin";
export { createUser } from "./users/create-user";
export { createNode, issueEnrollmentToken } from "./nodes/create-node";
export { enrollNode } from "./nodes/enroll-node";
export { authenticateNode } from "./nodes/authenticate-node";
export { revokeNode } from "./nodes/revoke-node";
export { listNodes } from "./nodes/list-nodes";
export { toNodeView, type NodeView } from "./nodes/node-view";
export {
  markNodeOnline,
  markNodeSeen,
  markNodeOffline,
  sweepStaleNodes,
} from "./nodes/node-presence";
export { systemActor, type Actor } from "./actor";
export { ensureBuiltinTemplates } from "./templates/builtin-templates";
export { loadServerFor } from "./servers/server-access";
export {
  recordCodeServerStatus,
  recordServerProgress,
  recordServerState,
} from "./servers/record-server-events";
export { reconcileNode, redispatchStuckProvisioning } from "./servers/reconcile-node";
export { provisionServer } from "./servers/provision-server";
export { createSecretBox, type SecretBox } from "../lib/secret-box";
export { createNodeGrants, type NodeGrants } from "../lib/node-grants";
export {
  createIdeLinks,
  ideKeys,
  IDE_SESSION_TTL_S,
  type IdeLinks,
  type IdeSessionClaims,
  type IdeTokenProblem,
} from "../lib/ide-links";
export { recordCrash, type CrashedServer, type RecordCrashOutcome } from "./crashes/record-crash";
export type { CrashView } from "./crashes/crash-view";
export { notifyCrashWebhook } from "./webhooks/notify-crash";
export { DEFAULT_DELIVERY, type DeliveryOptions } from "./webhooks/deliver-webhook";
export { StatsDownsampler, STAT_RESOLUTIONS } from "./stats/downsample";
export { writeStatRows } from "./stats/write-stats";
export { pruneStats } from "./stats/prune-stats";
export { ArtifactStore, isArtifactHash } from "../lib/artifact-store";
export { TooLargeError } from "../lib/sha256-meter";
export { ARTIFACTS_PATH, storedArtifactUrl } from "./runtimes/stored-artifact-url";
