// The git server as a real process, against real repositories built here with fixed dates (so hashes are fixed).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturesDir, repoRoot, startServer, structuredOf, textOf, type RunningServer } from '../support/servers';

/** The commits of HISTORY, oldest first. */
const H: readonly [string, string, string, string, string, string] = [
  '5718d22570591b1450ce1e2368f17a0712be147e',
  'aa4d30865583205dd82da59ad2f7a0f8271b0cd2',
  '974e4e5bf239e5b07b1352d915b6a30c8bbd455c',
  '0c2c9a2e2af63d691728c95e5e9beca88ad9b46a',
  '45da6e8b50bf4bb8c7acd7c7a7a799b002bb01b8',
  '3252b6b80c8414267874a8fd46cc7c6b7939eda9',
];

interface CommitSpec {
  at: string;
  author: [string, string];
  message: string;
  write?: Record<string, string>;
  move?: [string, string];
  tag?: { name: string; at: string; message: string };
}

const AUTHORS = {
  alice: ['Alice Andersen', 'alice@example.com'],
  bob: ['Bob Berg', 'bob@example.com'],
  carol: ['Carol Chen', 'carol@example.com'],
  dave: ['Dave Diaz', 'dave@example.com'],
} satisfies Record<string, [string, string]>;

const bigFile = Array.from({ length: 600 }, (_, i) => `export const generated${i} = ${i};`).join('\n') + '\n';

/** The scenario: a payment timeout lowered in v1.1.0, fixed afterwards but not yet deployed. */
const HISTORY: CommitSpec[] = [
  {
    at: '2026-02-16T09:00:00Z',
    author: AUTHORS.alice,
    message: 'Initial checkout service',
    write: {
      'README.md': '# shop\n',
      'services/checkout/cart.ts': 'export function total(items: number[]) {\n  return items.reduce((a, b) => a + b, 0);\n}\n',
      'services/checkout/util.ts': 'export const round = (n: number) => Math.round(n * 100) / 100;\n',
    },
  },
  {
    at: '2026-02-16T10:00:00Z',
    author: AUTHORS.bob,
    message: 'Add payment client\n\nTalks to the payment gateway with a 3000 ms timeout.',
    write: { 'services/payment/client.ts': 'export const PAYMENT_TIMEOUT_MS = 3000;\n' },
    tag: { name: 'v1.0.0', at: '2026-02-16T12:00:00Z', message: 'Release v1.0.0' },
  },
  {
    at: '2026-02-17T13:00:00Z',
    author: AUTHORS.carol,
    message: 'Lower payment timeout to 500ms\n\nFaster failure for slow gateways.',
    write: { 'services/payment/client.ts': 'export const PAYMENT_TIMEOUT_MS = 500;\n' },
  },
  {
    at: '2026-02-17T13:30:00Z',
    author: AUTHORS.alice,
    message: 'Regenerate price tables',
    write: { 'services/checkout/generated.ts': bigFile, 'services/checkout/cart.ts': 'export function total(items: number[]) {\n  return items.reduce((a, b) => a + b, 0) * 1.0;\n}\n' },
  },
  {
    at: '2026-02-17T14:00:00Z',
    author: AUTHORS.bob,
    message: 'Rename checkout util to helpers',
    move: ['services/checkout/util.ts', 'services/checkout/helpers.ts'],
    tag: { name: 'v1.1.0', at: '2026-02-17T14:25:00Z', message: 'Release v1.1.0\n\nstatus: rolled_back' },
  },
  {
    at: '2026-02-17T15:00:00Z',
    author: AUTHORS.dave,
    message: 'Fix: restore payment timeout to 3000ms',
    write: { 'services/payment/client.ts': 'export const PAYMENT_TIMEOUT_MS = 3000;\n' },
  },
];

function gitEnv(at: string, who: [string, string]): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: who[0],
    GIT_AUTHOR_EMAIL: who[1],
    GIT_COMMITTER_NAME: who[0],
    GIT_COMMITTER_EMAIL: who[1],
    GIT_AUTHOR_DATE: at,
    GIT_COMMITTER_DATE: at,
  };
}

/** Builds the repository and returns the commit hashes in HISTORY order. */
function buildRepo(dir: string): string[] {
  const git = (args: string[], env = gitEnv('2026-02-16T00:00:00Z', AUTHORS.alice)) =>
    execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
  git(['init', '-q', '-b', 'main']);
  return HISTORY.map((spec) => {
    for (const [file, content] of Object.entries(spec.write ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    if (spec.move) git(['mv', ...spec.move]);
    git(['add', '-A']);
    const env = gitEnv(spec.at, spec.author);
    git(['commit', '-q', '-m', spec.message], env);
    if (spec.tag) git(['tag', '-a', spec.tag.name, '-m', spec.tag.message], gitEnv(spec.tag.at, AUTHORS.alice));
    return git(['rev-parse', 'HEAD']);
  });
}

describe('git server', function () {
  let tmp: string;
  let repo: string;
  let hashes: string[];
  let deploymentsFile: string;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'git-server-test-'));
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    hashes = buildRepo(repo);
    deploymentsFile = path.join(tmp, 'deployments.json');
    fs.writeFileSync(
      deploymentsFile,
      JSON.stringify({
        deployments: [
          // Out of order on purpose: the server sorts by time.
          { version: '2026.02.17-1', deployed_at: '2026-02-17T14:25:00Z', status: 'succeeded', commits: [H[2].slice(0, 8), H[3], H[4]] },
          { version: '2026.02.16-1', deployed_at: '2026-02-16T12:00:00Z', status: 'succeeded', commits: [H[0], H[1]] },
        ],
      }),
    );
  });

  after(function () {
    if (process.env.KEEP_GIT_TEST_REPO) return void console.log(`kept ${tmp}`);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('builds the same commits every time (fixed dates and identities)', function () {
    assert.deepEqual(hashes, H);
  });

  describe('with a deployments file', function () {
    let server: RunningServer;
    before(async function () {
      server = await startServer('git', ['--repo', repo, '--deployments', deploymentsFile]);
    });
    after(async function () {
      await server?.close();
    });

    it('lists its tools, each with described inputs, an output schema and read-only annotations', async function () {
      const { tools } = await server.client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['diff_range', 'get_commit', 'get_deployments', 'get_recent_commits', 'search_commits']);
      for (const tool of tools) {
        assert.ok(tool.description && tool.description.length > 40, `${tool.name} has a description`);
        const properties = (tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
        assert.ok(Object.keys(properties).length > 0, `${tool.name} has inputs`);
        for (const [name, schema] of Object.entries(properties)) {
          assert.ok(schema.description, `${tool.name}.${name} has a description`);
        }
        assert.equal(tool.outputSchema?.type, 'object', `${tool.name} has an outputSchema`);
        assert.equal(tool.annotations?.readOnlyHint, true);
        assert.equal(tool.annotations?.openWorldHint, false);
        assert.equal(tool.annotations?.idempotentHint, true);
      }
    });

    it('get_recent_commits: newest first, with authors, files and the deployment that shipped each', async function () {
      const result = await server.call('get_recent_commits', {});
      const out = structuredOf(result);
      assert.equal(out.total, 6);
      assert.equal(out.omitted, 0);
      assert.equal(out.next_offset, null);
      assert.deepEqual(out.commits.map((c: { hash: string }) => c.hash), [...H].reverse());
      const [fix, rename] = out.commits;
      assert.equal(fix.subject, 'Fix: restore payment timeout to 3000ms');
      assert.equal(fix.author_name, 'Dave Diaz');
      assert.equal(fix.author_email, 'dave@example.com');
      assert.equal(fix.date, '2026-02-17T15:00:00Z');
      assert.equal(fix.short_hash, H[5].slice(0, 7));
      assert.deepEqual(fix.parents, [H[4]]);
      assert.deepEqual(fix.files, [{ path: 'services/payment/client.ts', status: 'M', additions: 1, deletions: 1 }]);
      assert.equal(fix.deployment, null, 'the fix is not deployed yet');
      assert.deepEqual(rename.files, [
        { path: 'services/checkout/helpers.ts', old_path: 'services/checkout/util.ts', status: 'R', additions: 0, deletions: 0 },
      ]);
      assert.deepEqual(rename.deployment, { version: '2026.02.17-1', deployed_at: '2026-02-17T14:25:00Z', status: 'succeeded' });
      assert.equal(out.commits[5].deployment.version, '2026.02.16-1');
      const text = textOf(result);
      assert.match(text, new RegExp(`${H[5]} 2026-02-17T15:00:00Z Dave Diaz`));
      assert.match(text, /not deployed yet/);
      assert.match(text, /shipped in 2026\.02\.17-1/);
    });

    it('get_recent_commits: pages with offset and says how many were left out', async function () {
      const result = await server.call('get_recent_commits', { limit: 2, offset: 2 });
      const out = structuredOf(result);
      assert.deepEqual(out.commits.map((c: { hash: string }) => c.hash), [H[3], H[2]]);
      assert.equal(out.total, 6);
      assert.equal(out.offset, 2);
      assert.equal(out.omitted, 4);
      assert.equal(out.next_offset, 4);
      assert.match(textOf(result), /Commits 3-4 of 6/);
      assert.match(textOf(result), /2 more not shown: call again with offset=4/);
      for (const far of [6, 2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER]) {
        const past = await server.call('get_recent_commits', { limit: 2, offset: far });
        assert.deepEqual(structuredOf(past).commits, [], `offset ${far} is past the end, not the newest commits again`);
        assert.match(textOf(past), new RegExp(`No commits at offset ${far} \\(total 6\\)`));
      }
    });

    it('get_recent_commits: since/until (inclusive) and a path filter', async function () {
      const window = structuredOf(await server.call('get_recent_commits', { since: '2026-02-17T13:00:00Z', until: '2026-02-17 14:00:00' }));
      assert.deepEqual(window.commits.map((c: { hash: string }) => c.hash), [H[4], H[3], H[2]]);
      const payment = structuredOf(await server.call('get_recent_commits', { path: 'services/payment' }));
      assert.deepEqual(payment.commits.map((c: { hash: string }) => c.hash), [H[5], H[2], H[1]]);
      assert.equal(payment.total, 3);
      const both = structuredOf(await server.call('get_recent_commits', { path: 'services/payment/client.ts', until: '2026-02-17T12:00:00Z' }));
      assert.deepEqual(both.commits.map((c: { hash: string }) => c.hash), [H[1]]);
      const none = await server.call('get_recent_commits', { since: '2030-01-01T00:00:00Z' });
      assert.equal(structuredOf(none).total, 0);
      assert.match(textOf(none), /No commits since 2030/);
    });

    it('get_commit: full message, author, dates, parents, files and deployment; short hashes and tags resolve', async function () {
      const out = structuredOf(await server.call('get_commit', { hash: H[2].slice(0, 7) }));
      assert.equal(out.hash, H[2]);
      assert.equal(out.message, 'Lower payment timeout to 500ms\n\nFaster failure for slow gateways.');
      assert.equal(out.author_name, 'Carol Chen');
      assert.equal(out.authored_at, '2026-02-17T13:00:00Z');
      assert.equal(out.committed_at, '2026-02-17T13:00:00Z');
      assert.deepEqual(out.parents, [H[1]]);
      assert.deepEqual(out.deployment, { version: '2026.02.17-1', deployed_at: '2026-02-17T14:25:00Z', status: 'succeeded' });
      assert.equal(out.patch.truncated, false);
      assert.match(out.patch.text, /^-export const PAYMENT_TIMEOUT_MS = 3000;$/m);
      assert.match(out.patch.text, /^\+export const PAYMENT_TIMEOUT_MS = 500;$/m);
      const byTag = structuredOf(await server.call('get_commit', { hash: 'v1.0.0', max_patch_lines: 0 }));
      assert.equal(byTag.hash, H[1]);
      assert.equal(byTag.patch.text, '');
    });

    it('get_commit: a big patch is cut, says so and how much was left out, and pages', async function () {
      const result = await server.call('get_commit', { hash: H[3], max_patch_lines: 50 });
      const out = structuredOf(result);
      assert.equal(out.patch.truncated, true);
      assert.equal(out.patch.lines_shown, 50);
      assert.equal(out.patch.lines_total, 615);
      assert.equal(out.patch.total_is_lower_bound, false);
      assert.deepEqual(out.files.map((f: { path: string }) => f.path), ['services/checkout/cart.ts', 'services/checkout/generated.ts']);
      assert.equal(out.files[1].additions, 600);
      assert.match(textOf(result), /Patch CUT: showing lines 1-50 of 615; 565 line\(s\) left out/);
      assert.match(textOf(result), /patch_offset=50/);
      const next = structuredOf(await server.call('get_commit', { hash: H[3], max_patch_lines: 50, patch_offset: 600 }));
      assert.equal(next.patch.lines_shown, 15);
      assert.equal(next.patch.truncated, false);
      assert.match(next.patch.text, /\+export const generated599 = 599;$/);
      const cartOnly = structuredOf(await server.call('get_commit', { hash: H[3], path: 'services/checkout/cart.ts' }));
      assert.equal(cartOnly.patch.truncated, false);
      assert.doesNotMatch(cartOnly.patch.text, /generated/);
      assert.match(cartOnly.patch.text, /\* 1\.0;/);
      const defaultCut = structuredOf(await server.call('get_commit', { hash: H[3] }));
      assert.equal(defaultCut.patch.lines_shown, 400);
      assert.equal(defaultCut.patch.truncated, true);
    });

    it('search_commits: messages, authors and code, each result saying what matched', async function () {
      const message = structuredOf(await server.call('search_commits', { query: 'PAYMENT timeout', mode: 'message' }));
      assert.deepEqual(message.commits.map((c: { hash: string }) => c.hash), [H[5], H[2]]);
      assert.deepEqual(message.commits[0].matched_in, ['message']);
      const author = structuredOf(await server.call('search_commits', { query: 'BOB@example', mode: 'author' }));
      assert.deepEqual(author.commits.map((c: { hash: string }) => c.hash), [H[4], H[1]]);
      // Code search finds the edit that changed the value, not only the commits that added or removed the name.
      const code = structuredOf(await server.call('search_commits', { query: 'PAYMENT_TIMEOUT_MS = 500', mode: 'code' }));
      assert.deepEqual(code.commits.map((c: { hash: string }) => c.hash), [H[5], H[2]]);
      assert.deepEqual(code.commits[1].matched_in, ['code']);
      assert.equal(code.commits[1].deployment.version, '2026.02.17-1');
      const all = structuredOf(await server.call('search_commits', { query: '500' }));
      assert.deepEqual(
        all.commits.map((c: { hash: string; matched_in: string[] }) => [c.hash, c.matched_in]),
        [[H[5], ['code']], [H[3], ['code']], [H[2], ['message', 'code']]],
      );
      const regex = structuredOf(await server.call('search_commits', { query: 'timeout to [0-9]+ms$', regex: true, mode: 'message' }));
      assert.deepEqual(regex.commits.map((c: { hash: string }) => c.hash), [H[5], H[2]]);
      const paged = structuredOf(await server.call('search_commits', { query: 'e', mode: 'message', limit: 2, since: '2026-02-17T00:00:00Z' }));
      assert.equal(paged.total, 4);
      assert.equal(paged.omitted, 2);
      assert.equal(paged.next_offset, 2);
    });

    it('get_deployments: from the file, newest first, with commits and subjects (short hashes resolved)', async function () {
      const result = await server.call('get_deployments', {});
      const out = structuredOf(result);
      assert.match(out.source, /deployments file/);
      assert.deepEqual(out.deployments.map((d: { version: string }) => d.version), ['2026.02.17-1', '2026.02.16-1']);
      const [latest, first] = out.deployments;
      assert.equal(latest.deployed_at, '2026-02-17T14:25:00Z');
      assert.equal(latest.status, 'succeeded');
      assert.equal(latest.previous_version, '2026.02.16-1');
      assert.equal(first.previous_version, null);
      assert.deepEqual(latest.commits, [
        { hash: H[4], subject: 'Rename checkout util to helpers', in_repository: true },
        { hash: H[3], subject: 'Regenerate price tables', in_repository: true },
        { hash: H[2], subject: 'Lower payment timeout to 500ms', in_repository: true },
      ]);
      assert.match(textOf(result), new RegExp(`${H[2]} Lower payment timeout to 500ms`));
      const windowed = structuredOf(await server.call('get_deployments', { since: '2026-02-17T00:00:00Z', max_commits: 1 }));
      assert.deepEqual(windowed.deployments.map((d: { version: string }) => d.version), ['2026.02.17-1']);
      assert.equal(windowed.deployments[0].commits_omitted, 2);
      assert.equal(windowed.deployments[0].commit_count, 3);
      const one = structuredOf(await server.call('get_deployments', { version: '2026.02.16-1' }));
      assert.deepEqual(one.deployments[0].commits.map((c: { hash: string }) => c.hash), [H[1], H[0]]);
    });

    it('diff_range: commits between two deployments, net change per file and a bounded patch', async function () {
      const result = await server.call('diff_range', { from: 'v1.0.0', to: 'v1.1.0' });
      const out = structuredOf(result);
      assert.equal(out.from, H[1]);
      assert.equal(out.to, H[4]);
      assert.deepEqual(out.commits.map((c: { hash: string }) => c.hash), [H[4], H[3], H[2]]);
      assert.equal(out.commits_total, 3);
      assert.equal(out.commits[2].deployment.version, '2026.02.17-1');
      assert.deepEqual(
        out.files.map((f: { path: string; status: string; additions: number }) => [f.path, f.status, f.additions]),
        [
          ['services/checkout/cart.ts', 'M', 1],
          ['services/checkout/generated.ts', 'A', 600],
          ['services/checkout/helpers.ts', 'R', 0],
          ['services/payment/client.ts', 'M', 1],
        ],
      );
      assert.equal(out.patch.lines_shown, 200);
      assert.equal(out.patch.truncated, true);
      assert.deepEqual(out.patch.files_not_shown, ['services/checkout/helpers.ts', 'services/payment/client.ts']);
      assert.match(textOf(result), /Patch CUT: showing lines 1-200 of \d+; .*2 file\(s\) not shown at all/);
      const payment = structuredOf(await server.call('diff_range', { from: H[1].slice(0, 10), to: 'HEAD', path: 'services/payment' }));
      assert.deepEqual(payment.commits.map((c: { hash: string }) => c.hash), [H[5], H[2]]);
      assert.deepEqual(payment.files, [], 'the timeout went back to 3000: no net change');
      assert.equal(payment.patch.text, '');
    });

    it('bad input gets a clear isError and the server keeps answering', async function () {
      const pwned = path.join(tmp, 'pwned');
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ['get_commit', { hash: 'deadbeefdeadbeef' }, /No commit "deadbeefdeadbeef" in the repository/],
        ['get_commit', { hash: `--output=${pwned}` }, /starts with "-", which git would read as an option/],
        ['get_commit', { hash: '-p' }, /starts with "-"/],
        ['get_commit', { hash: 'HEAD; touch /tmp/x $(id) `id`' }, /is not a commit hash or ref name/],
        ['get_commit', { hash: 'HEAD..v1.0.0' }, /is not a commit hash or ref name/],
        ['get_commit', { hash: H[2], path: 'README.md' }, /does not change "README.md"/],
        ['get_recent_commits', { path: `--output=${pwned}` }, /path "--output=.*" starts with "-"/],
        ['get_recent_commits', { since: 'last tuesday' }, /since "last tuesday" is not a time/],
        ['get_recent_commits', { since: '2026-02-18T00:00:00Z', until: '2026-02-17T00:00:00Z' }, /since .* is after until/],
        ['get_recent_commits', { limit: 1000 }, /limit/],
        ['search_commits', { query: 'time(out', regex: true }, /Invalid regex "time\(out": Unterminated group/],
        ['search_commits', { query: 'a(?=b)', regex: true }, /POSIX extended regex, which has no \(\?:\.\.\.\)/],
        ['search_commits', { query: 'code \\d+', regex: true }, /write \[0-9\] instead/],
        ['search_commits', { query: '   ' }, /query is empty/],
        ['diff_range', { from: `--output=${pwned}`, to: 'HEAD' }, /starts with "-"/],
        ['diff_range', { from: 'v1.0.0', to: 'v7.7.7' }, /No commit "v7\.7\.7" in the repository/],
        ['get_deployments', { version: 'v9.9.9' }, /No deployment "v9\.9\.9"\. Recent versions: 2026\.02\.17-1, 2026\.02\.16-1/],
      ];
      for (const [tool, args, expected] of cases) {
        const result = await server.call(tool, args);
        assert.equal(result.isError, true, `${tool} ${JSON.stringify(args)} should fail`);
        assert.match(textOf(result), expected);
        const next = await server.call('get_recent_commits', { limit: 1 });
        assert.equal(structuredOf(next).commits[0].hash, H[5], `still answering after ${tool} ${JSON.stringify(args)}`);
      }
      assert.equal(fs.existsSync(pwned), false);
    });

    it('option-like search text stays search text', async function () {
      const pwned = path.join(tmp, 'pwned-search');
      for (const query of [`--output=${pwned}`, '-p', '--all']) {
        const out = structuredOf(await server.call('search_commits', { query }));
        assert.equal(out.total, 0, query);
      }
      assert.equal(fs.existsSync(pwned), false);
    });
  });

  describe('deployments from annotated tags', function () {
    let server: RunningServer;
    before(async function () {
      server = await startServer('git', ['--repo', repo]);
    });
    after(async function () {
      await server?.close();
    });

    it('reads tagger dates, status lines and the commits each tag added', async function () {
      const out = structuredOf(await server.call('get_deployments', {}));
      assert.match(out.source, /annotated tags matching "v\*"/);
      assert.deepEqual(
        out.deployments.map((d: { version: string; deployed_at: string; status: string; source: string }) => [d.version, d.deployed_at, d.status, d.source]),
        [
          ['v1.1.0', '2026-02-17T14:25:00Z', 'rolled_back', 'tag'],
          ['v1.0.0', '2026-02-16T12:00:00Z', 'deployed', 'tag'],
        ],
      );
      assert.deepEqual(out.deployments[0].commits.map((c: { hash: string }) => c.hash), [H[4], H[3], H[2]]);
      assert.deepEqual(out.deployments[1].commits.map((c: { hash: string }) => c.hash), [H[1], H[0]]);
    });

    it('maps each commit to the first tag that contains it', async function () {
      const commits = structuredOf(await server.call('get_recent_commits', {})).commits;
      assert.deepEqual(
        commits.map((c: { deployment: { version: string } | null }) => c.deployment?.version ?? null),
        [null, 'v1.1.0', 'v1.1.0', 'v1.1.0', 'v1.0.0', 'v1.0.0'],
      );
      assert.equal(structuredOf(await server.call('get_commit', { hash: H[2] })).deployment.version, 'v1.1.0');
    });

    it('notices a new tag (cache keyed on the tag list) and ignores lightweight tags with a note', async function () {
      execFileSync('git', ['tag', '-a', 'v1.2.0', '-m', 'Release v1.2.0'], { cwd: repo, env: gitEnv('2026-02-17T16:00:00Z', AUTHORS.alice) });
      execFileSync('git', ['tag', 'v1.2.0-light', H[0]], { cwd: repo, env: gitEnv('2026-02-17T16:00:00Z', AUTHORS.alice) });
      try {
        const result = await server.call('get_deployments', { limit: 1 });
        const out = structuredOf(result);
        assert.equal(out.total, 3);
        assert.equal(out.omitted, 2);
        assert.deepEqual(out.deployments[0].commits.map((c: { hash: string }) => c.hash), [H[5]]);
        assert.match(out.notes.join('\n'), /ignored 1 matching tag\(s\) that are not annotated.*v1\.2\.0-light/);
        assert.match(textOf(result), /2 more not shown: call again with offset=1/);
        const fix = structuredOf(await server.call('get_commit', { hash: H[5], max_patch_lines: 0 }));
        assert.equal(fix.deployment.version, 'v1.2.0');
      } finally {
        execFileSync('git', ['tag', '-d', 'v1.2.0', 'v1.2.0-light'], { cwd: repo, env: gitEnv('2026-02-17T16:00:00Z', AUTHORS.alice) });
      }
    });

    it('takes another tag pattern', async function () {
      const other = await startServer('git', ['--repo', repo, '--deploy-tag-pattern', 'release-*']);
      try {
        const out = structuredOf(await other.call('get_deployments', {}));
        assert.equal(out.total, 0);
        assert.match(out.notes.join('\n'), /no annotated tags match "release-\*"/);
      } finally {
        await other.close();
      }
    });
  });

  describe('deployments file problems', function () {
    let server: RunningServer;
    let file: string;
    before(async function () {
      file = path.join(tmp, 'deployments-broken.json');
      server = await startServer('git', ['--repo', repo], { INCIDENT_DEPLOYMENTS: file });
    });
    after(async function () {
      await server?.close();
    });

    it('a missing file is a clear error, and other tools still work', async function () {
      const result = await server.call('get_deployments', {});
      assert.equal(result.isError, true);
      assert.match(textOf(result), /The deployments file .*deployments-broken\.json does not exist/);
      const commits = await server.call('get_recent_commits', { limit: 1 });
      assert.equal(structuredOf(commits).commits[0].deployment, null);
      assert.match(structuredOf(commits).deployments_warning, /does not exist/);
      assert.match(textOf(commits), /Warning: deployments are unavailable/);
    });

    it('a malformed file names the entry and field; fixing it is picked up on the next call', async function () {
      fs.writeFileSync(file, '{"deployments": [');
      assert.match(textOf(await server.call('get_deployments', {})), /is malformed: it is not valid JSON/);
      fs.writeFileSync(file, JSON.stringify({ releases: [] }));
      assert.match(textOf(await server.call('get_deployments', {})), /expected an object with a "deployments" array/);
      const bad: { version: string; deployed_at: string; status: string; commits: string[] }[] = [
        { version: 'a', deployed_at: '2026-02-16T12:00:00Z', status: 'succeeded', commits: [H[0]] },
        { version: 'b', deployed_at: 'yesterday', status: 'succeeded', commits: [] },
      ];
      fs.writeFileSync(file, JSON.stringify({ deployments: bad }));
      const result = await server.call('get_deployments', {});
      assert.equal(result.isError, true);
      assert.match(textOf(result), /entry 1 \(deployments\[1\], version "b"\): "deployed_at" "yesterday" is not an ISO-8601 time/);
      bad[1] = { version: 'b', deployed_at: '2026-02-30 25:61', status: 'succeeded', commits: [] };
      fs.writeFileSync(file, JSON.stringify({ deployments: bad }));
      assert.match(textOf(await server.call('get_deployments', {})), /"deployed_at" "2026-02-30 25:61" is not an ISO-8601 time/, 'not rolled over into March');
      fs.writeFileSync(file, JSON.stringify({ deployments: [bad[0], { ...bad[0], deployed_at: '2026-02-17T12:00:00Z' }] }));
      assert.match(textOf(await server.call('get_deployments', {})), /entry 1 .*version "a" is already entry 0; give each deployment its own version/);
      bad[1] = { version: 'b', deployed_at: '2026-02-17T12:00:00Z', status: 'succeeded', commits: ['not-a-hash'] };
      fs.writeFileSync(file, JSON.stringify({ deployments: bad }));
      assert.match(textOf(await server.call('get_deployments', {})), /entry 1 .*commits\[0\] "not-a-hash" is not a commit hash/);
      bad[1] = { version: 'b', deployed_at: '2026-02-17T12:00:00Z', status: 'succeeded', commits: [H[1], 'abcdef0123'] };
      fs.writeFileSync(file, JSON.stringify({ deployments: bad }));
      const fixed = structuredOf(await server.call('get_deployments', {}));
      assert.deepEqual(fixed.deployments.map((d: { version: string }) => d.version), ['b', 'a']);
      assert.deepEqual(fixed.deployments[0].commits[1], { hash: 'abcdef0123', subject: null, in_repository: false });
      assert.match(fixed.notes.join('\n'), /1 listed commit\(s\) are not in the repository.*abcdef0123/);
    });

    it('a failed deployment does not count as shipping a commit that a later one shipped', async function () {
      fs.writeFileSync(
        file,
        JSON.stringify({
          deployments: [
            { version: 'r1', deployed_at: '2026-02-17T14:00:00Z', status: 'failed', commits: [H[2]] },
            { version: 'r2', deployed_at: '2026-02-17T14:30:00Z', status: 'succeeded', commits: [H[2], H[3]] },
          ],
        }),
      );
      const out = structuredOf(await server.call('get_commit', { hash: H[2], max_patch_lines: 0 }));
      assert.deepEqual(out.deployment, { version: 'r2', deployed_at: '2026-02-17T14:30:00Z', status: 'succeeded' });
    });
  });

  describe('a --repo that is not a repository', function () {
    it('starts, and every tool says what to fix', async function () {
      const notRepo = path.join(tmp, 'not-a-repo');
      fs.mkdirSync(notRepo, { recursive: true });
      const server = await startServer('git', ['--repo', notRepo]);
      try {
        for (const [tool, args] of [
          ['get_recent_commits', {}],
          ['get_commit', { hash: 'abcdef1' }],
          ['search_commits', { query: 'x' }],
          ['get_deployments', {}],
        ] as const) {
          const result = await server.call(tool, args);
          assert.equal(result.isError, true, tool);
          assert.match(textOf(result), /not-a-repo is not a git repository\. Start the git server with --repo/);
        }
        assert.match(server.stderr(), /WARNING: .*not-a-repo is not a git repository/);
      } finally {
        await server.close();
      }
    });

    it('a subdirectory of a repository is not taken for the repository', async function () {
      const server = await startServer('git', ['--repo', path.join(repo, 'services')]);
      try {
        assert.match(textOf(await server.call('get_recent_commits', {})), /is not a git repository/);
      } finally {
        await server.close();
      }
    });

    it('a path that does not exist says so', async function () {
      const server = await startServer('git', ['--repo', path.join(tmp, 'nowhere')]);
      try {
        assert.match(textOf(await server.call('get_deployments', {})), /nowhere does not exist/);
      } finally {
        await server.close();
      }
    });
  });

  describe('command line', function () {
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'servers', 'git.js'), ...args], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', ...env },
        input: '',
        timeout: 10_000,
      });

    it('without --repo prints usage on stderr and exits 2', function () {
      const result = run([]);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /--repo is required/);
      assert.match(result.stderr, /usage: node .*--repo VALUE.*INCIDENT_REPO/s);
      assert.equal(result.stdout, '');
    });

    it('an unknown flag exits 2', function () {
      const result = run(['--repo', repo, '--verbose', 'yes']);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /unknown option --verbose/);
    });
  });
});

/** Facts of fixtures/checkout-500 (history.json -> repo via scripts/build-fixture-repos.mjs). */
describe('git server on fixtures/checkout-500', function () {
  const scenario = path.join(fixturesDir, 'checkout-500');
  const fixtureRepo = path.join(scenario, 'repo');
  // v2.14.0, deployed 2026-02-17 14:25 UTC, newest first; the culprit is the pool change.
  const RELEASE_V2_14_0 = [
    ['bce9950f6c94aeda6548a43ea600b1f943eceae2', 'chore(release): v2.14.0'],
    ['332becaab1fcefba4e4c675ec91eef6ae540b5da', 'Retry inventory reservation with jitter'],
    ['2b8306bc963cc8d5f65bdf8897bbb85136907c80', 'Align production DB pool with pgbouncer limits'],
    ['408fb977e63339d024642c856751dd9f054237b2', 'Bump pg from 8.11.3 to 8.13.1'],
    ['72479fdbe18d6fa6dc1110505f3b03a2b4e92b0d', 'Log request ids with DB errors'],
    ['e52e4f945cd482b7bcf91f5a306f03403e38302b', "Update checkout button copy to 'Place order'"],
  ];
  const CULPRIT = '2b8306bc963cc8d5f65bdf8897bbb85136907c80';
  const NEVER_DEPLOYED = '90a2c4e3d437fde2f1bc2f27bbe7f2c33b4b97f6';
  let fromFile: RunningServer;
  let fromTags: RunningServer;

  before(async function () {
    if (!fs.existsSync(path.join(fixtureRepo, '.git'))) {
      console.log(`    (skipped: ${fixtureRepo} is not built; run npm run fixtures)`);
      this.skip();
    }
    [fromFile, fromTags] = await Promise.all([
      startServer('git', ['--repo', fixtureRepo, '--deployments', path.join(scenario, 'deployments.json')]),
      startServer('git', ['--repo', fixtureRepo]),
    ]);
  });
  after(async function () {
    await Promise.all([fromFile?.close(), fromTags?.close()]);
  });

  it('the deployment of 2026-02-17 14:25 lists its six commits, from the file and from the tags alike', async function () {
    for (const [server, status] of [
      [fromFile, 'succeeded'],
      [fromTags, 'deployed'],
    ] as const) {
      const out = structuredOf(await server.call('get_deployments', { since: '2026-02-17T00:00:00Z', until: '2026-02-17T23:59:59Z' }));
      assert.equal(out.total, 1);
      const [release] = out.deployments;
      assert.equal(release.version, 'v2.14.0');
      assert.equal(release.deployed_at, '2026-02-17T14:25:00Z');
      assert.equal(release.status, status);
      assert.equal(release.previous_version, 'v2.13.1');
      assert.deepEqual(release.commits.map((c: { hash: string; subject: string }) => [c.hash, c.subject]), RELEASE_V2_14_0);
    }
  });

  it('each of those commits reports v2.14.0; the later pool commit is not deployed', async function () {
    const out = structuredOf(await fromFile.call('get_recent_commits', { since: '2026-02-11T00:00:00Z' }));
    assert.deepEqual(
      out.commits.map((c: { hash: string; deployment: { version: string } | null }) => [c.hash, c.deployment?.version ?? null]),
      [[NEVER_DEPLOYED, null], ...RELEASE_V2_14_0.map(([hash]) => [hash, 'v2.14.0'])],
    );
    const incidentWindow = structuredOf(await fromFile.call('get_recent_commits', { since: '2026-02-17T13:45:00Z', until: '2026-02-17T15:30:00Z' }));
    assert.deepEqual(incidentWindow.commits.map((c: { hash: string }) => c.hash), [NEVER_DEPLOYED]);
  });

  it('get_commit shows the culprit: pool max 20 -> 5 and acquire timeout 5000 -> 1000 ms, shipped in v2.14.0', async function () {
    const out = structuredOf(await fromFile.call('get_commit', { hash: CULPRIT.slice(0, 7) }));
    assert.equal(out.hash, CULPRIT);
    assert.equal(out.subject, 'Align production DB pool with pgbouncer limits');
    assert.equal(out.author_name, 'Kenji Watanabe');
    assert.deepEqual(out.files, [{ path: 'config/database.yml', status: 'M', additions: 4, deletions: 2 }]);
    assert.deepEqual(out.deployment, { version: 'v2.14.0', deployed_at: '2026-02-17T14:25:00Z', status: 'succeeded' });
    assert.match(out.patch.text, /^-    max: 20$/m);
    assert.match(out.patch.text, /^\+    max: 5$/m);
    assert.match(out.patch.text, /^\+    connectionTimeoutMillis: 1000$/m);
  });

  it('search_commits finds the culprit by the config key it changed', async function () {
    const out = structuredOf(await fromTags.call('search_commits', { query: 'connectionTimeoutMillis', mode: 'code' }));
    const culprit = out.commits.find((c: { hash: string }) => c.hash === CULPRIT);
    assert.ok(culprit, 'the culprit changes connectionTimeoutMillis');
    assert.deepEqual(culprit.matched_in, ['code']);
    assert.equal(culprit.deployment.version, 'v2.14.0');
  });

  it('diff_range between the last good and the bad release, limited to config, is the culprit alone', async function () {
    const out = structuredOf(await fromFile.call('diff_range', { from: 'v2.13.1', to: 'v2.14.0', path: 'config' }));
    assert.deepEqual(out.commits.map((c: { hash: string }) => c.hash), [CULPRIT]);
    assert.deepEqual(out.files, [{ path: 'config/database.yml', status: 'M', additions: 4, deletions: 2 }]);
    const all = structuredOf(await fromFile.call('diff_range', { from: 'v2.13.1', to: 'v2.14.0', max_patch_lines: 0 }));
    assert.deepEqual(all.commits.map((c: { hash: string }) => c.hash), RELEASE_V2_14_0.map(([hash]) => hash));
  });

  it('a rolled-back release keeps its status', async function () {
    const out = structuredOf(await fromFile.call('get_deployments', { version: 'v2.12.0' }));
    assert.equal(out.deployments[0].status, 'rolled_back');
    const commit = structuredOf(await fromFile.call('get_commit', { hash: 'ec6920f3db302be7a6a01467f34660d63ab926ac', max_patch_lines: 0 }));
    assert.deepEqual(commit.deployment, { version: 'v2.12.0', deployed_at: '2026-01-28T15:10:00Z', status: 'rolled_back' });
  });
});
