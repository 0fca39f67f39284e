// Test support: a small seeded PRNG, so property-style loops are repeatable.

/** mulberry32: returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Printable text with line breaks and a few multi-byte characters. */
export function randomText(random: () => number, length: number): string {
  const alphabet = "abcdefghij \n\r\x1b[0m",
    wide = ["é", "€", "😀"];
  let text = "";
  while (text.length < length) {
    text +=
      random() < 0.05
        ? wide[Math.floor(random() * wide.length)]!
        : alphabet[Math.floor(random() * alphabet.length)]!;
  }
  return text;
}
