import { SaxesParser } from 'saxes';
import { isCordonError } from '../../../shared/errors.js';
import type { ListEntity, ListRecord, ParseWarning, SourceFile } from '../model.js';
import { parseError } from '../parse-error.js';

/** An element inside a record: its local name, attributes as written, text and child elements. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
  /** Line where the element's start tag ends. */
  line: number;
}

/** The document's root element, handed to `onRoot` once it has been checked. */
export interface XmlRoot {
  /** Local name (without prefix). */
  name: string;
  /** Namespace the root element is in; `''` when none is declared. */
  uri: string;
  attrs: Record<string, string>;
  line: number;
}

/**
 * The wording of the errors that sources word their own way: a root element other than the
 * expected one, and text the XML parser rejects (`reason` is the parser's message, without its
 * position; `open` the local names of the elements open at that point, root first).
 */
export interface XmlWording {
  wrongRoot(found: string, expected: string): string;
  malformed(reason: string, at: { open: readonly string[]; rootSeen: boolean; root: string }): string;
}

/** The default wording: `root element is <found>, expected <root>` and `malformed XML: <reason>`. */
export const XML_WORDING: XmlWording = {
  wrongRoot: (found, expected) => `root element is <${found}>, expected <${expected}>`,
  malformed: (reason) => `malformed XML: ${reason}`,
};

/** What `xmlRecords` reads: the root expected, which elements are records, and optional hooks. */
export interface XmlRecordOptions {
  /** Local name the root element must have. */
  root: string;
  /** Whether the element at `path` (local names from the root, the element last) is a record. */
  isRecord(path: readonly string[]): boolean;
  /** Called once with the root element, e.g. to check its namespace. */
  onRoot?(root: XmlRoot): void;
  wording?: XmlWording;
}

/**
 * Streams one XML file and yields each record element as a small tree as soon as it closes;
 * nothing outside the open record is kept. Bytes that are not UTF-8, a NUL byte, another declared
 * encoding, an empty file, a wrong root element and malformed or truncated XML are parse errors
 * naming the file, the line and the path of the open elements.
 */
export async function* xmlRecords(file: SourceFile, options: XmlRecordOptions): AsyncGenerator<XmlNode> {
  const { root, isRecord, onRoot, wording = XML_WORDING } = options;
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const path: string[] = [];
  const open: XmlNode[] = [];
  const ready: XmlNode[] = [];
  let rootSeen = false;
  const fail = (problem: string, line: number = parser.line) =>
    parseError(file.name, problem, { line, element: path.join('/') || '(document)' });

  parser.on('xmldecl', (decl) => {
    if (decl.encoding && !/^utf-?8$/i.test(decl.encoding)) {
      throw fail(`declares encoding ${decl.encoding}; only UTF-8 is read`);
    }
  });
  parser.on('opentag', (tag) => {
    const name = tag.name.slice(tag.name.indexOf(':') + 1);
    path.push(name);
    if (!rootSeen) {
      rootSeen = true;
      if (name !== root) throw fail(wording.wrongRoot(tag.name, root));
      onRoot?.({
        name,
        uri: namespaceOf(tag.name, tag.attributes),
        attrs: tag.attributes,
        line: parser.line,
      });
    }
    if (open.length > 0 || isRecord(path)) {
      const node: XmlNode = { name, attrs: tag.attributes, children: [], text: '', line: parser.line };
      open.at(-1)?.children.push(node);
      open.push(node);
    }
  });
  const onText = (value: string) => {
    const node = open.at(-1);
    if (node) node.text += value;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    path.pop();
    const node = open.pop();
    if (node && open.length === 0) ready.push(node);
  });

  /** Decodes the next chunk (the decoder's rest when `chunk` is undefined), refusing binary content. */
  const decode = (chunk: Uint8Array | undefined): string => {
    let text: string;
    try {
      text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      if (!chunk) throw fail('not UTF-8 text: the file ends inside a UTF-8 character');
      throw fail(
        'not UTF-8 text (binary content or another encoding?)',
        parser.line + linesBeforeBadByte(chunk),
      );
    }
    const nul = text.indexOf('\u0000');
    if (nul >= 0) throw fail('binary content (NUL byte), not XML', parser.line + newlines(text, nul));
    return text;
  };
  const write = (text: string, end: boolean) => {
    try {
      parser.write(text);
      if (end) parser.close();
    } catch (err) {
      if (isCordonError(err)) throw err;
      const reason = (err instanceof Error ? err.message : String(err)).replace(/^\d+:\d+: /, '');
      throw fail(wording.malformed(reason, { open: path, rootSeen, root }));
    }
  };

  let bytes = 0;
  for await (const chunk of file.open()) {
    bytes += chunk.byteLength;
    write(decode(chunk), false);
    if (ready.length > 0) yield* ready.splice(0);
  }
  if (bytes === 0) throw fail(`the file is empty (no XML root element <${root}>)`, 1);
  write(decode(undefined), true);
  yield* ready.splice(0);
}

/** The child elements named `name`. */
export function children(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** The first child element named `name`. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

/** The text of the first child named `name`, whitespace collapsed; undefined when absent or blank. */
export function textOf(node: XmlNode, name: string): string | undefined {
  const c = child(node, name);
  return c ? clean(c.text) || undefined : undefined;
}

/** Collapses runs of whitespace to one space and trims. */
export function clean(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** The namespace of an element, from the declarations on it (enough for a root element). */
function namespaceOf(qname: string, attrs: Record<string, string>): string {
  const colon = qname.indexOf(':');
  return attrs[colon < 0 ? 'xmlns' : `xmlns:${qname.slice(0, colon)}`] ?? '';
}

/** How many line feeds `text` has before index `end`. */
function newlines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** How many lines of `chunk` come before its first byte that is not UTF-8. */
function linesBeforeBadByte(chunk: Uint8Array): number {
  const lenient = new TextDecoder('utf-8').decode(chunk);
  const bad = lenient.indexOf('\uFFFD');
  return newlines(lenient, bad < 0 ? lenient.length : bad);
}

/** How a list of entity records is read: where the records are, what their id is called, how one maps. */
export interface XmlEntityOptions {
  root: string;
  isRecord: (path: readonly string[]) => boolean;
  /** The id's name in the source, for the duplicate-id error (`REFERENCE_NUMBER`, `UniqueID`, …). */
  idName: string;
  /** The record element's name, for the warning on a file without any. */
  recordName: string;
  toEntity: (node: XmlNode, file: string, warn: (w: ParseWarning) => void) => ListEntity;
  /** Called with each file's root element (e.g. to check its namespace). */
  onRoot?: (root: XmlRoot, file: string) => void;
}

/**
 * The common loop of the XML list parsers: every record of every file mapped to an entity, an id
 * seen twice refused (naming both places), a file without records warned about.
 */
export async function* xmlEntities(
  files: SourceFile[],
  warn: (w: ParseWarning) => void,
  options: XmlEntityOptions,
): AsyncGenerator<ListRecord> {
  const seen = new Map<string, string>();
  for (const file of files) {
    let count = 0;
    const onRoot = options.onRoot && ((root: XmlRoot) => options.onRoot?.(root, file.name));
    for await (const node of xmlRecords(file, { root: options.root, isRecord: options.isRecord, onRoot })) {
      const entity = options.toEntity(node, file.name, warn);
      const first = seen.get(entity.sourceId);
      if (first !== undefined) {
        throw parseError(
          file.name,
          `${options.idName} ${entity.sourceId} appears twice (first at ${first})`,
          {
            line: node.line,
          },
        );
      }
      seen.set(entity.sourceId, `${file.name}:${node.line}`);
      count++;
      yield { type: 'entity', entity };
    }
    if (count === 0)
      warn({ file: file.name, element: options.root, message: `no ${options.recordName} in the file` });
  }
}
