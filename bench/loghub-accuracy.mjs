#!/usr/bin/env node
// Grouping accuracy (GA) of the log-pattern miner on the loghub 2k samples, run through the real CLI:
//   node bench/loghub-accuracy.mjs [--cli dist/servers/logs.js] [--data ../shared/data/loghub]
// GA (Zhu et al., ICSE-SEIP 2019): a line counts as correct when the set of lines the miner grouped with it is
// exactly the set of lines sharing its ground-truth EventId. Writes bench/results/loghub-accuracy.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Published per-system GA of Drain (with hand-written headers and regexes), for comparison only.
const DRAIN_PUBLISHED = {
  HDFS: 0.998, Hadoop: 0.948, Spark: 0.92, Zookeeper: 0.967, OpenStack: 0.733, BGL: 0.963, HPC: 0.887,
  Thunderbird: 0.955, Windows: 0.997, Linux: 0.69, Mac: 0.787, Android: 0.911, HealthApp: 0.78, Apache: 1.0,
  OpenSSH: 0.788, Proxifier: 0.527,
};

function parseArgs(argv) {
  const options = {
    cli: path.join(repoRoot, 'dist', 'servers', 'logs.js'),
    data: path.resolve(repoRoot, '..', 'shared', 'data', 'loghub'),
    out: path.join(repoRoot, 'bench', 'results', 'loghub-accuracy.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in options) || argv[i + 1] === undefined) {
      console.error(`usage: node bench/loghub-accuracy.mjs [--cli PATH] [--data DIR] [--out FILE]`);
      process.exit(2);
    }
    options[name] = path.resolve(argv[++i]);
  }
  return options;
}

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readTruth(csvFile) {
  const [header, ...rows] = parseCsv(readFileSync(csvFile, 'utf8'));
  const lineCol = header.indexOf('LineId');
  const eventCol = header.indexOf('EventId');
  if (lineCol < 0 || eventCol < 0) throw new Error(`${csvFile}: no LineId/EventId columns`);
  const truth = [];
  for (const row of rows) {
    if (row.length === 1 && row[0] === '') continue;
    truth[Number(row[lineCol]) - 1] = row[eventCol];
  }
  return truth;
}

/** Runs `node CLI patterns FILE --assignments` and returns the template id of each line, in order. */
async function runCli(cli, logFile) {
  const child = spawn(process.execPath, [cli, 'patterns', logFile, '--assignments'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const predicted = [];
  const started = process.hrtime.bigint();
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const { line: n, template_id: id } = JSON.parse(line);
    predicted[n - 1] = id;
  }
  const code = await new Promise((resolve) => child.on('close', resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`${cli} exited with ${code} on ${logFile}: ${stderr}`);
  return { predicted, seconds };
}

/** Fraction of lines whose predicted group equals their ground-truth group exactly. */
export function groupingAccuracy(predicted, truth) {
  if (predicted.length !== truth.length) {
    throw new Error(`line counts differ: ${predicted.length} predicted, ${truth.length} labelled`);
  }
  const truthSizes = new Map();
  for (const t of truth) truthSizes.set(t, (truthSizes.get(t) ?? 0) + 1);
  const groups = new Map();
  predicted.forEach((p, i) => {
    if (p === undefined) throw new Error(`line ${i + 1} has no assignment`);
    let labels = groups.get(p);
    if (!labels) groups.set(p, (labels = []));
    labels.push(truth[i]);
  });
  let correct = 0;
  for (const labels of groups.values()) {
    const first = labels[0];
    if (labels.every((l) => l === first) && truthSizes.get(first) === labels.length) correct += labels.length;
  }
  return { ga: correct / truth.length, groups: groups.size, truthGroups: truthSizes.size };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(options.cli)) {
    console.error(`no CLI bundle at ${options.cli} (run npm run build, or pass --cli PATH)`);
    process.exit(2);
  }
  const systems = readdirSync(options.data, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(options.data, d.name, `${d.name}_2k.log`)))
    .map((d) => d.name)
    .sort();
  if (systems.length === 0) {
    console.error(`no loghub systems under ${options.data}`);
    process.exit(2);
  }
  const results = [];
  for (const system of systems) {
    const logFile = path.join(options.data, system, `${system}_2k.log`);
    const truth = readTruth(path.join(options.data, system, `${system}_2k.log_structured.csv`));
    const { predicted, seconds } = await runCli(options.cli, logFile);
    const { ga, groups, truthGroups } = groupingAccuracy(predicted, truth);
    results.push({ system, lines: truth.length, ga, groups, truthGroups, seconds, drainPublished: DRAIN_PUBLISHED[system] ?? null });
  }
  const average = results.reduce((s, r) => s + r.ga, 0) / results.length;
  const drainRows = results.filter((r) => r.drainPublished !== null);
  const drainAverage = drainRows.reduce((s, r) => s + r.drainPublished, 0) / drainRows.length;

  const table = [
    `${'system'.padEnd(12)} ${'GA'.padStart(6)} ${'drain*'.padStart(7)} ${'groups'.padStart(7)} ${'truth'.padStart(6)}`,
    ...results.map(
      (r) =>
        `${r.system.padEnd(12)} ${r.ga.toFixed(3).padStart(6)} ${(r.drainPublished?.toFixed(3) ?? '-').padStart(7)} ` +
        `${String(r.groups).padStart(7)} ${String(r.truthGroups).padStart(6)}`,
    ),
    `${'average'.padEnd(12)} ${average.toFixed(3).padStart(6)} ${drainAverage.toFixed(3).padStart(7)}`,
    `* Drain's published GA (hand-written per-system header formats and regexes), for comparison.`,
  ];
  console.log(table.join('\n'));
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(
    options.out,
    JSON.stringify({ cli: path.relative(repoRoot, options.cli), data: options.data, average, drainAverage, systems: results }, null, 2) + '\n',
  );
}

// Importable (for parseCsv / groupingAccuracy) without running.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
