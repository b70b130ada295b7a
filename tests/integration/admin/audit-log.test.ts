import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { listInstanceAudit } from "../../../lib/audit/list-instance-audit";
import { listProjectAudit } from "../../../lib/audit/list-project-audit";
import { recordAudit } from "../../../lib/audit/record-audit";
import { pauseEnvironment } from "../../../lib/environments/pause-environment";
import { resumeEnvironment } from "../../../lib/environments/resume-environment";
import { renameProject } from "../../../lib/projects/rename-project";
import { cancelRun } from "../../../lib/runs/cancel-run";
import { startRun } from "../../../lib/runs/start-run";
import { BACKENDS, type Fixture, freshDatabase, seedFixture } from "../../support/harness";
import { ADMIN_CONFIG, cast, refusal } from "./support";

describe.each(BACKENDS)("reading the audit log on %s", (provider) => {
  let db: Db;
  let fx: Fixture;
  let who: Awaited<ReturnType<typeof cast>>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "admin_audit");
    db = fresh.db;
    fx = await seedFixture(db, ADMIN_CONFIG);
    who = await cast(db, fx);
    // A little history: runs, a refusal, environment changes.
    const run = await startRun(db, who.contributor, {
      environmentId: fx.env.id,
      app: "web",
      operation: "wait",
    });
    await cancelRun(db, who.contributor, run.id);
    await refusal(renameProject(db, who.viewer, { projectId: fx.project.id, name: "Mine now" }));
    for (let i = 0; i < 3; i++) {
      await pauseEnvironment(db, who.projectAdmin, fx.env.id);
      await resumeEnvironment(db, who.projectAdmin, fx.env.id);
    }
    await recordAudit(db, {
      projectId: null,
      actor: null,
      actorLabel: "ghost@x.dev",
      action: "auth.signin_failed",
    });
    cleanup = async () => {
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  const read = (filters: Parameters<typeof listProjectAudit>[3] = {}) =>
    listProjectAudit(db, who.projectAdmin, fx.project.id, filters);

  it("shows who did what, when and from where, newest first", async () => {
    const { events, actors } = await read();
    // The oldest four, at the end of the newest-first list.
    expect(events.map((e) => e.action).slice(-4)).toEqual([
      "environment.paused",
      "access.denied",
      "run.cancelled",
      "run.triggered",
    ]);
    expect(events[0]).toMatchObject({
      action: "environment.resumed",
      actor: who.projectAdmin.email,
      source: "console",
      ip: "203.0.113.7",
    });
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort().reverse());
    const triggered = events.find((e) => e.action === "run.triggered");
    expect(triggered?.details).toMatchObject({ operation: "wait", environment: "feature-x" });
    expect(actors).toEqual([who.contributor.email, who.projectAdmin.email, who.viewer.email].sort());
    // Instance-wide events are not in a project's log.
    expect(events.some((e) => e.action === "auth.signin_failed")).toBe(false);
  });

  it("filters by action, action group, actor and dates", async () => {
    expect((await read({ action: "run.cancelled" })).events.map((e) => e.action)).toEqual(["run.cancelled"]);
    expect((await read({ action: "run.*" })).events.map((e) => e.action)).toEqual([
      "run.cancelled",
      "run.triggered",
    ]);
    expect((await read({ action: "environment.paused" })).events).toHaveLength(3);
    const byViewer = await read({ actor: who.viewer.email });
    expect(byViewer.events.map((e) => [e.action, e.target])).toEqual([["access.denied", "project settings"]]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await read({ from: today, to: today })).events.length).toBe((await read()).events.length);
    expect((await read({ to: "2001-01-01" })).events).toEqual([]);
    expect((await read({ from: "2999-01-01" })).events).toEqual([]);
    await expect(read({ from: "2026-02-01", to: "2026-01-01" })).rejects.toMatchObject({
      issues: [expect.objectContaining({ message: "The end date is before the start date" })],
    });
  });

  it("pages by keyset without gaps or repeats, also under a filter", async () => {
    const all = (await read()).events.map((e) => e.id);
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await read({ limit: 3, before });
      seen.push(...page.events.map((e) => e.id));
      if (!page.nextCursor) break;
      before = page.nextCursor;
    }
    expect(seen).toEqual(all);
    const first = await read({ action: "environment.*", limit: 4 });
    const second = await read({ action: "environment.*", limit: 4, before: first.nextCursor ?? undefined });
    expect(first.events).toHaveLength(4);
    expect(second.events).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
  });

  it("is for project admins: 403 for other members, 404 outside", async () => {
    for (const role of ["envAdmin", "contributor", "viewer"] as const) {
      expect((await refusal(listProjectAudit(db, who[role], fx.project.id, {}))).status).toBe(403);
    }
    for (const role of ["outsider", "instanceAdmin"] as const) {
      expect((await refusal(listProjectAudit(db, who[role], fx.project.id, {}))).status).toBe(404);
    }
  });

  it("shows instance-wide events (sign-ins, tokens, accounts) to instance admins only", async () => {
    const { events } = await listInstanceAudit(db, who.instanceAdmin, {});
    expect(events.map((e) => e.action)).toEqual(["auth.signin_failed"]);
    expect(events[0]?.actor).toBe("ghost@x.dev");
    expect(await refusal(listInstanceAudit(db, who.projectAdmin, {}))).toMatchObject({ status: 403 });
    const after = await listInstanceAudit(db, who.instanceAdmin, { action: "access.*" });
    // The refusal just above is itself on record.
    expect(after.events.map((e) => [e.actor, e.target])).toEqual([
      [who.projectAdmin.email, "instance audit log"],
    ]);
  });
});
