// A tool call's arguments on one line (`key=value …`), cut to fit a tree row or a card's summary.
export function argsPreview(args: Record<string, unknown>, max: number): string {
  const text = Object.entries(args)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
