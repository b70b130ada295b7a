/**
 * What a console page shows while it streams in (its segment's loading.tsx): the top bar stays,
 * the page's place is held by a few grey bars, and a status line says what is coming.
 */
export function PageLoading({ label }: { label: string }) {
  return (
    <main className="page-loading" aria-busy="true">
      <p role="status" className="muted">
        {label}…
      </p>
      <div aria-hidden="true">
        <div className="skeleton heading" />
        <div className="skeleton line" />
        <div className="skeleton block" />
      </div>
    </main>
  );
}
