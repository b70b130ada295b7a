-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "appEnv" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "environmentName" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "environmentType" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "projectSlug" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "targetHost" TEXT,
ADD COLUMN     "targetKind" TEXT NOT NULL DEFAULT 'local',
ADD COLUMN     "targetPath" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "workerLabel" TEXT;

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "runAs" TEXT,
    "containment" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,
    "stoppedAt" TIMESTAMP(3),

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Worker_heartbeatAt_idx" ON "Worker"("heartbeatAt");
