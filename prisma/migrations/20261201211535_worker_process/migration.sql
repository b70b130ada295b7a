-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "runAs" TEXT,
    "containment" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" DATETIME NOT NULL,
    "stoppedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "environmentId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "app" TEXT NOT NULL,
    "worker" TEXT,
    "operation" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "stopCommand" TEXT,
    "timeoutSec" INTEGER,
    "appDir" TEXT NOT NULL,
    "projectSlug" TEXT NOT NULL DEFAULT '',
    "environmentName" TEXT NOT NULL DEFAULT '',
    "environmentType" TEXT NOT NULL DEFAULT '',
    "appEnv" TEXT NOT NULL DEFAULT '{}',
    "targetKind" TEXT NOT NULL DEFAULT 'local',
    "targetHost" TEXT,
    "targetPath" TEXT NOT NULL DEFAULT '',
    "queueKey" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "result" TEXT,
    "exitCode" INTEGER,
    "signal" TEXT,
    "reason" TEXT,
    "source" TEXT NOT NULL,
    "triggeredById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "workerId" TEXT,
    "workerLabel" TEXT,
    "leaseUntil" DATETIME,
    "cancelRequestedAt" DATETIME,
    "cancelRequestedBy" TEXT,
    "logSeq" INTEGER NOT NULL DEFAULT 0,
    "logBytes" BIGINT NOT NULL DEFAULT 0,
    "logLines" INTEGER NOT NULL DEFAULT 0,
    "logTruncated" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Run_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Run_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Run_triggeredById_fkey" FOREIGN KEY ("triggeredById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Run" ("app", "appDir", "cancelRequestedAt", "cancelRequestedBy", "command", "createdAt", "deploymentId", "environmentId", "exitCode", "finishedAt", "id", "leaseUntil", "logBytes", "logLines", "logSeq", "logTruncated", "operation", "queueKey", "reason", "result", "role", "signal", "source", "startedAt", "state", "stopCommand", "timeoutSec", "triggeredById", "worker", "workerId") SELECT "app", "appDir", "cancelRequestedAt", "cancelRequestedBy", "command", "createdAt", "deploymentId", "environmentId", "exitCode", "finishedAt", "id", "leaseUntil", "logBytes", "logLines", "logSeq", "logTruncated", "operation", "queueKey", "reason", "result", "role", "signal", "source", "startedAt", "state", "stopCommand", "timeoutSec", "triggeredById", "worker", "workerId" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_environmentId_id_idx" ON "Run"("environmentId", "id");
CREATE INDEX "Run_environmentId_operation_id_idx" ON "Run"("environmentId", "operation", "id");
CREATE INDEX "Run_state_queueKey_id_idx" ON "Run"("state", "queueKey", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Worker_heartbeatAt_idx" ON "Worker"("heartbeatAt");
