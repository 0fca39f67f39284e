import { addRuntimeVersion } from "../../services/runtimes/add-runtime-version";
import { createRuntime } from "../../services/runtimes/create-runtime";
import { getRuntimeCatalog } from "../../services/runtimes/get-runtime-catalog";
import { listRuntimes } from "../../services/runtimes/list-runtimes";
import { setDefaultRuntimeVersion } from "../../services/runtimes/set-default-runtime-version";
import { updateRuntime } from "../../services/runtimes/update-runtime";
import { updateRuntimeVersion } from "../../services/runtimes/update-runtime-version";
import { verifyRuntimeVersion } from "../../services/runtimes/verify-runtime-version";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../../trpc";
import {
  AddRuntimeVersionInput,
  CreateRuntimeInput,
  RuntimeVersionIdInput,
  UpdateRuntimeInput,
  UpdateRuntimeVersionInput,
} from "./runtime.schema";

export const runtimesRouter = createTRPCRouter({
  /** Anyone signed in: what the create-server form offers. */
  catalog: protectedProcedure.query(({ ctx }) => getRuntimeCatalog({ prisma: ctx.prisma })),

  list: adminProcedure.query(({ ctx }) => listRuntimes({ prisma: ctx.prisma })),

  create: adminProcedure
    .input(CreateRuntimeInput)
    .mutation(({ ctx, input }) =>
      createRuntime({ prisma: ctx.prisma, actor: ctx.actor, ...input }),
    ),

  update: adminProcedure
    .input(UpdateRuntimeInput)
    .mutation(({ ctx, input }) =>
      updateRuntime({ prisma: ctx.prisma, actor: ctx.actor, ...input }),
    ),

  addVersion: adminProcedure
    .input(AddRuntimeVersionInput)
    .mutation(
      ({ ctx, input: { runtimeId, version, artifactUrl, sha256, sizeBytes, binPath, ...flags } }) =>
        addRuntimeVersion({
          prisma: ctx.prisma,
          actor: ctx.actor,
          publicUrl: ctx.publicUrl,
          runtimeId,
          version,
          artifact: { artifactUrl, sha256, sizeBytes, binPath },
          ...flags,
        }),
    ),

  updateVersion: adminProcedure
    .input(UpdateRuntimeVersionInput)
    .mutation(
      ({
        ctx,
        input: { versionId, artifactUrl, sha256, sizeBytes, binPath, enabled, deprecated },
      }) =>
        updateRuntimeVersion({
          prisma: ctx.prisma,
          actor: ctx.actor,
          publicUrl: ctx.publicUrl,
          versionId,
          artifact: { artifactUrl, sha256, sizeBytes, binPath },
          enabled,
          deprecated,
        }),
    ),

  setDefaultVersion: adminProcedure.input(RuntimeVersionIdInput).mutation(({ ctx, input }) =>
    setDefaultRuntimeVersion({
      prisma: ctx.prisma,
      actor: ctx.actor,
      versionId: input.versionId,
    }),
  ),
  /** Downloads the artifact and checks it against the stored sha256 and size; audited. */
  verifyVersion: adminProcedure.input(RuntimeVersionIdInput).mutation(({ ctx, input }) =>
    verifyRuntimeVersion({
      prisma: ctx.prisma,
      actor: ctx.actor,
      artifacts: ctx.artifacts,
      publicUrl: ctx.publicUrl,
      versionId: input.versionId,
    }),
  ),
});
