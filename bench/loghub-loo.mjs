#!/usr/bin/env node
// Leave-one-system-out grouping accuracy of the log-pattern miner on the loghub 2k samples:
//   node bench/loghub-loo.mjs [--data ../shared/data/loghub] [--out bench/results/loghub-loo.json]
// Every combination of the miner's accuracy knobs (the grid below, over the numeric options in
// mcp-servers/logs/patterns/options.ts) is scored on every system. Then, for each system, the combination with the
// best average over the OTHER systems is chosen and the held-out system is scored with it: that is its LOO score,
// reported next to its plain score (shipped defaults). The miner is bundled from source with esbuild and run in
// process (the CLI takes the same knobs: `logs.js patterns FILE --set name=value`).
// Resource limits (maxLineLength, maxTokens, maxCachedShapes) are not accuracy knobs and stay at their defaults.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { groupingAccuracy, parseCsv } from './loghub-accuracy.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Candidate values per knob; a knob the miner does not have is skipped. Defaults are always added. */
const GRID = {
  similarityThreshold: [0.5, 0.55, 0.6, 0.65, 0.7],
  wordSimilarityThreshold: [0, 0.7, 0.75, 0.8],
  settledAfterForms: [3, 5, 10, Infinity],
  alignedSimilarityThreshold: [0.7, 0.8, 0.9],
  maxLengthDifference: [2, 4],
  maxAbsorbedTokens: [0, 1],
};

function parseArgs(argv) {
  const options = {
    data: path.resolve(repoRoot, '..', 'shared', 'data', 'loghub'),
    out: path.join(repoRoot, 'bench', 'results', 'loghub-loo.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in options) || argv[i + 1] === undefined) {
      console.error(`usage: node bench/loghub-loo.mjs [--data DIR] [--out FILE]`);
      process.exit(2);
    }
    options[name] = path.resolve(argv[++i]);
  }
  return options;
}

async function loadMiner() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loghub-loo-'));
  const outfile = path.join(dir, 'patterns.mjs');
  try {
    await build({
      entryPoints: [path.join(repoRoot, 'mcp-servers', 'logs', 'patterns', 'index.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'warning',
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readTruth(csvFile) {
  const [header, ...rows] = parseCsv(readFileSync(csvFile, 'utf8'));
  const lineCol = header.indexOf('LineId');
  const eventCol = header.indexOf('EventId');
  const truth = [];
  for (const row of rows) {
    if (row.length === 1 && row[0] === '') continue;
    truth[Number(row[lineCol]) - 1] = row[eventCol];
  }
  return truth;
}

/** Same line splitting as the CLI (readline, crlfDelay Infinity): \n or \r\n ends a line. */
function readLines(file) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function combinations(defaults) {
  const knobs = Object.keys(GRID).filter((k) => typeof defaults[k] === 'number');
  let combos = [{}];
  for (const knob of knobs) {
    const values = [...new Set([defaults[knob], ...GRID[knob]])].sort((a, b) => a - b);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [knob]: v })));
  }
  // The shipped defaults come first, so they win ties.
  const isDefault = (c) => knobs.every((k) => c[k] === defaults[k]);
  return { knobs, combos: [...combos.filter(isDefault), ...combos.filter((c) => !isDefault(c))] };
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { PatternMiner, defaultMinerOptions } = await loadMiner();
  const systems = readdirSync(options.data, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(options.data, d.name, `${d.name}_2k.log`)))
    .map((d) => d.name)
    .sort();
  const data = systems.map((system) => ({
    system,
    lines: readLines(path.join(options.data, system, `${system}_2k.log`)),
    truth: readTruth(path.join(options.data, system, `${system}_2k.log_structured.csv`)),
  }));
  const { knobs, combos } = combinations(defaultMinerOptions);
  const started = Date.now();
  // scores[c][s]: GA of combination c on system s.
  const scores = combos.map((combo) => data.map(({ lines, truth }) => {
    const miner = new PatternMiner(combo);
    const predicted = lines.map((line) => miner.add(line));
    return groupingAccuracy(predicted, truth).ga;
  }));
  const seconds = (Date.now() - started) / 1000;

  const plain = scores[0];
  const allAverages = scores.map(mean);
  const bestAll = allAverages.indexOf(Math.max(...allAverages));
  const folds = systems.map((system, s) => {
    let best = 0;
    let bestAverage = -1;
    scores.forEach((row, c) => {
      const average = mean(row.filter((_, j) => j !== s));
      if (average > bestAverage + 1e-12) {
        best = c;
        bestAverage = average;
      }
    });
    return { system, plain: plain[s], loo: scores[best][s], chosen: combos[best], trainAverage: bestAverage };
  });
  // How the all-systems average moves when one knob leaves its default (the others kept): a flat curve means the
  // default is no knife edge.
  const sensitivity = Object.fromEntries(
    knobs.map((knob) => {
      const row = {};
      combos.forEach((c, i) => {
        if (knobs.every((k) => k === knob || c[k] === defaultMinerOptions[k])) row[String(c[knob])] = Number(allAverages[i].toFixed(4));
      });
      return [knob, Object.fromEntries(Object.entries(row).sort(([a], [b]) => Number(a) - Number(b)))];
    }),
  );
  const result = {
    data: options.data,
    knobs,
    defaults: Object.fromEntries(knobs.map((k) => [k, defaultMinerOptions[k]])),
    combinations: combos.length,
    seconds,
    plainAverage: mean(plain),
    looAverage: mean(folds.map((f) => f.loo)),
    bestOnAllEight: { options: combos[bestAll], average: allAverages[bestAll] },
    sensitivity,
    foldsChoosingDefaults: folds.filter((f) => knobs.every((k) => f.chosen[k] === defaultMinerOptions[k])).length,
    systems: folds,
  };
  const table = [
    `${'system'.padEnd(12)} ${'plain'.padStart(6)} ${'LOO'.padStart(6)}  chosen on the other ${systems.length - 1}`,
    ...folds.map(
      (f) =>
        `${f.system.padEnd(12)} ${f.plain.toFixed(3).padStart(6)} ${f.loo.toFixed(3).padStart(6)}  ` +
        knobs.map((k) => `${k}=${f.chosen[k]}`).join(' '),
    ),
    `${'average'.padEnd(12)} ${result.plainAverage.toFixed(3).padStart(6)} ${result.looAverage.toFixed(3).padStart(6)}`,
    `${combos.length} combinations in ${seconds.toFixed(1)} s; best on all ${systems.length}: ` +
      `${allAverages[bestAll].toFixed(3)} with ${knobs.map((k) => `${k}=${combos[bestAll][k]}`).join(' ')}; ` +
      `${result.foldsChoosingDefaults}/${systems.length} folds chose the defaults`,
  ];
  for (const knob of knobs) {
    table.push(`  ${knob}: ` + Object.entries(sensitivity[knob]).map(([v, a]) => `${v}→${a.toFixed(3)}`).join(' '));
  }
  console.log(table.join('\n'));
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, JSON.stringify(result, (_, v) => (v === Infinity ? 'Infinity' : v), 2) + '\n');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
