-- AlterTable
ALTER TABLE "Environment" ADD COLUMN     "pool" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN     "targetHostKey" TEXT;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "pool" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN     "projectId" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "targetHostKey" TEXT;

-- AlterTable
ALTER TABLE "Worker" ADD COLUMN     "pool" TEXT NOT NULL DEFAULT 'default';

-- CreateTable
CREATE TABLE "ProjectKey" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "privateKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProjectKey_projectId_status_key" ON "ProjectKey"("projectId", "status");

-- CreateIndex
CREATE INDEX "Run_pool_state_id_idx" ON "Run"("pool", "state", "id");

-- AddForeignKey
ALTER TABLE "ProjectKey" ADD CONSTRAINT "ProjectKey_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
