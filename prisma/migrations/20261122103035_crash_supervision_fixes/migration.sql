-- AlterTable
ALTER TABLE "CrashEvent" ALTER COLUMN "uptimeMs" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "Server" ADD COLUMN     "specPendingSince" TIMESTAMP(3);
