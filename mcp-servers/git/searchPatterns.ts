// Checks a search query before git sees it, so a bad pattern gets a useful answer instead of git's one-liner.
import { UserError } from '../common/result.js';

const MAX_QUERY_CHARS = 500;

/** git matches with POSIX extended regular expressions; catch what is clearly not one, and explain what to write. */
export function checkQuery(query: string, regex: boolean): string {
  if (query.trim() === '') throw new UserError('query is empty; give the text to look for.');
  if (query.length > MAX_QUERY_CHARS) throw new UserError(`query is ${query.length} characters; keep it under ${MAX_QUERY_CHARS}.`);
  if (/[\0\r\n]/.test(query)) throw new UserError('query contains a NUL byte or line break; search for one line at a time.');
  if (!regex) return query;
  if (/\(\?/.test(query)) {
    throw new UserError(
      `Invalid regex "${query}": git uses POSIX extended regex, which has no (?:...), (?i) or lookaround. ` +
        'Use plain groups (...) and alternation a|b; matching is already case-insensitive for messages and authors.',
    );
  }
  if (/\\[dD]/.test(query)) {
    throw new UserError(`Invalid regex "${query}": POSIX regex has no \\d; write [0-9] instead (and [^0-9] for \\D).`);
  }
  try {
    new RegExp(query);
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^Invalid regular expression: (\/.*\/[a-z]*: )?/s, '') : String(err);
    throw new UserError(
      `Invalid regex "${query}": ${reason}. Fix the pattern, or pass regex=false to search for the text literally.`,
    );
  }
  return query;
}

/** A literal as a POSIX extended regex that matches exactly it. */
export function escapeForPosixRegex(literal: string): string {
  return literal.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&');
}
