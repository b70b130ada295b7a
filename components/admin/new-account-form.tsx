"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useRef } from "react";
import { type ActionState, IDLE } from "@/lib/http/action-state";
import { PASSWORD_MIN } from "@/lib/users/user-input";
import { Field, FormMessage, Hidden, SubmitButton, useFocusOnError } from "./form-bits";

type Result = { email: string; slug?: string };
type Action = (prev: ActionState, data: FormData) => Promise<ActionState<Result>>;

/**
 * Name, email, password twice. The server action creates the account; then
 * the browser signs in with what was typed and goes on (`next`, or the
 * project the account joined).
 */
export function NewAccountForm(props: {
  action: Action;
  submitLabel: string;
  pendingLabel: string;
  next: string;
  fixedEmail?: string | null;
  hidden?: Record<string, string>;
}) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(async (prev: ActionState<Result>, data: FormData) => {
    const answer = await props.action(prev, data);
    if (answer.status !== "ok" || !answer.result) return answer;
    const signedIn = await signIn("credentials", {
      email: answer.result.email,
      password: String(data.get("password") ?? ""),
      redirect: false,
    });
    if (!signedIn || signedIn.error) {
      return { ...answer, message: "Your account was created, but signing in failed: sign in below." };
    }
    router.push(answer.result.slug ? `/projects/${answer.result.slug}` : props.next);
    router.refresh();
    return answer;
  }, IDLE);
  useFocusOnError(form, state);
  return (
    <form ref={form} action={formAction} className="panel stack" noValidate>
      {props.hidden && <Hidden values={props.hidden} />}
      <Field name="name" label="Your name" state={state} required autoComplete="name" />
      <Field
        name="email"
        label="Email"
        type="email"
        state={state}
        required
        autoComplete="username"
        defaultValue={props.fixedEmail ?? undefined}
        readOnly={Boolean(props.fixedEmail)}
        hint={props.fixedEmail ? "The invitation is for this address." : undefined}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        state={state}
        required
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN} characters.`}
      />
      <Field
        name="confirm"
        label="Password again"
        type="password"
        state={state}
        required
        autoComplete="new-password"
      />
      <FormMessage state={state} />
      <p>
        <SubmitButton pending={props.pendingLabel}>{props.submitLabel}</SubmitButton>
      </p>
    </form>
  );
}
