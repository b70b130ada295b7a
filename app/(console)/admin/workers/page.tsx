import Link from "next/link";
import { notFound } from "next/navigation";
import { InstanceTabs } from "@/components/admin/tabs";
import { utc } from "@/components/when";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { leaseMs, serverEnv } from "@/lib/env";
import { isInstanceAdmin } from "@/lib/access/instance-admin";
import { listWorkers } from "@/lib/worker/list-workers";
import { serviceName } from "@/lib/config/service-name";

export const dynamic = "force-dynamic";
export const metadata = { title: "Workers · runops" };

export default async function WorkersPage() {
  const actor = await requirePageActor();
  const db = getDb();
  if (!(await isInstanceAdmin(db, actor))) notFound();
  const workers = await listWorkers(db, actor, leaseMs(serverEnv()));
  return (
    <main>
      <h1>Administration</h1>
      <InstanceTabs current="/admin/workers" />
      <h2>Workers</h2>
      <p className="muted">
        Each <code>runops worker</code> process heard from in the last day. A worker is <em>lost</em> when it
        has not renewed its lease for {leaseMs(serverEnv()) / 1000} s: its runs are ended as failed, and what
        they left running is ended when a worker starts again on that host. A worker claims only runs of
        environments of its pool (<code>runops worker --pool NAME</code>, default <code>default</code>).
      </p>
      {workers.length === 0 ? (
        <p role="status">No worker has run yet: runs wait until one starts (`npm run worker`).</p>
      ) : (
        <div className="table-scroll">
          <table aria-label="Workers">
            <thead>
              <tr>
                <th>Name</th>
                <th>Pool</th>
                <th>State</th>
                <th>Host</th>
                <th>Pid</th>
                <th>Version</th>
                <th>Commands run as</th>
                <th>Containment</th>
                <th>Concurrency</th>
                <th>Started</th>
                <th>Last heartbeat</th>
                <th>Runs in progress</th>
              </tr>
            </thead>
            <tbody>
              {workers.map((w) => (
                <tr key={w.id} aria-label={`${w.name} pid ${w.pid}`}>
                  <td>{w.name}</td>
                  <td>{w.pool}</td>
                  <td>
                    <span className={`badge worker-${w.state}`}>{w.state}</span>
                  </td>
                  <td>{w.host}</td>
                  <td>{w.pid}</td>
                  <td>{w.version}</td>
                  <td>
                    {w.runAs ?? (
                      <span className="error" title="Commands can read what the worker's user can read">
                        the worker&apos;s own user
                      </span>
                    )}
                  </td>
                  <td>{w.containment === "cgroup" ? "cgroup per run" : "process group + marker"}</td>
                  <td>
                    {w.runs.length} / {w.concurrency}
                  </td>
                  <td>{utc(w.startedAt)}</td>
                  <td>{w.stoppedAt ? `stopped ${utc(w.stoppedAt)}` : utc(w.heartbeatAt)}</td>
                  <td>
                    {w.runs.length === 0
                      ? "—"
                      : w.runs.map((r) => (
                          <div key={r.id}>
                            <Link href={`/runs/${r.id}`}>
                              {r.operation} on {serviceName(r.app, r.worker)}
                            </Link>{" "}
                            <span className="muted">
                              ({r.projectSlug}/{r.environmentName})
                            </span>
                          </div>
                        ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
