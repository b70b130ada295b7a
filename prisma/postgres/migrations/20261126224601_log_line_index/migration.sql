-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "logLines" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "LogChunk" ADD COLUMN     "lineStart" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "newlines" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "LogChunk_runId_lineStart_idx" ON "LogChunk"("runId", "lineStart");
