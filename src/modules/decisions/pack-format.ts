/**
 * Reading a policy pack from its file form (YAML, of which JSON is a subset) into a definition.
 * Shape errors name the field; expression errors are found later by `validatePack`. Pure.
 */
import { parse as parseYaml } from 'yaml';
import type { PackDefinition, PackProblem, RuleDefinition } from './policy.js';

const PACK_KEYS = new Set(['id', 'name', 'jurisdiction', 'description', 'params', 'rules']);
const RULE_KEYS = new Set([
  'id',
  'description',
  'reason',
  'expression',
  'severity',
  'action',
  'onError',
  'evidence',
]);

/** Parses pack text (YAML or JSON); returns the definition or the problems, each naming its field. */
export function parsePackText(
  text: string,
  fileName: string,
): { ok: true; pack: PackDefinition } | { ok: false; problems: PackProblem[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    return {
      ok: false,
      problems: [{ field: fileName, message: `not valid YAML: ${(err as Error).message}` }],
    };
  }
  return readPack(raw);
}

/** Checks that a parsed value (a YAML document or a JSON body) has the shape of a pack. */
export function readPack(
  raw: unknown,
): { ok: true; pack: PackDefinition } | { ok: false; problems: PackProblem[] } {
  const problems: PackProblem[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problems: [{ field: 'pack', message: 'must be an object' }] };
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!PACK_KEYS.has(k)) problems.push({ field: k, message: 'is not a pack field' });
  const str = (v: unknown, field: string, required = true): string => {
    if (typeof v === 'string') return v;
    if (v === undefined && !required) return '';
    problems.push({ field, message: 'must be a string' });
    return '';
  };
  const params: Record<string, number> = {};
  if (o.params !== undefined) {
    if (typeof o.params !== 'object' || o.params === null || Array.isArray(o.params))
      problems.push({ field: 'params', message: 'must be a map of names to numbers' });
    else
      for (const [k, v] of Object.entries(o.params)) {
        if (typeof v === 'number') params[k] = v;
        else problems.push({ field: `params.${k}`, message: 'must be a number' });
      }
  }
  const rules: RuleDefinition[] = [];
  if (!Array.isArray(o.rules)) problems.push({ field: 'rules', message: 'must be a list of rules' });
  else
    o.rules.forEach((r: unknown, i) => {
      const at = `rules[${i}]`;
      if (typeof r !== 'object' || r === null || Array.isArray(r)) {
        problems.push({ field: at, message: 'must be an object' });
        return;
      }
      const rr = r as Record<string, unknown>;
      for (const k of Object.keys(rr))
        if (!RULE_KEYS.has(k)) problems.push({ field: `${at}.${k}`, message: 'is not a rule field' });
      const rule: RuleDefinition = {
        id: str(rr.id, `${at}.id`),
        description: str(rr.description, `${at}.description`),
        reason: str(rr.reason, `${at}.reason`),
        expression: str(rr.expression, `${at}.expression`).trim(),
        severity: str(rr.severity, `${at}.severity`) as RuleDefinition['severity'],
        action: str(rr.action, `${at}.action`) as RuleDefinition['action'],
      };
      if (rr.onError !== undefined)
        rule.onError = str(rr.onError, `${at}.onError`) as RuleDefinition['onError'];
      if (rr.evidence !== undefined) rule.evidence = str(rr.evidence, `${at}.evidence`).trim();
      rules.push(rule);
    });
  const pack: PackDefinition = {
    id: str(o.id, 'id'),
    name: str(o.name, 'name'),
    jurisdiction: str(o.jurisdiction, 'jurisdiction'),
    description: str(o.description, 'description', false),
    params,
    rules,
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, pack };
}
