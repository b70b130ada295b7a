-- Each chunk records its size (decision 0013), so a page is bounded without reading the bytes.
-- AlterTable
ALTER TABLE "LogChunk" ADD COLUMN     "offset" BIGINT,
ADD COLUMN     "size" INTEGER NOT NULL DEFAULT 0;
-- Chunks stored before
UPDATE "LogChunk" SET "size" = length("data");
