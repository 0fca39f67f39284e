-- AlterTable
ALTER TABLE "Server" ADD COLUMN     "codeServerMessage" TEXT,
ADD COLUMN     "codeServerSince" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "codeServerState" TEXT;
