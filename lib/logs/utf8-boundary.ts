/**
 * Length of the longest prefix of `buf` that does not end inside a UTF-8
 * sequence. Chunks are cut there (the tail waits for the next read), so each
 * stored chunk decodes on its own; bytes that are not UTF-8 at all pass
 * through unchanged.
 */
export function completeUtf8Length(buf: Uint8Array): number {
  const len = buf.length;
  // Look back at most 3 bytes for the lead byte of an unfinished sequence.
  for (let back = 1; back <= Math.min(3, len); back++) {
    const byte = buf[len - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking
    const need = byte >= 0xf8 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? len - back : len;
  }
  return len;
}
