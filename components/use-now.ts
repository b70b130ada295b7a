"use client";
import { useEffect, useState, useSyncExternalStore } from "react";

const subscribeNever = () => () => {};

/**
 * The current time, refreshed every `intervalMs` (or frozen when null), and null on the server
 * and during hydration: what depends on the clock renders the same on both sides, then fills in.
 */
export function useNow(intervalMs: number | null): number | null {
  // The server snapshot (false) is used for the server render and hydration, the client's after.
  const hydrated = useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (intervalMs === null) return;
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return hydrated ? now : null;
}
