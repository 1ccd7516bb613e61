// How the git server runs git: the answer of a git that finished is never lost to a timer that fired a moment
// later, and git is always the one on PATH, never a program inside the repository under investigation.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitCli } from '../../mcp-servers/git/gitCli';
import { locateGit } from '../../mcp-servers/git/gitExecutable';

describe('git runner', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitcli-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a git that exits just before the timeout keeps its whole answer; one still running is a timeout error', async () => {
    // The machine is busy (200 calls at once): git writes its answer and exits while this process is blocked, and
    // when it runs again the timer is due before the answer has been read.
    const quick = path.join(tmp, 'git-quick');
    fs.writeFileSync(quick, '#!/bin/sh\necho "commit abc123"\n', { mode: 0o755 });
    const git = new GitCli(tmp, quick);
    const answer = git.run(['log'], { timeoutMs: 100 });
    const busyUntil = Date.now() + 500;
    while (Date.now() < busyUntil) {
      // blocked, as under load
    }
    assert.equal((await answer).stdout, 'commit abc123\n', 'not an empty success');

    const slow = path.join(tmp, 'git-slow');
    fs.writeFileSync(slow, '#!/bin/sh\necho partial\nexec sleep 5\n', { mode: 0o755 });
    await assert.rejects(new GitCli(tmp, slow).run(['log'], { timeoutMs: 150 }), /git took too long \(log\)/);
  });

  it('finds git on PATH by absolute folders only, never in the repository', () => {
    const repo = path.join(tmp, 'repo');
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(repo);
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(repo, 'git'), '#!/bin/sh\necho pwned\n', { mode: 0o755 });
    fs.writeFileSync(path.join(repo, 'git.exe'), '');
    fs.writeFileSync(path.join(bin, 'git'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'git.exe'), '');
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      assert.equal(locateGit({ PATH: `.:${bin}` }, 'linux'), path.join(bin, 'git'), 'a relative PATH entry is skipped');
      assert.equal(locateGit({ Path: `.;${bin}` }, 'win32'), path.join(bin, 'git.exe'));
      assert.throws(() => locateGit({ PATH: '.' }, 'linux'), /git executable was not found on PATH/);
    } finally {
      process.chdir(cwd);
    }
  });
});
