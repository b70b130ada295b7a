"use client";

import Link from "next/link";

/** A page that failed on the server: the reader can try again; the details stay in the console's log. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main>
      <h1>Something went wrong</h1>
      <p>
        This page could not be shown. It was logged
        {error.digest ? (
          <>
            {" "}
            as <code>{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <p>
        <button type="button" onClick={reset}>
          Try again
        </button>{" "}
        <Link href="/">Back to your projects</Link>
      </p>
    </main>
  );
}
