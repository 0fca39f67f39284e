-- AlterTable
ALTER TABLE "Server" ADD COLUMN     "observedSince" BIGINT NOT NULL DEFAULT 0;
