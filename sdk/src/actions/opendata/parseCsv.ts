/**
 * Reads RFC 4180 CSV (what the ledger node's open data writes): records ended by CRLF (a bare LF is taken too), fields
 * quoted when they hold commas, quotes or line breaks, quotes inside doubled. Every field comes back as a string; an
 * empty field is `""` (the schemas' missing value).
 *
 * @throws {CsvSyntaxError} On a quote that is never closed, or a character after a closing quote.
 * @example `parseCsv('a,b\r\n"x,y",2\r\n') // [["a", "b"], ["x,y", "2"]]`
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  const endField = () => {
    record.push(field);
    field = "";
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === "") {
      // A quoted field: up to the closing quote, "" standing for one quote.
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new CsvSyntaxError(`a quoted field opened at offset ${i} is never closed`);
        field += text.slice(j, q);
        if (text[q + 1] === '"') {
          field += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") throw new CsvSyntaxError(`unexpected ${JSON.stringify(next)} after a closing quote at offset ${i}`);
      continue;
    }
    if (c === ",") endField();
    else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      endField();
      records.push(record);
      record = [];
      if (c === "\r") i++;
    } else field += c;
    i++;
  }
  if (field !== "" || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}

/** The text is not valid RFC 4180 CSV. @example `catch (e) { if (e instanceof CsvSyntaxError) … }` */
export class CsvSyntaxError extends Error {
  override name = "CsvSyntaxError";
}
