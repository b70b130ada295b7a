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
INSERT INTO "new_Run" ("app", "appDir", "cancelRequestedAt", "cancelRequestedBy", "command", "createdAt", "deploymentId", "environmentId", "exitCode", "finishedAt", "id", "leaseUntil", "logBytes", "logSeq", "logTruncated", "operation", "queueKey", "reason", "result", "role", "signal", "source", "startedAt", "state", "stopCommand", "timeoutSec", "triggeredById", "worker", "workerId") SELECT "app", "appDir", "cancelRequestedAt", "cancelRequestedBy", "command", "createdAt", "deploymentId", "environmentId", "exitCode", "finishedAt", "id", "leaseUntil", "logBytes", "logSeq", "logTruncated", "operation", "queueKey", "reason", "result", "role", "signal", "source", "startedAt", "state", "stopCommand", "timeoutSec", "triggeredById", "worker", "workerId" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_environmentId_id_idx" ON "Run"("environmentId", "id");
CREATE INDEX "Run_environmentId_operation_id_idx" ON "Run"("environmentId", "operation", "id");
CREATE INDEX "Run_state_queueKey_id_idx" ON "Run"("state", "queueKey", "id");
CREATE TABLE "new_LogChunk" (
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "stream" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "at" DATETIME NOT NULL,
    "lineStart" INTEGER NOT NULL DEFAULT 0,
    "newlines" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("runId", "seq"),
    CONSTRAINT "LogChunk_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_LogChunk" ("at", "data", "runId", "seq", "stream") SELECT "at", "data", "runId", "seq", "stream" FROM "LogChunk";
DROP TABLE "LogChunk";
ALTER TABLE "new_LogChunk" RENAME TO "LogChunk";
CREATE INDEX "LogChunk_runId_lineStart_idx" ON "LogChunk"("runId", "lineStart");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
