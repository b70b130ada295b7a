"use client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import { IDLE } from "@/lib/http/action-state";
import { acceptInvitationAction } from "@/app/actions/invitations";
import { FormMessage, Hidden, SubmitButton, useFocusOnError } from "./form-bits";

export function AcceptInvitationForm({ token }: { token: string }) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(acceptInvitationAction, IDLE);
  useFocusOnError(form, state);
  const slug = state.status === "ok" ? state.result?.slug : undefined;
  useEffect(() => {
    if (slug) router.push(`/projects/${slug}`);
  }, [slug, router]);
  return (
    <form ref={form} action={formAction} className="stack">
      <Hidden values={{ token }} />
      <FormMessage state={state} />
      <p>
        <SubmitButton pending="Joining…">Accept invitation</SubmitButton>
      </p>
    </form>
  );
}
