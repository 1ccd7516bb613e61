// An analyst for a chat model a host supplies through the port (VS Code's language models): the shared
// investigation, with the model found before the run — or, when there is none, the reason, said when it starts.
import type { Analyst, AnalystContext } from '../../analysis/analyst.js';
import type { AnalystName } from '../../analysis/events.js';
import type { DraftReport } from '../../report/schema.js';
import type { ChatModel } from './chatModel.js';
import { investigateWithChatModel, investigationSteps } from './investigate.js';
import { newUsage, type ModelUsage } from './usage.js';

export interface ChatModelAnalystOptions {
  maxTurns?: number;
  toolResultBudgetChars?: number;
  /** Run the built-in analyst first and give the model its findings. Default true. */
  predigest?: boolean;
}

export class ChatModelAnalyst implements Analyst {
  lastUsage: ModelUsage | undefined;

  constructor(
    readonly name: AnalystName,
    /** The model, or why there is none (an AnalystError with the fix). */
    private readonly model: ChatModel | Error,
    private readonly options: ChatModelAnalystOptions = {},
  ) {}

  get label(): string {
    return this.model instanceof Error ? this.name : `${this.name} (${this.model.name})`;
  }

  get plannedSteps(): number {
    return investigationSteps(this.options.predigest !== false);
  }

  async investigate(ctx: AnalystContext): Promise<DraftReport> {
    if (this.model instanceof Error) throw this.model;
    const usage = newUsage();
    this.lastUsage = usage;
    return investigateWithChatModel(this.model, ctx, {
      maxTurns: Math.max(1, this.options.maxTurns ?? 12),
      toolResultBudgetChars: Math.max(200, this.options.toolResultBudgetChars ?? 8000),
      predigest: this.options.predigest !== false,
      largerModelHint: 'choose another model ("Incident Analyzer: Select Model")',
    }, usage);
  }
}
