-- AlterTable
ALTER TABLE "Run" ADD COLUMN "repeatOfId" TEXT;
