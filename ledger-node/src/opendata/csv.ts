/**
 * CSV as RFC 4180 writes it: records end with CRLF, the first record is the header, a field is quoted when it holds a
 * comma, a double quote, CR or LF, and a quote inside a quoted field is doubled. UTF-8, no byte-order mark (RFC 4180
 * §3 leaves the charset to the media type's parameter; the routes say `charset=utf-8`).
 */

/** One cell: null (or undefined) is the empty field, the schemas' only missing value. */
export type CsvValue = string | number | bigint | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

/** A field as RFC 4180 writes it. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole file: the header record, then one record per row, every record ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  let out = header.map(csvField).join(",") + "\r\n";
  for (const row of rows) out += row.map(csvField).join(",") + "\r\n";
  return out;
}
