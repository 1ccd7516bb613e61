// Aligns two token sequences of different lengths, letting a wildcard on either side stand for any run
// of tokens on the other ("bytes sent" ~ "bytes <*> sent"). Used when no template of the same length fits.
import { WILDCARD } from './shapeLine.js';

const IMPOSSIBLE = 1 << 30;

export interface Alignment {
  /** Constant tokens matched exactly. */
  matched: number;
  /** Constants on either side swallowed by a wildcard of the other. */
  absorbed: number;
  /** The generalised sequence: matched constants kept, everything else one wildcard per run. */
  merged: string[];
}

/** Reusable dynamic-programming table (sequences are capped at maxTokens, so it stays small). */
export class Aligner {
  private cost = new Int32Array(0);

  align(a: readonly string[], b: readonly string[], maxAbsorbed: number): Alignment | undefined {
    const n = a.length;
    const m = b.length;
    const width = m + 1;
    if (this.cost.length < (n + 1) * width) this.cost = new Int32Array((n + 1) * width * 2);
    const cost = this.cost;
    // cost[i * width + j]: fewest constants absorbed to align a[i..] with b[j..].
    for (let i = n; i >= 0; i--) {
      for (let j = m; j >= 0; j--) {
        let best = IMPOSSIBLE;
        if (i === n && j === m) best = 0;
        const ta = a[i];
        const tb = b[j];
        if (ta !== undefined && tb !== undefined && ta === tb) best = cost[(i + 1) * width + j + 1]!;
        if (ta === WILDCARD) {
          best = Math.min(best, cost[(i + 1) * width + j]!);
          if (tb !== undefined) best = Math.min(best, cost[i * width + j + 1]! + (tb === WILDCARD ? 0 : 1));
        }
        if (tb === WILDCARD) {
          best = Math.min(best, cost[i * width + j + 1]!);
          if (ta !== undefined) best = Math.min(best, cost[(i + 1) * width + j]! + (ta === WILDCARD ? 0 : 1));
        }
        cost[i * width + j] = Math.min(best, IMPOSSIBLE);
      }
    }
    const absorbed = cost[0]!;
    if (absorbed > maxAbsorbed) return undefined;
    return { absorbed, ...this.walk(a, b, width) };
  }

  /** Follows one cheapest path through the table, building the merged sequence. */
  private walk(a: readonly string[], b: readonly string[], width: number): { matched: number; merged: string[] } {
    const cost = this.cost;
    const merged: string[] = [];
    const push = (token: string): void => {
      if (token !== WILDCARD || merged[merged.length - 1] !== WILDCARD) merged.push(token);
    };
    let matched = 0;
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const here = cost[i * width + j]!;
      const ta = a[i];
      const tb = b[j];
      if (ta !== undefined && tb !== undefined && ta === tb && cost[(i + 1) * width + j + 1] === here) {
        if (ta !== WILDCARD) matched++;
        push(ta);
        i++;
        j++;
      } else if (ta === WILDCARD && cost[(i + 1) * width + j] === here) {
        push(WILDCARD);
        i++;
      } else if (ta === WILDCARD && tb !== undefined && cost[i * width + j + 1]! + (tb === WILDCARD ? 0 : 1) === here) {
        push(WILDCARD);
        j++;
      } else if (tb === WILDCARD && cost[i * width + j + 1] === here) {
        push(WILDCARD);
        j++;
      } else {
        push(WILDCARD);
        i++;
      }
    }
    return { matched, merged };
  }
}
