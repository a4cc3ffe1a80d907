// A small seeded pseudo-random generator, so what is drawn at random (a forecast, the demo train) is the same for the
// same seed.

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): returns a function yielding floats in [0, 1), like Math.random.
 *
 * @example
 * const random = mulberry32(42);
 * random(); // always the same first value for seed 42
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
