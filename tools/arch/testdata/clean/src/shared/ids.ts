import { randomUUID } from 'node:crypto';

export type CaseId = string & { readonly __brand: 'CaseId' };

export function newCaseId(): CaseId {
  return randomUUID() as CaseId;
}
