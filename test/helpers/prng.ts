// A deterministic PRNG (mulberry32) for tests that cut text into random chunks: the same seed
// gives the same chunking, so a failing one can be replayed. No DOM: Node and browser tests share it.

/** Returns a function giving numbers in [0, 1), the same sequence for the same `seed`. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
