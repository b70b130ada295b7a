// What runops adds to next-auth's types: the server-side session id, from
// `authorize` (User) into the cookie's JWT and the session seen by the server.
import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface User {
    sessionId?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
  }
}
