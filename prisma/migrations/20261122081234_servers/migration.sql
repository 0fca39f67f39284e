-- AlterTable
ALTER TABLE "Server" ADD COLUMN     "provisionPercent" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "requestId" TEXT;

-- AlterTable
ALTER TABLE "Template" ADD COLUMN     "capabilities" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE UNIQUE INDEX "Server_requestId_key" ON "Server"("requestId");
