import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

let lastTime = 0;
let counter = 0;

/**
 * A 20-character id whose lexical order is creation order (10 chars of
 * milliseconds, a per-millisecond counter, then randomness), so keyset
 * pagination can order runs by id alone.
 */
export function newId(): string {
  const now = Date.now();
  if (now === lastTime) counter += 1;
  else {
    lastTime = now;
    counter = 0;
  }
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let count = "";
  let c = counter;
  for (let i = 0; i < 3; i++) {
    count = ALPHABET[c % 32] + count;
    c = Math.floor(c / 32);
  }
  const rand = randomBytes(7);
  let tail = "";
  for (const byte of rand) tail += ALPHABET[byte % 32];
  return time + count + tail;
}
