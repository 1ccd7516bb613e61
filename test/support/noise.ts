/** Deterministic, roughly normal noise with sd 1: a small LCG and a sum of six uniforms. */
export function noiseSource(seed: number): () => number {
  let state = seed;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return () => {
    let sum = 0;
    for (let i = 0; i < 6; i++) sum += uniform();
    return (sum - 3) * Math.SQRT2;
  };
}
