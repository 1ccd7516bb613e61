// Which VS Code chat model the `incidentAnalyzer.vscodeLm.model` setting names: "vendor/family", "vendor/id",
// a bare id, family or vendor; empty names the first one VS Code offers. No vscode import: tested in plain Node.

/** What the picker and the matching read of a vscode.LanguageModelChat. */
export interface ChatModelInfo {
  vendor: string;
  family: string;
  id: string;
  name: string;
}

export function matchingModels<T extends ChatModelInfo>(selector: string, models: readonly T[]): T[] {
  const wanted = selector.trim();
  if (!wanted) return [...models];
  const byId = models.filter((m) => m.id === wanted);
  if (byId.length > 0) return byId;
  const slash = wanted.indexOf('/');
  if (slash > 0) {
    const vendor = wanted.slice(0, slash);
    const rest = wanted.slice(slash + 1);
    return models.filter((m) => m.vendor === vendor && (rest === '' || m.id === rest || m.family === rest));
  }
  return models.filter((m) => m.family === wanted || m.vendor === wanted);
}

/** What the picker stores: "vendor/family" when that names one model (it survives version bumps), else "vendor/id". */
export function selectorFor(model: ChatModelInfo, all: readonly ChatModelInfo[]): string {
  const byFamily = `${model.vendor}/${model.family}`;
  const same = matchingModels(byFamily, all);
  return same.length === 1 && same[0]!.id === model.id ? byFamily : `${model.vendor}/${model.id}`;
}

/** How steps and the report name the model: "GPT-4o via copilot" (the label adds its own parentheses). */
export function describeModel(model: ChatModelInfo): string {
  return `${model.name} via ${model.vendor}`;
}
