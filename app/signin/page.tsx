import { Suspense } from "react";
import { SignInForm } from "@/components/sign-in-form";

export const metadata = { title: "Sign in · runops" };

export default function SignInPage() {
  return (
    <main className="signin">
      <h1>Sign in to runops</h1>
      <Suspense>
        <SignInForm />
      </Suspense>
    </main>
  );
}
