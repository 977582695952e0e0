/**
 * Alerts: something an analyst must look at. Decisions open them (review, hold, block, freeze) and
 * look-back opens them for past transfers and customers newly linked to listed entities. The cases
 * module groups them into cases; here they are created and listed. Pure model.
 */

/** Why an alert exists: a decision that was not a plain allow, or a new link found by look-back. */
export type AlertKind = 'decision' | 'lookback.transfer' | 'lookback.customer';

/** An alert as stored. */
export interface Alert {
  id: string;
  kind: AlertKind;
  customerId: string | null;
  transferId: string | null;
  decisionId: string | null;
  /** One line for the queue, e.g. "deposit held: us.fincen-311-huione-indirect". */
  reason: string;
  evidence: unknown;
  /** `open` until the cases module works it. */
  status: 'open';
  createdAt: Date;
  /** Same key, same alert: a look-back that runs twice opens nothing new. */
  dedupKey: string;
}

/** Filters of the alert list; `after` is the id of the last alert of the previous page. */
export interface AlertQuery {
  kind?: AlertKind;
  customerId?: string;
  status?: 'open';
  after?: string;
  limit: number;
}
