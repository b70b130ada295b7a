import type { ReactNode } from "react";
import { TopBar } from "@/components/top-bar";
import { requirePageActor } from "@/lib/auth/current-actor";

/** Every signed-in page: the top bar above the page. Signed-out visitors go to the sign-in page. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  return (
    <>
      <TopBar actor={actor} />
      {children}
    </>
  );
}
