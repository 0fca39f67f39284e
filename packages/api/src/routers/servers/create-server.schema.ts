import { z } from "zod";

const Limits = {
  name: z.string().trim().min(1, "Enter a name.").max(64),
  memoryMb: z.number().int().min(64, "At least 64 MB.").max(262_144),
  cpuPercent: z.number().int().min(10).max(6400).default(100),
  diskMb: z.number().int().min(256).max(4_194_304).default(10_240),
  /** Lets a client retry a create safely: the same id returns the first result. */
  requestId: z.uuid().optional(),
};

export const CreateServerInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("game"),
    templateId: z.string().min(1, "Choose a template."),
    ...Limits,
  }),
  z.object({
    kind: z.literal("dev"),
    /** Omitted: a plain Debian dev container with no runtime installed. */
    runtimeVersionId: z.string().min(1).optional(),
    codeServer: z.boolean().default(false),
    ...Limits,
  }),
]);

export const ServerIdInput = z.object({ serverId: z.string().min(1).max(64) });

export const TransferServerInput = ServerIdInput.extend({
  toEmail: z.string().trim().min(3, "Enter the new owner's email.").max(254),
});

export const PowerServerInput = ServerIdInput.extend({
  action: z.enum(["start", "stop", "restart", "kill"]),
});

export const CodeServerActionInput = ServerIdInput.extend({
  action: z.enum(["start", "stop", "restart"], {
    error: 'action: must be "start", "stop" or "restart"',
  }),
});

export const UpdateRuntimeInput = ServerIdInput.extend({
  /** null: no runtime (plain Debian). */
  runtimeVersionId: z.string().min(1).max(64).nullable(),
});
