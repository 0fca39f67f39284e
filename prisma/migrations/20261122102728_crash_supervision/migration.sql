-- AlterTable
ALTER TABLE "CrashEvent" ADD COLUMN     "crashId" TEXT,
ADD COLUMN     "crashLoop" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "oomKilled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "subject" TEXT;

-- AlterTable
ALTER TABLE "Server" ADD COLUMN     "autoRestart" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "crashLoopAfter" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "restartAt" TIMESTAMP(3),
ADD COLUMN     "restartDelaysS" INTEGER[] DEFAULT ARRAY[30, 60, 120]::INTEGER[],
ADD COLUMN     "restartResetS" INTEGER NOT NULL DEFAULT 30;

-- AlterTable
ALTER TABLE "Template" ADD COLUMN     "liveness" JSONB;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "webhookSecretEnc" TEXT,
ADD COLUMN     "webhookUrl" TEXT;

-- CreateTable
CREATE TABLE "ServerStat" (
    "id" BIGSERIAL NOT NULL,
    "serverId" TEXT NOT NULL,
    "resolutionS" INTEGER NOT NULL,
    "bucketAt" TIMESTAMP(3) NOT NULL,
    "samples" INTEGER NOT NULL DEFAULT 1,
    "cpuPercent" DOUBLE PRECISION NOT NULL,
    "memoryBytes" BIGINT NOT NULL,
    "memoryLimitBytes" BIGINT NOT NULL,
    "rxRate" DOUBLE PRECISION NOT NULL,
    "txRate" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ServerStat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ServerStat_bucketAt_idx" ON "ServerStat"("bucketAt");

-- CreateIndex
CREATE UNIQUE INDEX "ServerStat_serverId_resolutionS_bucketAt_key" ON "ServerStat"("serverId", "resolutionS", "bucketAt");

-- CreateIndex
CREATE UNIQUE INDEX "CrashEvent_crashId_key" ON "CrashEvent"("crashId");

-- AddForeignKey
ALTER TABLE "ServerStat" ADD CONSTRAINT "ServerStat_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;
