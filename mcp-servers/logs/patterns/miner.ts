// Online template miner. Lines are compared by their message (the tokens after a recognised header):
// a message seen before in exactly this masked form is a hash lookup; a new form joins the most similar
// template of the same length and first word (Drain-style), else one it aligns with when wildcards
// stretch, or starts its own template.
import { Aligner } from './align.js';
import { defaultMinerOptions, type MinerOptions } from './options.js';
import { HEADER_WINDOW } from './header.js';
import { LineShaper, WILDCARD, type LineShape } from './shapeLine.js';

interface Template {
  readonly id: string;
  /** Header tokens, generalised like the message; a single wildcard once headers of other lengths joined. */
  header: string[];
  /** Message tokens; positions found to vary become WILDCARD. */
  tokens: string[];
  /** First message word when the line had a recognised header, else ''. */
  readonly head: string;
  count: number;
  /** Distinct masked messages that joined it. */
  forms: number;
  /** Rendered text, cleared whenever header or tokens change. */
  text: string | undefined;
}

export class PatternMiner {
  private readonly options: MinerOptions;
  private readonly shaper: LineShaper;
  private readonly aligner = new Aligner();
  private readonly byId = new Map<string, Template>();
  /** "length head" → templates: the candidates for a new message form. */
  private readonly byLength = new Map<string, Template[]>();
  /** head → templates of every length: the candidates for alignment. */
  private readonly byHead = new Map<string, Template[]>();
  /** Exact masked message → its template: the fast path for lines seen before. */
  private readonly messageCache = new Map<string, Template>();
  /** columnVotes[w]: lines whose header of plain columns was w tokens wide. */
  private readonly columnVotes = new Uint32Array(HEADER_WINDOW + 1);

  constructor(options?: Partial<MinerOptions>) {
    this.options = { ...defaultMinerOptions, ...options };
    this.shaper = new LineShaper(this.options.maxLineLength, this.options.maxTokens);
  }

  /** Feeds one raw log line (header and all). Returns the stable id of its template. */
  add(rawLine: string): string {
    const shape = this.shaper.run(rawLine);
    if (shape.columns) this.evenOutColumns(shape);
    const key = messageKey(shape);
    let template = this.messageCache.get(key);
    if (template === undefined) {
      template = this.place(shape, shape.tokens.slice(shape.messageStart));
      template.forms++;
      if (this.messageCache.size >= this.options.maxCachedShapes) this.messageCache.clear();
      this.messageCache.set(key, template);
    }
    this.generaliseHeader(template, shape);
    template.count++;
    return template.id;
  }

  /**
   * A header of plain columns is as wide on every line of a file, even where one line's column happens to look
   * like a message word (a host "master" among "node-<*>", an empty field): the width most lines showed wins.
   */
  private evenOutColumns(shape: LineShape): void {
    const votes = this.columnVotes;
    votes[shape.messageStart]!++;
    let width = 0;
    for (let w = 1; w < votes.length; w++) if (votes[w]! > votes[width]!) width = w;
    if (width > 0 && width < shape.tokens.length) shape.messageStart = width;
  }

  /** The current template text for an id (templates generalise as more lines arrive; ids never change). */
  template(id: string): string {
    const template = this.byId.get(id);
    if (template === undefined) throw new Error(`unknown template id ${id}`);
    return render(template);
  }

  /** All templates with their line counts. */
  templates(): Array<{ id: string; template: string; count: number }> {
    return [...this.byId.values()].map((t) => ({ id: t.id, template: render(t), count: t.count }));
  }

  /** Finds (and generalises) or creates the template for a message form not seen before. */
  private place(shape: LineShape, message: string[]): Template {
    const head = headOf(shape);
    const sameLength = this.closestOfLength(message, this.byLength.get(lengthKey(message.length, head)));
    if (sameLength !== undefined) {
      generaliseInPlace(sameLength, message);
      return sameLength;
    }
    const aligned = this.closestAligned(message, this.byHead.get(head));
    if (aligned !== undefined) {
      const [template, merged] = aligned;
      if (merged.length !== template.tokens.length) this.moveLength(template, merged.length);
      template.tokens = merged;
      template.text = undefined;
      return template;
    }
    return this.create(shape, message, head);
  }

  /**
   * The template of this length the message shares most constants with, if it shares enough. Positions where
   * template and message hold different constant words ("startup" / "shutdown", "view" / "modify") are judged
   * apart from variable-shaped ones: a short message with one such word differing is another event more often
   * than not, so they must also pass wordSimilarityThreshold; and a word that stayed the same while the template
   * took settledAfterForms different message forms is part of it, not a variable.
   */
  private closestOfLength(message: readonly string[], candidates: Template[] | undefined): Template | undefined {
    if (candidates === undefined) return undefined;
    const n = message.length;
    if (n === 0) return candidates[0];
    const { similarityThreshold, wordSimilarityThreshold, settledAfterForms } = this.options;
    let best: Template | undefined;
    let bestSame = -1;
    let bestWild = -1;
    for (const candidate of candidates) {
      let same = 0;
      let wild = 0;
      let words = 0;
      const known = candidate.tokens;
      for (let i = 0; i < n; i++) {
        const t = known[i]!;
        const m = message[i]!;
        if (t === WILDCARD) wild++;
        else if (t === m) same++;
        else if (isConstantWord(t) && isConstantWord(m)) words++;
      }
      if (same / n < similarityThreshold) continue;
      if (words > 0 && (candidate.forms >= settledAfterForms || same / (same + words) < wordSimilarityThreshold)) continue;
      if (same > bestSame || (same === bestSame && wild > bestWild)) {
        best = candidate;
        bestSame = same;
        bestWild = wild;
      }
    }
    return best;
  }

  private closestAligned(message: readonly string[], candidates: Template[] | undefined): [Template, string[]] | undefined {
    if (candidates === undefined) return undefined;
    const constants = countConstants(message);
    let best: [Template, string[]] | undefined;
    let bestScore = -1;
    for (const candidate of candidates) {
      if (Math.abs(candidate.tokens.length - message.length) > this.options.maxLengthDifference) continue;
      const alignment = this.aligner.align(candidate.tokens, message, this.options.maxAbsorbedTokens);
      if (alignment === undefined) continue;
      const score = alignment.matched / Math.max(constants, countConstants(candidate.tokens), 1);
      if (score > bestScore) {
        best = [candidate, alignment.merged];
        bestScore = score;
      }
    }
    return bestScore >= this.options.alignedSimilarityThreshold ? best : undefined;
  }

  private create(shape: LineShape, message: readonly string[], head: string): Template {
    const id = `T${this.byId.size + 1}`;
    const template: Template = {
      id,
      header: shape.tokens.slice(0, shape.messageStart),
      tokens: [...message],
      head,
      count: 0,
      forms: 0,
      text: undefined,
    };
    this.byId.set(id, template);
    pushTo(this.byLength, lengthKey(message.length, head), template);
    pushTo(this.byHead, head, template);
    return template;
  }

  private moveLength(template: Template, newLength: number): void {
    const old = this.byLength.get(lengthKey(template.tokens.length, template.head));
    if (old !== undefined) old.splice(old.indexOf(template), 1);
    pushTo(this.byLength, lengthKey(newLength, template.head), template);
  }

  private generaliseHeader(template: Template, shape: LineShape): void {
    const header = template.header;
    const length = shape.messageStart;
    if (header.length === 1 && header[0] === WILDCARD) return;
    if (header.length !== length) {
      template.header = length === 0 && header.length === 0 ? [] : [WILDCARD];
      template.text = undefined;
      return;
    }
    const tokens = shape.tokens;
    for (let i = 0; i < length; i++) {
      if (header[i] !== tokens[i] && header[i] !== WILDCARD) {
        header[i] = WILDCARD;
        template.text = undefined;
      }
    }
  }
}

function generaliseInPlace(template: Template, message: readonly string[]): void {
  const tokens = template.tokens;
  for (let i = 0; i < message.length; i++) {
    if (tokens[i] !== message[i] && tokens[i] !== WILDCARD) {
      tokens[i] = WILDCARD;
      template.text = undefined;
    }
  }
}

/** The masked message (and whether a header preceded it) as one string: the fast-path cache key. */
function messageKey(shape: LineShape): string {
  const { tokens, messageStart } = shape;
  let key = messageStart > 0 ? 'h' : 'n';
  for (let i = messageStart; i < tokens.length; i++) key += ' ' + tokens[i]!;
  return key;
}

/** First message word when a header was recognised (Drain's prefix tree, one level deep) and it is a constant, else ''. */
function headOf(shape: LineShape): string {
  if (shape.messageStart === 0) return '';
  const head = shape.tokens[shape.messageStart];
  // A first word with a variable part ("wpad:<*>", "blk_<*>") varies with it: it does not partition.
  return head === undefined || head.includes(WILDCARD) ? '' : head;
}

function lengthKey(length: number, head: string): string {
  return `${length} ${head}`;
}

/** A token with no variable part: a word, a key with its word value ("enabled=true"), punctuation. */
function isConstantWord(token: string): boolean {
  return !token.includes(WILDCARD);
}

function countConstants(tokens: readonly string[]): number {
  let n = 0;
  for (const t of tokens) if (t !== WILDCARD) n++;
  return n;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function render(template: Template): string {
  if (template.text !== undefined) return template.text;
  const parts: string[] = [];
  for (const token of [...template.header, ...template.tokens]) {
    // Neighbouring wildcards say no more than one does.
    if (token !== WILDCARD || parts[parts.length - 1] !== WILDCARD) parts.push(token);
  }
  return (template.text = parts.join(' '));
}
