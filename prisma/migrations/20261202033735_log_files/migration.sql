-- Log bytes move to a file per run (decision 0013): each chunk records its size and where it is in the file.
-- AlterTable
ALTER TABLE "LogChunk" ADD COLUMN "size" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "LogChunk" ADD COLUMN "offset" BIGINT;
-- Chunks stored before keep their bytes in "data"
UPDATE "LogChunk" SET "size" = length("data");
