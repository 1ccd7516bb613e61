// Turns a failed git run into an error: the caller's mistakes become UserErrors that say what to fix.
import { UserError } from '../common/result.js';

/** Errors git reports about the caller's input become UserErrors carrying git's own words; the rest stay internal. */
export function describeFailure(args: readonly string[], error: Error & { code?: unknown; killed?: boolean }, stderr: string) {
  const said = stderr.trim().split('\n').filter(Boolean).slice(-3).join(' ');
  if (error.killed || (error as { signal?: unknown }).signal === 'SIGTERM') {
    return new UserError(
      `git took too long (${args[0]}) and was stopped. Narrow the request: a shorter since/until window, a path, or a smaller limit.`,
    );
  }
  if (error.code === 'ENOENT') return new Error('the git executable was not found on PATH');
  if (/ERR_CHILD_PROCESS_STDIO_MAXBUFFER|maxBuffer/.test(String(error.code) + error.message)) {
    return new UserError(`git's answer was too large (${args[0]}). Narrow the request with since/until, path or limit.`);
  }
  if (/not a git repository/i.test(said)) {
    return new UserError(`The configured repository is not a git repository (${said}). Fix --repo / INCIDENT_REPO.`);
  }
  if (/does not have any commits yet|ambiguous argument 'HEAD'/i.test(said)) {
    return new UserError('The repository has no commits yet (HEAD does not point at a commit), so there is no history to read.');
  }
  if (/invalid regex|regular expression|Unmatched|Invalid (preceding|range|content|back)/i.test(said)) {
    return new UserError(`git rejected the regular expression: ${said.replace(/^fatal: /, '')}. git uses POSIX extended regex.`);
  }
  if (/outside repository|did not match any file|bad revision|unknown revision|ambiguous argument/i.test(said)) {
    return new UserError(`git: ${said.replace(/^fatal: /, '')}`);
  }
  return new Error(`git ${args[0]} failed: ${said || error.message}`);
}
