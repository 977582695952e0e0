import {
  type EntityAddress,
  type EntityKind,
  emptyEntity,
  type ListEntity,
  type ListParser,
  type ListRecord,
  type NameKind,
  type ParseWarning,
  type SourceFile,
} from '../../model.js';
import { parseError } from '../../parse-error.js';
import { readCsvRows } from '../csv-reader.js';
import {
  addCountry,
  addIdentifier,
  addName,
  addRelation,
  applyRemarks,
  countryCode,
  looksCut,
  nameTarget,
  OFAC_SOURCE,
} from './remarks.js';

/**
 * The OFAC SDN list in its legacy CSV family: `sdn.csv` (12 columns, no header: ent_num,
 * SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner,
 * Remarks), `add.csv` (addresses), `alt.csv` (strong aliases) and `sdn_comments.csv` (the part of
 * Remarks beyond 1,000 characters), joined by ent_num. Files are told apart by name. Companion
 * files are read first (they are small), then `sdn.csv` streams out one entity per row.
 */
export const parseOfacCsv: ListParser = async function* (files, warn): AsyncIterable<ListRecord> {
  const main: SourceFile[] = [];
  const companions: Companion[] = [];
  for (const file of files) {
    const role = fileRole(file.name);
    if (role === 'sdn') main.push(file);
    else companions.push(await readCompanion(file, role));
  }
  if (main.length === 0) {
    const name = files[0]?.name ?? '(no file)';
    throw parseError(
      name,
      'no sdn.csv among the files: the OFAC CSV format needs sdn.csv (add/alt/comments are optional)',
    );
  }
  const seen = new Set<string>();
  for (const file of main) {
    const cut: string[] = [];
    const foreign: string[] = [];
    let rows = 0;
    for await (const row of csvRows(file)) {
      if (rows === 0 && isHeader(row.fields)) {
        if (row.fields.length !== SDN_COLUMNS) throw wrongShape(file.name, row, SDN_COLUMNS, 'sdn.csv');
        continue;
      }
      if (row.fields.length !== SDN_COLUMNS) {
        if (rows === 0) throw wrongShape(file.name, row, SDN_COLUMNS, 'sdn.csv');
        throw parseError(file.name, `row has ${row.fields.length} columns, expected ${SDN_COLUMNS}`, {
          line: row.line,
        });
      }
      rows++;
      const ent = entNum(file.name, row);
      if (seen.has(ent)) throw parseError(file.name, `ent_num ${ent} appears twice`, { line: row.line });
      seen.add(ent);
      const built = toEntity(ent, row, file.name, companions, warn);
      if (built.truncated) cut.push(ent);
      if (built.foreignOverflow) foreign.push(ent);
      yield { type: 'entity', entity: built.entity };
    }
    if (rows === 0) throw parseError(file.name, 'the file has no rows (empty sdn.csv)');
    if (foreign.length > 0) {
      warn({
        file: file.name,
        message:
          `${foreign.length} entities have complete Remarks yet an sdn_comments.csv overflow (ent_num ${sample(foreign)}); ` +
          'the overflow belongs to another publication and was left out',
      });
    }
    if (cut.length > 0) {
      warn({
        file: file.name,
        message:
          `${cut.length} entities have Remarks cut at ${REMARKS_LIMIT} characters without their sdn_comments.csv overflow ` +
          `(ent_num ${sample(cut)}); the incomplete last remark item was ignored`,
      });
    }
  }
  for (const c of companions) {
    let orphans = 0;
    const ents: string[] = [];
    for (const [ent, rows] of c.rows) {
      if (seen.has(ent)) continue;
      orphans += rows.length;
      ents.push(ent);
    }
    if (orphans > 0) {
      warn({
        file: c.file,
        message:
          `${orphans} rows (${ents.length} ent_num) refer to entities absent from sdn.csv and were skipped ` +
          `(ent_num ${sample(ents)}); are the files from the same publication?`,
      });
    }
  }
};

const SDN_COLUMNS = 12;

type Role = 'sdn' | 'add' | 'alt' | 'comments';

const COMPANION_COLUMNS: Record<Exclude<Role, 'sdn'>, number> = { add: 6, alt: 5, comments: 2 };

interface Row {
  fields: string[];
  line: number;
}

interface Companion {
  file: string;
  role: Exclude<Role, 'sdn'>;
  rows: Map<string, Row[]>;
}

/** Which member of the CSV family a file is, from its name (`SDN_COMMENTS.CSV`, `add_2025.csv`, …). */
function fileRole(name: string): Role {
  const base = (name.split(/[/\\]/).pop() ?? name).toLowerCase();
  const word = (w: string) => new RegExp(`(^|[^a-z])${w}([^a-z]|$)`).test(base);
  if (base.includes('sdn_comments') || word('comments')) return 'comments';
  if (word('add')) return 'add';
  if (word('alt')) return 'alt';
  return 'sdn';
}

function sample(ids: string[]): string {
  return ids.length > 5 ? `${ids.slice(0, 5).join(', ')}, …` : ids.join(', ');
}

/** A cell's value, with OFAC's null `-0-` (often followed by a space) as undefined. */
function cell(fields: string[], i: number): string | undefined {
  const v = fields[i]?.trim();
  return v === undefined || v === '' || v === '-0-' ? undefined : v;
}

function isHeader(fields: string[]): boolean {
  return /^ent_num$/i.test(fields[0]?.trim() ?? '');
}

function wrongShape(file: string, row: Row, expected: number, what: string) {
  return parseError(
    file,
    `first row has ${row.fields.length} columns, expected ${expected}: this does not look like an OFAC ${what}`,
    { line: row.line },
  );
}

function entNum(file: string, row: Row): string {
  const v = row.fields[0]?.trim() ?? '';
  if (!/^\d+$/.test(v))
    throw parseError(file, `ent_num ${JSON.stringify(v.slice(0, 40))} is not a number`, { line: row.line });
  return String(Number(v));
}

async function readCompanion(file: SourceFile, role: Exclude<Role, 'sdn'>): Promise<Companion> {
  const expected = COMPANION_COLUMNS[role];
  const rows = new Map<string, Row[]>();
  let count = 0;
  for await (const row of csvRows(file)) {
    if (count === 0 && isHeader(row.fields)) continue;
    if (row.fields.length !== expected) {
      if (count === 0)
        throw wrongShape(file.name, row, expected, `${role === 'comments' ? 'sdn_comments' : role}.csv`);
      throw parseError(file.name, `row has ${row.fields.length} columns, expected ${expected}`, {
        line: row.line,
      });
    }
    count++;
    const ent = entNum(file.name, row);
    const list = rows.get(ent);
    if (list) list.push(row);
    else rows.set(ent, [row]);
  }
  return { file: file.name, role, rows };
}

const KINDS: Record<string, EntityKind> = {
  individual: 'person',
  vessel: 'vessel',
  aircraft: 'aircraft',
  entity: 'organization',
};

const ALT_KINDS: Record<string, NameKind> = { aka: 'strong_alias', fka: 'former_name', nka: 'strong_alias' };

/** OFAC writes programs as `SDGT] [IRGC` (the outer brackets are the file's). */
function programs(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/\]\s*\[/)
    .map((p) => p.replace(/^\[|\]$/g, '').trim())
    .filter(Boolean)
    .map((p) => `OFAC:${p}`);
}

function toEntity(
  ent: string,
  row: Row,
  file: string,
  companions: Companion[],
  warn: (w: ParseWarning) => void,
): { entity: ListEntity; truncated: boolean; foreignOverflow: boolean } {
  const f = row.fields;
  const type = cell(f, 2)?.toLowerCase();
  let kind: EntityKind = 'organization';
  if (type !== undefined) {
    const known = KINDS[type];
    if (known) kind = known;
    else
      warn({
        file,
        line: row.line,
        message: `unknown SDN_Type ${JSON.stringify(type)}, read as an organization`,
      });
  }
  const e = emptyEntity(OFAC_SOURCE, ent, kind);
  const name = cell(f, 1);
  if (!name) throw parseError(file, `ent_num ${ent} has no SDN_Name`, { line: row.line });
  addName(e, name, 'primary');
  e.programs.push(...programs(cell(f, 3)));
  addIdentifier(e, 'call_sign', cell(f, 5));
  addCountry(e, cell(f, 9), 'registration');
  const owner = cell(f, 10);
  if (owner) addRelation(e, 'owned_by', nameTarget(owner), `Vessel owner: ${owner}`);

  let overflow = '';
  for (const c of companions) {
    const rows = c.rows.get(ent);
    if (!rows) continue;
    for (const r of rows) {
      if (c.role === 'alt') applyAlt(e, r, c.file, warn);
      else if (c.role === 'add') applyAddress(e, r);
      else overflow += r.fields[1] ?? '';
    }
  }
  // The overflow continues a Remarks text cut at REMARKS_LIMIT characters, mid-word: joined as is.
  // A Remarks text that is complete (closing period, under the limit) has no overflow in the same
  // publication, so one found for it comes from another publication and is left out.
  // Without overflow, a text that stops mid-item or fills the limit exactly was cut: its last item
  // is incomplete (possibly half a crypto address) and left out.
  const main = f[11] ?? '';
  let remarks = cell(f, 11) ?? '';
  let foreignOverflow = false;
  let truncated = false;
  if (overflow && remarks.endsWith('.') && main.length < REMARKS_LIMIT) foreignOverflow = true;
  else if (overflow) remarks += overflow;
  else truncated = remarks !== '' && main.length >= REMARKS_LIMIT;
  truncated ||= looksCut(remarks);
  if (remarks) applyRemarks(e, remarks, { cut: truncated });
  return { entity: e, truncated, foreignOverflow };
}

/** The length at which sdn.csv cuts Remarks, the rest going to sdn_comments.csv. */
const REMARKS_LIMIT = 1000;

function applyAlt(e: ListEntity, row: Row, file: string, warn: (w: ParseWarning) => void): void {
  const type = cell(row.fields, 2)?.toLowerCase();
  const value = cell(row.fields, 3);
  if (!value) return;
  let kind = type ? ALT_KINDS[type] : undefined;
  if (!kind) {
    warn({
      file,
      line: row.line,
      message: `unknown alt_type ${JSON.stringify(type ?? '')}, read as a strong alias`,
    });
    kind = 'strong_alias';
  }
  addName(e, value, kind);
}

function applyAddress(e: ListEntity, row: Row): void {
  const street = cell(row.fields, 2);
  const city = cell(row.fields, 3);
  const countryName = cell(row.fields, 4);
  const note = cell(row.fields, 5);
  const full = [street, city, countryName].filter(Boolean).join(', ');
  if (!full) return;
  const a: EntityAddress = { full };
  if (street) a.street = street;
  // OFAC's second column holds "City/State/Province/Postal Code" in one text.
  if (city) a.city = city;
  if (countryName) a.country = countryCode(countryName);
  if (note) a.full = `${full} (${note})`;
  if (!e.addresses.some((x) => x.full === a.full)) e.addresses.push(a);
  addCountry(e, countryName, 'location');
}

/**
 * The rows of one CSV file, streamed: bytes are checked to be UTF-8 text (a NUL byte or invalid
 * UTF-8 in the first chunk means a binary file), then parsed by csv-parse with OFAC's loose
 * quoting. The control-Z (0x1A) OFAC files end with is dropped.
 */
async function* csvRows(file: SourceFile): AsyncGenerator<Row> {
  for await (const row of readCsvRows(checkedText(file))) {
    if (row.unterminatedQuote)
      throw parseError(file.name, 'CSV syntax error: a quoted field is never closed', { line: row.line });
    const fields = row.fields;
    const last = fields.length - 1;
    if (last >= 0) fields[last] = withoutEof(fields[last] ?? '');
    if (fields.every((v) => v.trim() === '')) continue;
    yield { fields, line: row.line };
  }
}

/** DOS end-of-file mark (control-Z), which OFAC's CSV files end with. */
const EOF_MARK = String.fromCharCode(0x1a);

function withoutEof(value: string): string {
  let t = value.trimEnd();
  if (!t.endsWith(EOF_MARK)) return value;
  while (t.endsWith(EOF_MARK)) t = t.slice(0, -1).trimEnd();
  return t;
}

async function* checkedText(file: SourceFile): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  let line = 1;
  for await (const chunk of file.open()) {
    if (chunk.length === 0) continue;
    if (first && chunk.includes(0))
      throw parseError(file.name, 'binary content (NUL byte): not a CSV file', { line: 1 });
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw parseError(
        file.name,
        first ? 'not UTF-8 text: binary content, not a CSV file' : 'invalid UTF-8 text',
        {
          line,
        },
      );
    }
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++;
    const bom = first && text.charCodeAt(0) === 0xfeff;
    first = false;
    yield bom ? text.slice(1) : text;
  }
  try {
    decoder.decode();
  } catch {
    throw parseError(file.name, 'the file ends inside a UTF-8 character', { line });
  }
}
