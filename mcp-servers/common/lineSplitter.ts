// Cuts a stream of text chunks into lines in linear time: each chunk is searched once for newlines, and a line
// that spans many chunks is joined once, when it ends (re-splitting a growing buffer per chunk is quadratic: a
// 40 MB line took minutes).
export class LineSplitter {
  private parts: string[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf('\n', start); nl !== -1; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      if (this.parts.length > 0) {
        this.parts.push(piece);
        const line = this.parts.join('');
        this.parts = [];
        this.onLine(line);
      } else this.onLine(piece);
      start = nl + 1;
    }
    if (start < chunk.length) this.parts.push(start === 0 ? chunk : chunk.slice(start));
  }

  /** The last line when the text did not end with a newline. */
  end(): void {
    if (this.parts.length === 0) return;
    const line = this.parts.join('');
    this.parts = [];
    this.onLine(line);
  }
}
