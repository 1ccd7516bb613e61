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
   * Where template and message differ by constant words (no variable part in either), the share of constants
   * that must still match: stricter than similarityThreshold, so "cupsd startup succeeded" does not join
   * "cupsd shutdown succeeded". 0 turns it off.
   */
  wordSimilarityThreshold: number;
  /**
   * A template that has taken this many distinct message forms without a word varying no longer lets that word
   * vary: a word that stayed put while the rest of the message changed that often is part of the event (repeats
   * of one form are no evidence: a variable may repeat in bursts). Infinity turns it off.
   */
  settledAfterForms: number;
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

/**
 * The accuracy knobs (similarity, word and aligned thresholds, settledAfterForms, maxLengthDifference,
 * maxAbsorbedTokens) are the best average over the eight loghub samples, and leave-one-system-out picks the same
 * values in 7 of 8 folds (`npm run bench:loghub-loo`, bench/results/loghub-loo.json, which also shows how flat the
 * average is around each one).
 */
export const defaultMinerOptions: MinerOptions = {
  maxLineLength: 4096,
  maxTokens: 128,
  similarityThreshold: 0.6,
  wordSimilarityThreshold: 0.75,
  settledAfterForms: 3,
  maxLengthDifference: 4,
  maxAbsorbedTokens: 0,
  alignedSimilarityThreshold: 0.8,
  maxCachedShapes: 50_000,
};
