import { notFound } from "next/navigation";
import { InstanceAdminButton } from "@/components/admin/instance-admin-button";
import { InstanceTabs } from "@/components/admin/tabs";
import { utc } from "@/components/when";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { serverEnv } from "@/lib/env";
import { listUsers } from "@/lib/users/list-users";
import { isInstanceAdmin } from "@/lib/access/instance-admin";

export const dynamic = "force-dynamic";
export const metadata = { title: "Users · runops" };

export default async function UsersPage() {
  const actor = await requirePageActor();
  const db = getDb();
  if (!(await isInstanceAdmin(db, actor))) notFound();
  const users = await listUsers(db, actor);
  const signup = serverEnv().RUNOPS_ALLOW_SIGNUP === "1";
  return (
    <main>
      <h1>Administration</h1>
      <InstanceTabs current="/admin/users" />
      <h2>Users</h2>
      <p className="muted">
        {signup
          ? "Self sign-up is on (RUNOPS_ALLOW_SIGNUP=1): anyone who reaches the console can create an account."
          : "Self sign-up is off: people join through a project's invitation link, or a project admin adds an existing account."}
      </p>
      <table aria-label="Users">
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Instance role</th>
            <th>Projects</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} aria-label={u.email}>
              <td>{u.email}</td>
              <td>{u.name}</td>
              <td>{u.isAdmin ? <span className="badge">instance admin</span> : "user"}</td>
              <td>{u.projectCount}</td>
              <td>{utc(u.createdAt)}</td>
              <td>
                <InstanceAdminButton userId={u.id} email={u.email} isAdmin={u.isAdmin} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
