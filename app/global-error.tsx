"use client";

/** The root layout itself failed: a page of its own, with no layout or stylesheet to rely on. */
export default function GlobalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <html lang="en">
      <body>
        <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: "40rem", margin: "4rem auto" }}>
          <h1>runops could not show this page</h1>
          <p>It was logged{error.digest ? ` as ${error.digest}` : ""}.</p>
          <button type="button" onClick={reset}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
