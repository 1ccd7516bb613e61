// Words of log templates and code changes, compared to see whether a commit touches what is failing.
const STOP = new Set(
  [
    'the and for with from that this was were are not but all any can has have had its into out our off per via',
    'after before when then than over under about while which what where who why how new old set get use',
    'error errors warn warning info debug fatal failed failure request requests true false null none',
    'const let var function return import export require module async await self else elif',
  ]
    .join(' ')
    .split(' '),
);

/** Lower-case words of 3+ letters; camelCase, snake_case and paths are split; masks and numbers are dropped. */
export function wordsOf(text: string): Set<string> {
  const out = new Set<string>();
  const spaced = text.replace(/<\*>/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
  for (const raw of spaced.toLowerCase().split(/[^a-z]+/)) {
    if (raw.length >= 3 && !STOP.has(raw)) out.add(raw);
  }
  return out;
}

export function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...a].filter((w) => b.has(w));
}
