import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/auth-options";
import { answeringThrottled } from "@/lib/auth/throttled-answer";
import { publicBaseUrl } from "@/lib/http/public-url";

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth 4 types its App Router handler as `any`; this is what it is.
const handler: (req: NextRequest, context: Context) => Promise<Response> = NextAuth(authOptions);

export { handler as GET };

/** next-auth's own handler, except that a sign-in the throttle refused is answered 429 (lib/auth/throttled-answer.ts). */
export function POST(req: NextRequest, context: Context): Promise<Response> {
  return answeringThrottled(publicBaseUrl(req), () => handler(req, context));
}
