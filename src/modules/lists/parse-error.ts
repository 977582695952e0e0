import { CordonError } from '../../shared/errors.js';

/**
 * The error every parser throws on bad input: names the file and the line or element at fault,
 * so an operator can find the problem without reading code.
 *
 * @example throw parseError('sdn.csv', 'row has 9 columns, expected 12', { line: 1042 })
 */
export function parseError(
  file: string,
  problem: string,
  where: { line?: number; element?: string } = {},
): CordonError {
  const at = where.line !== undefined ? `:${where.line}` : where.element ? ` (${where.element})` : '';
  return new CordonError('invalid', 'lists.parse_error', `${file}${at}: ${problem}`, { file, ...where });
}
