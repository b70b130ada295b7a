"use client";
import { useNow } from "./use-now";
import { ago, utc } from "./when";

/**
 * A past moment as "3 min ago", its UTC time on hover. The server render and hydration show the
 * UTC time itself (the browser's clock is not known there), so the two never differ.
 */
export function RelativeTime({ at }: { at: string }) {
  const now = useNow(15_000);
  const absolute = utc(at);
  return (
    <time dateTime={at} title={absolute}>
      {now === null ? absolute : ago(at, now)}
    </time>
  );
}
