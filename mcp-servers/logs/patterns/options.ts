// Tunables of the pattern miner; the defaults are meant for logs in general, not for one system.
export interface MinerOptions {
  /** Characters of a line looked at; the rest is ignored (guards against megabyte lines). */
  maxLineLength: number;
  /** Tokens of a line looked at; the rest is ignored. */
  maxTokens: number;
  /**
   * Fraction of a template's constant tokens that a new line must share with it to join it.
   * Below it the line starts a new template.
   */
  similarityThreshold: number;
  /**
   * For a message whose length matches no template: how much longer or shorter a template may be, how many
   * constant tokens a wildcard may swallow, and the share of constants that must still match.
   */
  maxLengthDifference: number;
  maxAbsorbedTokens: number;
  alignedSimilarityThreshold: number;
  /** Distinct masked messages remembered for the fast path; the cache is emptied when full. */
  maxCachedShapes: number;
}

export const defaultMinerOptions: MinerOptions = {
  maxLineLength: 4096,
  maxTokens: 128,
  similarityThreshold: 0.6,
  maxLengthDifference: 4,
  maxAbsorbedTokens: 0,
  alignedSimilarityThreshold: 0.8,
  maxCachedShapes: 50_000,
};
