-- AlterTable
ALTER TABLE "Server" ADD COLUMN     "provisionMessage" TEXT;
