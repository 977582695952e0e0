import type { CaseId } from '../../shared/ids.js';

export interface ListEntry {
  name: string;
  caseId?: CaseId;
}

export interface ListsStore {
  count(): Promise<number>;
}
