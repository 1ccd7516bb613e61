// Keeps the last lines a server wrote to stderr, to show when it fails.
export class StderrTail {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly maxLines = 40, private readonly maxLineLength = 500) {}

  write(chunk: string): string[] {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    if (this.partial.length > this.maxLineLength) {
      parts.push(this.partial);
      this.partial = '';
    }
    const complete = parts.map((l) => (l.length > this.maxLineLength ? `${l.slice(0, this.maxLineLength)}…` : l));
    this.lines.push(...complete);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    return complete;
  }

  text(): string {
    return [...this.lines, ...(this.partial ? [this.partial] : [])].join('\n');
  }
}
