import {
  type EntityAddress,
  type EntityKind,
  emptyEntity,
  type ListEntity,
  type ListParser,
  type ListRecord,
  type NameKind,
  type ParseWarning,
} from '../../model.js';
import { parseError } from '../../parse-error.js';
import { child, children, clean, textOf, type XmlNode, type XmlWording, xmlRecords } from '../xml-stream.js';
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
      wording: OFAC_XML_WORDING,
      onRoot: ({ uri, line }) => {
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

/** `list/item` elements under a node (`akaList/aka`). */
function descendants(node: XmlNode, list: string, item: string): XmlNode[] {
  return children(node, list).flatMap((l) => children(l, item));
}

/**
 * How the OFAC XML formats word a wrong root and XML the parser rejects: a truncated file names
 * the element it ends in, a file that never opens its root is "not XML".
 */
export const OFAC_XML_WORDING: XmlWording = {
  wrongRoot: (found, expected) => `unexpected root element <${found}>, expected <${expected}>`,
  malformed(reason, { open, rootSeen, root }) {
    if (reason.startsWith('unclosed tag'))
      return `truncated XML: the file ends inside <${open.at(-1) ?? '?'}> (${reason})`;
    if (reason.includes('must contain a root element'))
      return `no XML root element (empty file?); expected <${root}>`;
    return rootSeen ? `not well-formed XML: ${reason}` : `not XML: ${reason}`;
  },
};
