/**
 * A streaming CSV reader for large list files: RFC 4180 (quoted fields, doubled quotes, CRLF or LF,
 * newlines inside quotes) with the leniency publishers need — a quote inside an unquoted field is
 * kept as text, and a quote inside a quoted field that is not followed by a separator is kept too.
 * Each row comes with the line it starts on. Rows are cut synchronously out of each chunk; only
 * an incomplete last row waits for the next chunk.
 */
export interface CsvRow {
  fields: string[];
  /** 1-based line where the row starts. */
  line: number;
  /** Set when the input ended inside a quoted field (a truncated file). */
  unterminatedQuote?: boolean;
}

/** Reads rows from text chunks (already decoded), in order. */
export async function* readCsvRows(chunks: AsyncIterable<string>): AsyncGenerator<CsvRow> {
  let buf = '';
  let line = 1;
  for await (const chunk of chunks) {
    buf += chunk;
    const cut = cutRows(buf, line, false);
    yield* cut.rows;
    buf = buf.slice(cut.consumed);
    line = cut.line;
  }
  if (buf.length > 0) yield* cutRows(buf, line, true).rows;
}

/**
 * Cuts the complete rows out of `buf`. Without `eof`, a row that reaches the end of the buffer is
 * left for later (it may continue in the next chunk).
 */
export function cutRows(
  buf: string,
  startLine: number,
  eof: boolean,
): { rows: CsvRow[]; consumed: number; line: number } {
  const rows: CsvRow[] = [];
  const n = buf.length;
  let pos = 0;
  let line = startLine;
  outer: while (pos < n) {
    const rowStart = pos;
    const rowLine = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (buf.charCodeAt(pos) === 34 /* " */) {
        pos++;
        for (;;) {
          const q = buf.indexOf('"', pos);
          if (q < 0 || q === n - 1) {
            if (!eof) {
              line = rowLine;
              pos = rowStart;
              break outer;
            }
            if (q < 0) {
              const piece = buf.slice(pos);
              fields.push(field + piece);
              rows.push({ fields, line: rowLine, unterminatedQuote: true });
              line += countNewlines(piece);
              pos = n;
              break outer;
            }
            field += buf.slice(pos, q);
            line += countNewlines(buf.slice(pos, q));
            pos = n;
            break;
          }
          const piece = buf.slice(pos, q);
          line += countNewlines(piece);
          field += piece;
          pos = q + 1;
          const c = buf.charCodeAt(pos);
          if (c === 34) {
            field += '"';
            pos++;
          } else if (c === 44 || c === 10 || c === 13) {
            break;
          } else {
            field += '"'; // a stray quote inside the field: keep it as text
          }
        }
      }
      let i = pos;
      while (i < n) {
        const c = buf.charCodeAt(i);
        if (c === 44 || c === 10 || c === 13) break;
        i++;
      }
      field += buf.slice(pos, i);
      pos = i;
      if (pos >= n) {
        if (!eof) {
          line = rowLine;
          pos = rowStart;
          break outer;
        }
        fields.push(field);
        rows.push({ fields, line: rowLine });
        break outer;
      }
      const c = buf.charCodeAt(pos);
      fields.push(field);
      if (c === 44) {
        pos++;
        if (pos >= n && eof) {
          fields.push('');
          rows.push({ fields, line: rowLine });
          break outer;
        }
        continue;
      }
      // end of row: \n, \r\n or \r (a \r at the very end may be half of \r\n)
      if (c === 13 && pos + 1 >= n && !eof) {
        line = rowLine;
        pos = rowStart;
        break outer;
      }
      pos += c === 13 && buf.charCodeAt(pos + 1) === 10 ? 2 : 1;
      line++;
      rows.push({ fields, line: rowLine });
      break;
    }
  }
  return { rows, consumed: pos, line };
}

function countNewlines(s: string): number {
  let k = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) k++;
  return k;
}
