// Log-template mining for the logs server: see miner.ts for the method.
export { PatternMiner } from './miner.js';
export { defaultMinerOptions, type MinerOptions } from './options.js';
export { assignments, mineFile, type LineAssignment, type MinedFile } from './mineFile.js';
