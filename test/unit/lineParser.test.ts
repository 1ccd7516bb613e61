import assert from 'node:assert/strict';
import { parseLine } from '../../mcp-servers/logs/lineParser';

const at = (iso: string) => Date.parse(iso);

describe('log line parser', () => {
  it('reads the design format: date, time, level, component', () => {
    const p = parseLine('2026-02-17 14:45:23 ERROR [api] POST /api/checkout 500', 2026);
    assert.deepEqual(p, { time: at('2026-02-17T14:45:23Z'), level: 'error', format: 'timestamped' });
  });

  it('reads ISO-8601 with fraction and zone offset', () => {
    const p = parseLine('2026-03-05T10:12:44.123+01:00 WARN payments-api upstream slow', 2026);
    assert.equal(p.time, at('2026-03-05T09:12:44.123Z'));
    assert.equal(p.level, 'warn');
  });

  it('reads bracketed levels and comma fractions', () => {
    const p = parseLine('2026-03-05 09:12:44,500 [ERROR] boom', 2026);
    assert.equal(p.time, at('2026-03-05T09:12:44.500Z'));
    assert.equal(p.level, 'error');
  });

  it('reads JSON lines with ts/time/timestamp and msg/message, and numeric pino levels', () => {
    assert.deepEqual(parseLine('{"ts":"2026-02-17T14:45:23Z","level":"error","msg":"x"}', 2026), {
      time: at('2026-02-17T14:45:23Z'),
      level: 'error',
      format: 'json',
      message: 'x',
    });
    assert.equal(parseLine('{"time":"2026-02-17T14:45:23.5Z","level":"WARN"}', 2026).level, 'warn');
    assert.equal(parseLine('{"timestamp":1771339523000,"level":50}', 2026).time, 1771339523000);
    assert.equal(parseLine('{"timestamp":1771339523,"level":50}', 2026).level, 'error');
  });

  it('reads the error a structured record carries beside a generic message (pino err, ECS error.*, Python exc_info, logfmt err=)', () => {
    const pino = '{"level":50,"time":1771339523000,"msg":"request failed","err":{"type":"TypeError","message":"Cannot read properties of undefined (reading \'rate\')","stack":"TypeError: Cannot read …\\n    at apply (/srv/x/dist/a.js:3:9)"}}';
    assert.equal(parseLine(pino, 2026).message, "request failed: TypeError: Cannot read properties of undefined (reading 'rate')");
    const ecs = '{"@timestamp":"2026-02-17T14:45:23Z","log":{"level":"error"},"message":"export failed","error":{"type":"KeyError","message":"\'tz\'"}}';
    const parsed = parseLine(ecs, 2026);
    assert.equal(parsed.level, 'error');
    assert.equal(parsed.message, "export failed: KeyError: 'tz'");
    const python = '{"asctime":"x","time":"2026-02-17T14:45:23Z","levelname":"ERROR","message":"render failed","exc_info":"Traceback (most recent call last):\\n  File \\"/app/r.py\\", line 3, in f\\nAttributeError: \'Model\' object has no attribute \'dict\'"}';
    assert.equal(parseLine(python, 2026).message, "render failed: AttributeError: 'Model' object has no attribute 'dict'");
    assert.equal(parseLine('{"time":"2026-02-17T14:45:23Z","level":"error","error":"dial tcp: i/o timeout"}', 2026).message, 'dial tcp: i/o timeout');
    const logfmt = 'ts=2026-01-22T03:14:03.120Z level=error caller=proxy.go:212 msg="upstream request failed" err="context deadline exceeded"';
    assert.equal(parseLine(logfmt, 2026).message, 'upstream request failed: context deadline exceeded');
  });

  it('reads the level PostgreSQL writes after its zone and process id', () => {
    const error = parseLine('2026-05-26 14:02:11.204 UTC [2211] ERROR:  canceling statement due to lock timeout', 2026);
    assert.deepEqual([error.time, error.level], [at('2026-05-26T14:02:11.204Z'), 'error']);
    assert.equal(parseLine('2026-05-26 14:02:11.204 UTC [4121] accounts@accounts LOG:  process 4121 still waiting for AccessExclusiveLock', 2026).level, 'info');
    assert.equal(parseLine('2026-05-26 14:02:11.204 UTC [4121] WARNING:  there is no transaction in progress', 2026).level, 'warn');
    assert.equal(parseLine('2026-05-26 14:02:11 this ERROR: is a message, not a level', 2026).level, undefined);
  });

  it("reads Serilog's three-letter levels, nginx's error log and Go's log package", () => {
    const serilog = parseLine('2026-06-09 14:30:20.484 +00:00 [ERR] Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware: An unhandled exception', 2026);
    assert.deepEqual([serilog.time, serilog.level], [at('2026-06-09T14:30:20.484Z'), 'error']);
    assert.equal(parseLine('2026-06-09 14:30:05.240 +00:00 [WRN] slow', 2026).level, 'warn');
    const nginx = parseLine('2026/06/09 06:02:57 [error] 1023#1023: *9120331 open() "/usr/share/nginx/html/favicon.ico" failed', 2026);
    assert.deepEqual([nginx.time, nginx.level, nginx.format], [at('2026-06-09T06:02:57Z'), 'error', 'timestamped']);
    const go = parseLine('2026/05/14 13:05:01.123456 lookup ledger.svc.cluster.local: i/o timeout', 2026);
    assert.deepEqual([go.time, go.level, go.format], [at('2026-05-14T13:05:01.123Z'), undefined, 'timestamped']);
  });

  it('reads BSD syslog with the year it is given, and a level word in the message', () => {
    const p = parseLine('Mar  5 09:12:44 web-1 payments-api[2211]: ERROR upstream 503', 2026);
    assert.equal(p.time, at('2026-03-05T09:12:44Z'));
    assert.equal(p.level, 'error');
    assert.equal(p.format, 'syslog');
  });

  it('reads logfmt lines, with the message for mining', () => {
    const p = parseLine('time=2026-01-22T03:14:03.120Z level=error component=sync msg="write failed: ENOSPC" order=88', 2026);
    assert.deepEqual(p, { time: at('2026-01-22T03:14:03.120Z'), level: 'error', format: 'logfmt', message: 'write failed: ENOSPC' });
    assert.equal(parseLine('user=alice action=login', 2026).format, 'unknown', 'key=value without a time is not a log record');
  });

  it('gives syslog lines without a level word a severity from what they say', () => {
    assert.equal(parseLine("Jan 22 03:14:03 sync-1 order-sync[48245]: Error: ENOSPC: no space left on device, write", 2026).level, 'error');
    assert.equal(parseLine('Jan 22 03:14:05 sync-1 systemd[1]: order-sync.service: Failed with result exit-code.', 2026).level, 'error');
    assert.equal(parseLine('Jan 22 03:10:00 sync-1 CRON[311]: (root) CMD (run-parts /etc/cron.hourly)', 2026).level, undefined);
  });

  it('reads nginx/Apache access logs, with severity from the status code', () => {
    const line = '10.0.0.7 - - [17/Feb/2026:14:45:23 +0000] "POST /api/checkout HTTP/1.1" 500 123 "-" "curl/8"';
    assert.deepEqual(parseLine(line, 2026), { time: at('2026-02-17T14:45:23Z'), level: 'error', format: 'access' });
    const ok = '10.0.0.7 - - [17/Feb/2026:15:45:23 +0100] "GET / HTTP/1.1" 200 5 "-" "curl/8"';
    assert.equal(parseLine(ok, 2026).time, at('2026-02-17T14:45:23Z'));
    assert.equal(parseLine(ok, 2026).level, 'info');
  });

  it('reads the Apache error log', () => {
    const p = parseLine('[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6', 2026);
    assert.equal(p.time, at('2005-12-04T04:47:44Z'));
    assert.equal(p.level, 'error');
  });

  it('gives no time to a continuation line and does not mistake words for levels', () => {
    assert.deepEqual(parseLine('    at Pool.acquire (src/db/pool.js:88:11)', 2026), { format: 'unknown' });
    const p = parseLine('2026-02-17 14:45:23 user 42 logged in', 2026);
    assert.equal(p.level, undefined);
    assert.equal(p.time, at('2026-02-17T14:45:23Z'));
  });

  it('survives garbage', () => {
    for (const junk of ['', '{', '{"ts": [1,2]}', '\u0000\u0001binary', '[', '9'.repeat(10000)]) {
      assert.doesNotThrow(() => parseLine(junk, 2026));
    }
  });
});
