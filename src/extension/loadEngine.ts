// Loads dist/engine.js on first use. The bundler leaves this require alone (it is external), so the engine is
// neither in the activation bundle nor evaluated until something needs it.
import type * as EngineModule from './engine.js';

export type Engine = typeof EngineModule;

let engine: Engine | undefined;

export function loadEngine(): Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require('./engine.js') as Engine;
  return engine;
}
