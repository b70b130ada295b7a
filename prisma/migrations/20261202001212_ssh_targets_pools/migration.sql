-- CreateTable
CREATE TABLE "ProjectKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "privateKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProjectKey_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Environment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "targetKind" TEXT NOT NULL DEFAULT 'local',
    "targetHost" TEXT,
    "targetPath" TEXT NOT NULL,
    "targetHostKey" TEXT,
    "pool" TEXT NOT NULL DEFAULT 'default',
    "currentDeploymentId" TEXT,
    "deletedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Environment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Environment_currentDeploymentId_fkey" FOREIGN KEY ("currentDeploymentId") REFERENCES "Deployment" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Environment" ("createdAt", "currentDeploymentId", "deletedAt", "id", "name", "projectId", "status", "targetHost", "targetKind", "targetPath", "type") SELECT "createdAt", "currentDeploymentId", "deletedAt", "id", "name", "projectId", "status", "targetHost", "targetKind", "targetPath", "type" FROM "Environment";
DROP TABLE "Environment";
ALTER TABLE "new_Environment" RENAME TO "Environment";
CREATE UNIQUE INDEX "Environment_currentDeploymentId_key" ON "Environment"("currentDeploymentId");
CREATE UNIQUE INDEX "Environment_projectId_name_key" ON "Environment"("projectId", "name");
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
    "targetHostKey" TEXT,
    "projectId" TEXT NOT NULL DEFAULT '',
    "pool" TEXT NOT NULL DEFAULT 'default',
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
INSERT INTO "new_Run" ("app", "appDir", "appEnv", "cancelRequestedAt", "cancelRequestedBy", "command", "createdAt", "deploymentId", "environmentId", "environmentName", "environmentType", "exitCode", "finishedAt", "id", "leaseUntil", "logBytes", "logLines", "logSeq", "logTruncated", "operation", "projectSlug", "queueKey", "reason", "result", "role", "signal", "source", "startedAt", "state", "stopCommand", "targetHost", "targetKind", "targetPath", "timeoutSec", "triggeredById", "worker", "workerId", "workerLabel") SELECT "app", "appDir", "appEnv", "cancelRequestedAt", "cancelRequestedBy", "command", "createdAt", "deploymentId", "environmentId", "environmentName", "environmentType", "exitCode", "finishedAt", "id", "leaseUntil", "logBytes", "logLines", "logSeq", "logTruncated", "operation", "projectSlug", "queueKey", "reason", "result", "role", "signal", "source", "startedAt", "state", "stopCommand", "targetHost", "targetKind", "targetPath", "timeoutSec", "triggeredById", "worker", "workerId", "workerLabel" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_environmentId_id_idx" ON "Run"("environmentId", "id");
CREATE INDEX "Run_environmentId_operation_id_idx" ON "Run"("environmentId", "operation", "id");
CREATE INDEX "Run_state_queueKey_id_idx" ON "Run"("state", "queueKey", "id");
CREATE INDEX "Run_pool_state_id_idx" ON "Run"("pool", "state", "id");
CREATE TABLE "new_Worker" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "runAs" TEXT,
    "containment" TEXT NOT NULL,
    "pool" TEXT NOT NULL DEFAULT 'default',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" DATETIME NOT NULL,
    "stoppedAt" DATETIME
);
INSERT INTO "new_Worker" ("concurrency", "containment", "heartbeatAt", "host", "id", "name", "pid", "runAs", "startedAt", "stoppedAt", "version") SELECT "concurrency", "containment", "heartbeatAt", "host", "id", "name", "pid", "runAs", "startedAt", "stoppedAt", "version" FROM "Worker";
DROP TABLE "Worker";
ALTER TABLE "new_Worker" RENAME TO "Worker";
CREATE INDEX "Worker_heartbeatAt_idx" ON "Worker"("heartbeatAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ProjectKey_projectId_status_key" ON "ProjectKey"("projectId", "status");
