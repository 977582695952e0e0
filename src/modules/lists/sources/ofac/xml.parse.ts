import { SaxesParser } from 'saxes';
import { isCordonError } from '../../../../shared/errors.js';
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
import {
  addCountry,
  addDate,
  addIdentifier,
  addName,
  addPlaceOfBirth,
  addRelation,
  applyLabelled,
  applyRemarks,
  countryCode,
  nameTarget,
  OFAC_SOURCE,
  parseOfacDate,
} from './remarks.js';

/** Namespaces `sdn.xml` has been published in (current, then the historical one). */
export const SDN_XML_NAMESPACES = [
  'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML',
  'http://tempuri.org/sdnList.xsd',
] as const;

/**
 * The OFAC SDN list as `sdn.xml`: root `sdnList`, a `publshInformation` header (sic), then one
 * `sdnEntry` per listed entity, streamed and yielded as each closes. Ids are the `uid`, the same
 * number as `ent_num` in the CSV, so both formats share the `ofac-sdn:<uid>` id space. Digital
 * currency addresses, gender, e-mail and the like come as `idList` entries (`idType`
 * `Digital Currency Address - XBT`, `idNumber` the address).
 */
export const parseOfacXml: ListParser = async function* (files, warn): AsyncIterable<ListRecord> {
  const seen = new Map<string, number>();
  for (const file of files) {
    let entries = 0;
    let declared: { count: number; line: number } | undefined;
    const records = xmlRecords(file, {
      root: 'sdnList',
      isRecord: (path) => path.length === 2 && (path[1] === 'sdnEntry' || path[1] === 'publshInformation'),
      onRoot: (uri, line) => {
        if (uri !== '' && !(SDN_XML_NAMESPACES as readonly string[]).includes(uri)) {
          warn({
            file: file.name,
            line,
            element: 'sdnList',
            message: `unknown namespace ${uri}, read as sdn.xml`,
          });
        }
      },
    });
    for await (const node of records) {
      if (node.name === 'publshInformation') {
        const count = Number(textOf(node, 'Record_Count'));
        if (Number.isInteger(count) && count > 0) declared = { count, line: node.line };
        continue;
      }
      const entity = entryToEntity(node, file.name, warn);
      const first = seen.get(entity.sourceId);
      if (first !== undefined) {
        throw parseError(file.name, `uid ${entity.sourceId} appears twice (first at line ${first})`, {
          line: node.line,
          element: 'sdnEntry',
        });
      }
      seen.set(entity.sourceId, node.line);
      entries++;
      yield { type: 'entity', entity };
    }
    if (entries === 0) throw parseError(file.name, 'no sdnEntry in the file', { element: 'sdnList' });
    if (declared && declared.count !== entries) {
      warn({
        file: file.name,
        line: declared.line,
        element: 'publshInformation',
        message: `Record_Count says ${declared.count} entries, the file has ${entries}`,
      });
    }
  }
};

const KINDS: Record<string, EntityKind> = {
  individual: 'person',
  entity: 'organization',
  vessel: 'vessel',
  aircraft: 'aircraft',
};

/** OFAC's own name order, as in the CSV: `SURNAME, Given names`. */
function fullName(last: string | undefined, first: string | undefined): string | undefined {
  if (last && first) return `${last}, ${first}`;
  return last || first || undefined;
}

function entryToEntity(node: XmlNode, file: string, warn: (w: ParseWarning) => void): ListEntity {
  const uid = textOf(node, 'uid');
  if (!uid || !/^\d+$/.test(uid)) {
    throw parseError(file, `sdnEntry has no numeric uid (${JSON.stringify(uid ?? '')})`, {
      line: node.line,
      element: 'sdnEntry',
    });
  }
  const type = textOf(node, 'sdnType')?.toLowerCase();
  let kind = type ? KINDS[type] : undefined;
  if (!kind) {
    warn({
      file,
      line: node.line,
      element: 'sdnType',
      message: `uid ${uid}: unknown sdnType ${JSON.stringify(type ?? '')}, read as an organization`,
    });
    kind = 'organization';
  }
  const e = emptyEntity(OFAC_SOURCE, String(Number(uid)), kind);
  const name = fullName(textOf(node, 'lastName'), textOf(node, 'firstName'));
  if (!name) throw parseError(file, `uid ${uid} has no lastName`, { line: node.line, element: 'sdnEntry' });
  addName(e, name, 'primary');

  for (const p of descendants(node, 'programList', 'program')) {
    const code = clean(p.text);
    if (code && !e.programs.includes(`OFAC:${code}`)) e.programs.push(`OFAC:${code}`);
  }
  const akas = descendants(node, 'akaList', 'aka').map((aka) => ({
    name: fullName(textOf(aka, 'lastName'), textOf(aka, 'firstName')),
    kind: akaKind(textOf(aka, 'type'), textOf(aka, 'category')),
  }));
  // Strong names first, so a value listed both ways keeps its strongest kind.
  for (const aka of akas.filter((a) => a.kind !== 'weak_alias')) addName(e, aka.name, aka.kind);
  for (const aka of akas.filter((a) => a.kind === 'weak_alias')) addName(e, aka.name, aka.kind);

  for (const id of descendants(node, 'idList', 'id')) {
    const label = textOf(id, 'idType');
    const value = textOf(id, 'idNumber');
    if (!label || !value) continue;
    const issuer = textOf(id, 'idCountry');
    applyLabelled(e, label, value, issuer ? { issuer, document: true } : { document: true });
  }
  for (const item of descendants(node, 'dateOfBirthList', 'dateOfBirthItem')) {
    const text = textOf(item, 'dateOfBirth');
    if (!text) continue;
    const d = parseOfacDate(text);
    if (d) addDate(e, 'birth', d);
    else
      warn({
        file,
        line: item.line,
        element: 'dateOfBirth',
        message: `uid ${uid}: unreadable date ${JSON.stringify(text)}`,
      });
  }
  for (const item of descendants(node, 'placeOfBirthList', 'placeOfBirthItem'))
    addPlaceOfBirth(e, textOf(item, 'placeOfBirth'));
  for (const n of descendants(node, 'nationalityList', 'nationality'))
    addCountry(e, textOf(n, 'country'), 'nationality');
  for (const c of descendants(node, 'citizenshipList', 'citizenship'))
    addCountry(e, textOf(c, 'country'), 'citizenship');
  for (const a of descendants(node, 'addressList', 'address')) addAddress(e, a);

  const vessel = child(node, 'vesselInfo');
  if (vessel) {
    addIdentifier(e, 'call_sign', textOf(vessel, 'callSign'));
    addCountry(e, textOf(vessel, 'vesselFlag'), 'registration');
    const owner = textOf(vessel, 'vesselOwner');
    if (owner) addRelation(e, 'owned_by', nameTarget(owner), `Vessel owner: ${owner}`);
  }
  const remarks = textOf(node, 'remarks');
  if (remarks) applyRemarks(e, remarks);
  return e;
}

function akaKind(type: string | undefined, category: string | undefined): NameKind {
  if (category?.toLowerCase() === 'weak') return 'weak_alias';
  return type?.toLowerCase().replace(/\s/g, '') === 'f.k.a.' ? 'former_name' : 'strong_alias';
}

function addAddress(e: ListEntity, node: XmlNode): void {
  const street = ['address1', 'address2', 'address3']
    .map((n) => textOf(node, n))
    .filter(Boolean)
    .join(', ');
  const city = textOf(node, 'city');
  const region = textOf(node, 'stateOrProvince') ?? textOf(node, 'region');
  const postalCode = textOf(node, 'postalCode');
  const country = textOf(node, 'country');
  const full = [street, city, region, postalCode, country].filter(Boolean).join(', ');
  if (!full) return;
  const a: EntityAddress = { full };
  if (street) a.street = street;
  if (city) a.city = city;
  if (region) a.region = region;
  if (postalCode) a.postalCode = postalCode;
  if (country) a.country = countryCode(country);
  if (!e.addresses.some((x) => x.full === full)) e.addresses.push(a);
  addCountry(e, country, 'location');
}

// ---------------------------------------------------------------------------------------------
// Streaming XML records, shared with the advanced format

/** One element of a record, with its attributes (by local name), direct text and children. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
  line: number;
}

/** Collapses whitespace and trims. */
export function clean(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** The first child element with that local name. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

/** All child elements with that local name. */
export function children(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** The cleaned text of the first child with that name; undefined when absent or empty. */
export function textOf(node: XmlNode, name: string): string | undefined {
  const c = child(node, name);
  return c ? clean(c.text) || undefined : undefined;
}

/** `list/item` elements under a node (`akaList/aka`). */
function descendants(node: XmlNode, list: string, item: string): XmlNode[] {
  return children(node, list).flatMap((l) => children(l, item));
}

/**
 * Streams one XML file and yields each record element (chosen by its path from the root, root
 * included) as a small tree once it closes; nothing outside an open record is kept, so memory
 * stays bounded by the largest record. Not UTF-8, binary content, malformed or truncated XML, a
 * wrong root and an empty file are parse errors naming the file, line and element path.
 */
export async function* xmlRecords(
  file: SourceFile,
  opts: {
    root: string;
    isRecord: (path: readonly string[]) => boolean;
    onRoot?: (uri: string, line: number) => void;
  },
): AsyncGenerator<XmlNode> {
  const parser = new SaxesParser<{ xmlns: true; position: true }>({ xmlns: true, position: true });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const path: string[] = [];
  const open: XmlNode[] = [];
  const ready: XmlNode[] = [];
  let sawRoot = false;
  const where = () => ({ line: parser.line, element: path.join('/') || '(document)' });
  parser.on('xmldecl', (decl) => {
    if (decl.encoding && !/^utf-?8$/i.test(decl.encoding)) {
      throw parseError(file.name, `declares encoding ${decl.encoding}; only UTF-8 is read`, where());
    }
  });
  parser.on('opentag', (tag) => {
    const name = tag.local ?? tag.name;
    path.push(name);
    if (path.length === 1) {
      sawRoot = true;
      if (name !== opts.root) {
        throw parseError(
          file.name,
          `unexpected root element <${tag.name}>, expected <${opts.root}>`,
          where(),
        );
      }
      opts.onRoot?.(tag.uri ?? '', parser.line);
    }
    if (open.length === 0 && !opts.isRecord(path)) return;
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) attrs[a.local || a.name] = a.value;
    const node: XmlNode = { name, attrs, text: '', children: [], line: parser.line };
    open.at(-1)?.children.push(node);
    open.push(node);
  });
  const onText = (text: string) => {
    const top = open.at(-1);
    if (top) top.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (open.length > 0) {
      const node = open.pop();
      if (node && open.length === 0) ready.push(node);
    }
    path.pop();
  });
  const feed = (write: () => void) => {
    try {
      write();
    } catch (err) {
      if (isCordonError(err)) throw err;
      const msg = (err instanceof Error ? err.message : String(err)).replace(/^\d+:\d+: /, '');
      if (/^unclosed tag/.test(msg)) {
        throw parseError(
          file.name,
          `truncated XML: the file ends inside <${path.at(-1) ?? '?'}> (${msg})`,
          where(),
        );
      }
      if (/must contain a root element/.test(msg)) {
        throw parseError(file.name, `no XML root element (empty file?); expected <${opts.root}>`, where());
      }
      if (path.length === 0 && !sawRoot) throw parseError(file.name, `not XML: ${msg}`, where());
      throw parseError(file.name, `not well-formed XML: ${msg}`, where());
    }
  };

  let first = true;
  for await (const chunk of file.open()) {
    if (chunk.length === 0) continue;
    if (first && chunk.includes(0))
      throw parseError(file.name, 'binary content (NUL byte), not XML', { line: 1 });
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw parseError(
        file.name,
        first ? 'not UTF-8 text: binary content, not XML' : 'invalid UTF-8 text',
        where(),
      );
    }
    first = false;
    feed(() => parser.write(text));
    yield* ready.splice(0);
  }
  let rest = '';
  try {
    rest = decoder.decode();
  } catch {
    throw parseError(file.name, 'the file ends inside a UTF-8 character', where());
  }
  feed(() => {
    if (rest) parser.write(rest);
    parser.close();
  });
  yield* ready.splice(0);
}
