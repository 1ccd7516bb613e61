// Stack frames in error records name code locations; they are matched to repository files across build output,
// deploy prefixes and compiled extensions, and frames inside installed libraries name the library.
import assert from 'node:assert/strict';
import { framesIn, pathMatch } from '../../src/engine/analysts/builtin/stackFrames';
import { dependencyChanges, sameLibrary } from '../../src/engine/analysts/builtin/dependencyChanges';

describe('stack frames', () => {
  it('reads Node frames, also from a JSON-escaped stack, with their functions', () => {
    const json = '{"msg":"request failed","err":{"stack":"TypeError: x\\n    at applyTier (/srv/pricing/dist/services/discounts.js:19:31)\\n    at async /srv/pricing/dist/routes/quote.js:40:5\\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"}}';
    const frames = framesIn(json);
    assert.deepEqual(frames.map((f) => [f.path, f.fn]), [
      ['/srv/pricing/dist/services/discounts.js', 'applyTier'],
      ['/srv/pricing/dist/routes/quote.js', undefined],
    ]);
  });

  it('reads Python, JVM and Go frames, and names the library of a frame inside one', () => {
    const text = [
      'Traceback (most recent call last):',
      '  File "/app/reports/export.py", line 88, in build_totals',
      '  File "/usr/local/lib/python3.11/site-packages/pandas/core/generic.py", line 5989, in __getattr__',
      "AttributeError: 'DataFrame' object has no attribute 'append'",
      '\tat com.example.ledger.StatementService.writeStatementCsv(StatementService.java:142)',
      '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)',
      'ts=2026-04-14T13:05:02Z caller=proxy.go:212 level=error msg="upstream request failed"',
    ].join('\n');
    const frames = framesIn(text);
    const byPath = new Map(frames.map((f) => [f.path, f]));
    assert.equal(byPath.get('/app/reports/export.py')?.fn, 'build_totals');
    assert.equal(byPath.get('/usr/local/lib/python3.11/site-packages/pandas/core/generic.py')?.library, 'pandas');
    assert.equal(byPath.get('com/example/ledger/StatementService.java')?.fn, 'writeStatementCsv');
    assert.ok(byPath.has('proxy.go'));
  });

  it('matches build output to source: dist/x.js is src/x.ts, a class path is its .java file', () => {
    assert.ok(pathMatch('/srv/pricing/dist/services/discounts.js', 'src/services/discounts.ts') >= 2);
    assert.ok(pathMatch('com/example/ledger/StatementService.java', 'src/main/java/com/example/ledger/StatementService.java') >= 4);
    assert.ok(pathMatch('/app/reports/export.py', 'reports/export.py') >= 2);
    assert.equal(pathMatch('/srv/pricing/dist/services/discounts.js', 'src/services/tax.ts'), 0);
    assert.equal(pathMatch('/srv/a/dist/index.js', 'src/other/index.ts'), 0, 'a generic base name alone is no match');
    assert.equal(pathMatch('proxy.go', 'internal/proxy/proxy.go'), 1, 'a distinctive base name alone is');
  });
});

describe('dependency changes', () => {
  it('reads version bumps from package.json, requirements.txt, go.mod and Gradle, and says which are major', () => {
    assert.deepEqual(dependencyChanges('requirements.txt', ['pandas==1.5.3'], ['pandas==2.1.4']), [
      { file: 'requirements.txt', name: 'pandas', from: '1.5.3', to: '2.1.4', major: true },
    ]);
    assert.deepEqual(dependencyChanges('package.json', ['    "pino": "^8.17.0",', '  "version": "1.0.0",'], ['    "pino": "^8.19.0",', '  "version": "1.1.0",']).map((d) => [d.name, d.major]), [['pino', false]]);
    assert.deepEqual(dependencyChanges('go.mod', ['\tgopkg.in/yaml.v3 v3.0.0'], ['\tgopkg.in/yaml.v3 v3.0.1']).map((d) => d.name), ['gopkg.in/yaml.v3']);
    assert.deepEqual(dependencyChanges('build.gradle', ["  implementation 'io.micrometer:micrometer-core:1.12.0'"], ["  implementation 'io.micrometer:micrometer-core:1.13.1'"]).map((d) => d.name), ['micrometer-core']);
    assert.deepEqual(dependencyChanges('src/config.py', ['pandas==1.5.3'], ['pandas==2.1.4']), [], 'only manifests');
  });

  it('knows a library by the names logs use for it', () => {
    assert.ok(sameLibrary('pandas', 'pandas'));
    assert.ok(sameLibrary('csv_stringify', 'csv-stringify'));
    assert.ok(!sameLibrary('pg', 'pino'));
  });
});
