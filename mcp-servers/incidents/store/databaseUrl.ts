// The incident database URL, read once for the store and for the extension's "Set Incidents Database": what to
// connect to, and how to name it in messages without the password. No pg import, so the extension can use it.
import { UserError } from '../../common/result.js';

/** Where the database is, for messages: everything in the URL except the password. */
export interface DatabaseTarget {
  database: string;
  user: string;
  password: string;
  /** e.g. `at db.example:5432 (database incidents)` */
  where: string;
  safeUrl: string;
}

const URL_SHAPE = 'it should look like postgres://user:password@host:5432/database';

/** Throws a UserError that never quotes the URL (it may hold the password). */
export function databaseTarget(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`the incident database URL is not a URL; ${URL_SHAPE}`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new UserError(`the incident database URL starts with "${parsed.protocol}//"; ${URL_SHAPE}`);
  }
  const host = parsed.hostname || 'localhost';
  const port = parsed.port || '5432';
  const user = decoded(parsed.username) || process.env.PGUSER || 'postgres';
  const database = decoded(parsed.pathname.slice(1)) || user;
  const safe = new URL(parsed.href);
  safe.password = '';
  safe.search = ''; // query parameters can carry secrets too (password=, sslpassword=)
  return {
    user,
    database,
    password: decoded(parsed.password) || parsed.searchParams.get('password') || '',
    where: `at ${host}:${port} (database ${database})`,
    safeUrl: safe.href,
  };
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new UserError(`the incident database URL has a broken %-escape in its user, password or database; ${URL_SHAPE}, special characters written as %XX`);
  }
}
