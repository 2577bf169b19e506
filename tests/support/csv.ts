/**
 * A strict RFC 4180 reader for checking exported files: fields quoted or bare, "" for a quote inside a
 * quoted field, CRLF between records. Anything else (a bare quote, a stray character after a closing
 * quote, a lone LF) throws, so a file that only a lenient reader would accept fails the test. A UTF-8
 * byte order mark is read as spreadsheets read it: as the encoding, never as part of the first field.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let at = text.startsWith('\uFEFF') ? 1 : 0;
  let quoted = false;
  let fieldStarted = false;
  while (at < text.length) {
    const char = text[at] as string;
    if (quoted) {
      if (char === '"') {
        if (text[at + 1] === '"') {
          field += '"';
          at += 2;
          continue;
        }
        quoted = false;
        at += 1;
        const next = text[at];
        if (next !== undefined && next !== ',' && next !== '\r')
          throw new Error(`unexpected ${JSON.stringify(next)} after a closing quote at ${at}`);
        continue;
      }
      field += char;
      at += 1;
      continue;
    }
    if (char === '"') {
      if (fieldStarted) throw new Error(`bare quote inside an unquoted field at ${at}`);
      quoted = true;
      fieldStarted = true;
      at += 1;
      continue;
    }
    if (char === ',') {
      record.push(field);
      field = '';
      fieldStarted = false;
      at += 1;
      continue;
    }
    if (char === '\r') {
      if (text[at + 1] !== '\n') throw new Error(`CR without LF at ${at}`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      fieldStarted = false;
      at += 2;
      continue;
    }
    if (char === '\n') throw new Error(`LF without CR outside quotes at ${at}`);
    field += char;
    fieldStarted = true;
    at += 1;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (fieldStarted || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Records as objects keyed by the header row. */
export function csvObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((row) => {
    if (row.length !== header.length)
      throw new Error(`row has ${row.length} fields, header ${header.length}`);
    return Object.fromEntries(header.map((name, index) => [name, row[index] as string]));
  });
}
