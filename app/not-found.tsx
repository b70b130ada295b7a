import Link from "next/link";

/** Anything that does not exist, or that the reader may not see (the API's 404 says the same). */
export default function NotFound() {
  return (
    <main>
      <h1>Not found</h1>
      <p>This page does not exist, or it is in a project you are not a member of.</p>
      <p>
        <Link href="/">Back to your projects</Link>
      </p>
    </main>
  );
}
