"use client";
import { useActionState, useRef } from "react";
import { IDLE } from "@/lib/http/action-state";
import { changeMemberRolesAction } from "@/app/actions/members";
import { FormMessage, Hidden, SubmitButton, useFocusOnError } from "./form-bits";
import type { MemberRoles } from "@/lib/access/member-roles";
import { RoleFields } from "./role-fields";

export function MemberRolesForm(props: {
  projectId: string;
  memberId: string;
  defaults: MemberRoles;
  email: string;
}) {
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(changeMemberRolesAction, IDLE);
  useFocusOnError(form, state);
  return (
    <form
      ref={form}
      action={formAction}
      className="panel stack"
      aria-label={`Roles of ${props.email}`}
      noValidate
    >
      <Hidden values={{ projectId: props.projectId, memberId: props.memberId }} />
      <RoleFields state={state} defaults={props.defaults} />
      <FormMessage state={state} />
      <p>
        <SubmitButton pending="Saving…">Save roles</SubmitButton>
      </p>
    </form>
  );
}
