/**
 * Deposit-address reuse for account chains. An exchange gives each customer a deposit address D
 * and sweeps what arrives there to its hot wallet. The wallets that pay into one D are, in the
 * clear case, the same customer's wallets: they are merged.
 *
 * Precision comes first, so D qualifies only when its pattern is clear: D itself is not attributed
 * (not a service), every sweep goes to one exchange entity (an address attributed `exchange`),
 * it sweeps most of what customers paid in (forward ratio per asset) and sends little elsewhere,
 * and it has few customer-like senders. A sender merges only through a deposit that a sweep
 * followed within `maxForwardDelaySec` and that is not dust next to that sweep. Senders attributed
 * to a service (an exchange withdrawing into D, a bridge) are never customers. When D later turns
 * out busy (too many senders, a second exchange, outflows elsewhere), its merges are revoked.
 *
 * State is kept per candidate D, bounded (recent deposits and sweeps only) and dropped once stale.
 */

import { chainFamily, isChain } from '../../chains/index.js';
import type { Transfer } from '../transfer.js';
import type { AttributionLookup, DepositReuseConfig, LegEvidence } from './model.js';

/** What the detector concluded from one transfer. */
export type DepositReuseFinding =
  | {
      readonly kind: 'merge';
      readonly depositAddress: string;
      readonly exchange: { readonly entityId: string; readonly entityName: string };
      /** The wallet that joins the first qualified wallet of D (the anchor). */
      readonly sender: string;
      readonly anchor: string;
      /** The anchor's and the sender's qualifying deposits. */
      readonly deposits: readonly LegEvidence[];
      readonly forwards: readonly LegEvidence[];
      readonly forwardRatio: number;
      readonly senders: number;
      /** The sender's deposit transaction. */
      readonly tx: string;
      /** When the evidence became complete (the latest of the quoted transfers). */
      readonly timestamp: number;
    }
  | { readonly kind: 'revoke'; readonly depositAddress: string; readonly reason: string };

/** Watches account-chain transfers for deposit addresses and reports merges and revocations. */
export interface DepositReuseDetector {
  observe(t: Transfer): DepositReuseFinding[];
  /** Addresses currently watched. */
  readonly candidates: number;
  /** Addresses ruled out for good (busy, several exchanges, outflows elsewhere). */
  readonly busy: number;
}

interface Leg {
  readonly tx: string;
  readonly from: string;
  readonly to: string;
  readonly chain: string;
  readonly asset: string;
  /** `chain/asset`: amounts are only compared within one asset. */
  readonly assetKey: string;
  readonly amountBase: bigint;
  readonly timestamp: number;
}

interface SenderState {
  readonly key: string;
  /** Largest deposit per asset (few assets: a list, not a map). */
  readonly max: { assetKey: string; amountBase: bigint }[];
  readonly recent: Leg[];
  qualified?: { deposit: Leg; forward: Leg };
  merged: boolean;
}

/** Per-asset totals of one candidate. */
interface AssetTotals {
  readonly assetKey: string;
  /** From customer-like senders. */
  received: bigint;
  /** Swept to the exchange. */
  forwarded: bigint;
  /** Sent anywhere else. */
  other: bigint;
  maxDeposit: bigint;
}

/** Kept small (lists, not maps): every receiving address on an account chain starts as one. */
interface Candidate {
  readonly senders: SenderState[];
  readonly assets: AssetTotals[];
  forwards: Leg[] | undefined;
  exchange?: { entityId: string; entityName: string };
  anchor?: string;
  merges: number;
  lastTs: number;
}

const RECENT_DEPOSITS = 8;
const RECENT_FORWARDS = 16;
const ACCOUNT_FAMILIES: ReadonlySet<string> = new Set(['evm', 'tron', 'solana']);

/** Whether the default rule applies to a chain: account-model chains (EVM, TRON, Solana). */
export function isAccountChain(chain: string): boolean {
  return isChain(chain) && ACCOUNT_FAMILIES.has(chainFamily(chain));
}

/**
 * Creates the detector. `lookup` is read as transfers arrive: an address becomes an exchange hot
 * wallet (or a service sender) for the rule when the lists say so at that moment.
 */
export function createDepositReuseDetector(
  config: DepositReuseConfig,
  lookup: AttributionLookup,
): DepositReuseDetector {
  const candidates = new Map<string, Candidate>();
  const busy = new Set<string>();
  const exchangeCats = new Set(config.exchangeCategories);
  const serviceCats = new Set(config.serviceCategories);
  const chains = config.chains === undefined ? undefined : new Set(config.chains);
  const maxTrackedSenders = Math.max(8, config.maxSenders * 4);
  let watermark = 0;
  let sincePrune = 0;

  const appliesTo = (chain: string) => (chains ? chains.has(chain) : isAccountChain(chain));
  const exchangeOf = (key: string) => {
    const hit = lookup(key)?.find((h) => exchangeCats.has(h.category));
    return hit && { entityId: hit.entityId, entityName: hit.entityName };
  };
  const isService = (key: string) => lookup(key)?.some((h) => serviceCats.has(h.category)) ?? false;
  const isAttributed = (key: string) => (lookup(key)?.length ?? 0) > 0;
  const totals = (c: Candidate, assetKey: string): AssetTotals => {
    let t = c.assets.find((a) => a.assetKey === assetKey);
    if (t === undefined) {
      t = { assetKey, received: 0n, forwarded: 0n, other: 0n, maxDeposit: 0n };
      c.assets.push(t);
    }
    return t;
  };
  const ratio = (a: bigint, b: bigint) => (b === 0n ? 0 : Number(a) / Number(b));

  function qualifies(d: Leg, f: Leg): boolean {
    return (
      d.assetKey === f.assetKey &&
      f.timestamp >= d.timestamp &&
      f.timestamp - d.timestamp <= config.maxForwardDelaySec &&
      ratio(d.amountBase, f.amountBase) >= config.minDepositShare
    );
  }

  /** Senders whose deposits are not dust next to the largest deposit in the same asset. */
  function materialSenders(c: Candidate): number {
    let n = 0;
    for (const s of c.senders) {
      const material = s.max.some(
        (m) => ratio(m.amountBase, totals(c, m.assetKey).maxDeposit) >= config.minDepositShare,
      );
      if (material) n++;
    }
    return n;
  }

  /** Why D is not (or no longer) a personal deposit address, if it is not. */
  function brokenReason(c: Candidate): string | undefined {
    const senders = materialSenders(c);
    if (senders > config.maxSenders)
      return `${senders} senders (more than ${config.maxSenders}): a busy address`;
    for (const a of c.assets) {
      if (a.other > 0n && a.received > 0n && ratio(a.other, a.received) > config.maxOtherOutShare) {
        return `sends ${(ratio(a.other, a.received) * 100).toFixed(0)}% of its ${a.assetKey} elsewhere than the exchange`;
      }
    }
    return undefined;
  }

  function retire(key: string, c: Candidate, reason: string): DepositReuseFinding[] {
    candidates.delete(key);
    busy.add(key);
    return config.revokeWhenBusy && c.merges > 0 ? [{ kind: 'revoke', depositAddress: key, reason }] : [];
  }

  function evidence(l: Leg): LegEvidence {
    return {
      tx: l.tx,
      from: l.from,
      to: l.to,
      chain: l.chain,
      asset: l.asset,
      amountBase: l.amountBase.toString(),
      timestamp: l.timestamp,
    };
  }

  /** Emits the merges D's state now supports. */
  function evaluate(key: string, c: Candidate): DepositReuseFinding[] {
    const exchange = c.exchange;
    if (exchange === undefined) return [];
    const qualified = c.senders.filter((s) => s.qualified !== undefined);
    if (qualified.length < 2) return [];
    // The forward ratio must hold in every asset a qualifying deposit was made in.
    let worst = Number.POSITIVE_INFINITY;
    for (const s of qualified) {
      const a = totals(c, s.qualified?.deposit.assetKey ?? '');
      worst = Math.min(worst, ratio(a.forwarded, a.received));
    }
    if (worst < config.minForwardRatio) return [];
    const anchorKey = c.anchor;
    const anchor = c.senders.find((s) => s.key === anchorKey)?.qualified;
    if (anchorKey === undefined || anchor === undefined) return [];
    const senders = materialSenders(c);
    const out: DepositReuseFinding[] = [];
    for (const s of qualified) {
      const sender = s.key;
      if (sender === anchorKey || s.merged || s.qualified === undefined) continue;
      s.merged = true;
      c.merges++;
      const forwards = [anchor.forward];
      if (s.qualified.forward !== anchor.forward) forwards.push(s.qualified.forward);
      out.push({
        kind: 'merge',
        depositAddress: key,
        exchange,
        sender,
        anchor: anchorKey,
        deposits: [evidence(anchor.deposit), evidence(s.qualified.deposit)],
        forwards: forwards.map(evidence),
        forwardRatio: Math.min(1, worst),
        senders,
        tx: s.qualified.deposit.tx,
        timestamp: Math.max(
          anchor.deposit.timestamp,
          anchor.forward.timestamp,
          s.qualified.deposit.timestamp,
          s.qualified.forward.timestamp,
        ),
      });
    }
    return out;
  }

  function markQualified(c: Candidate, s: SenderState, deposit: Leg, forward: Leg): void {
    if (s.qualified !== undefined) return;
    s.qualified = { deposit, forward };
    if (c.anchor === undefined) c.anchor = s.key;
  }

  function onForward(key: string, c: Candidate, f: Leg, exchange: { entityId: string; entityName: string }) {
    if (c.exchange !== undefined && c.exchange.entityId !== exchange.entityId) {
      return retire(key, c, `sweeps to two exchanges (${c.exchange.entityName}, ${exchange.entityName})`);
    }
    c.exchange = exchange;
    totals(c, f.assetKey).forwarded += f.amountBase;
    c.forwards ??= [];
    c.forwards.push(f);
    if (c.forwards.length > RECENT_FORWARDS) c.forwards.shift();
    for (const s of c.senders) {
      if (s.qualified !== undefined) continue;
      const d = s.recent.find((d) => qualifies(d, f));
      if (d !== undefined) markQualified(c, s, d, f);
    }
    return evaluate(key, c);
  }

  function onDeposit(key: string, c: Candidate, d: Leg): DepositReuseFinding[] {
    let s = c.senders.find((x) => x.key === d.from);
    if (s === undefined) {
      if (c.senders.length >= maxTrackedSenders) {
        return retire(key, c, `more than ${maxTrackedSenders} senders`);
      }
      s = { key: d.from, max: [], recent: [], merged: false };
      c.senders.push(s);
    }
    const a = totals(c, d.assetKey);
    a.received += d.amountBase;
    if (d.amountBase > a.maxDeposit) a.maxDeposit = d.amountBase;
    const mine = s.max.find((m) => m.assetKey === d.assetKey);
    if (mine === undefined) s.max.push({ assetKey: d.assetKey, amountBase: d.amountBase });
    else if (d.amountBase > mine.amountBase) mine.amountBase = d.amountBase;
    s.recent.push(d);
    if (s.recent.length > RECENT_DEPOSITS) s.recent.shift();
    const broken = brokenReason(c);
    if (broken !== undefined) return retire(key, c, broken);
    // Data may arrive out of order: a sweep already seen may follow this deposit.
    if (s.qualified === undefined) {
      const f = c.forwards?.find((f) => qualifies(d, f));
      if (f !== undefined) markQualified(c, s, d, f);
    }
    return evaluate(key, c);
  }

  function prune(): void {
    sincePrune = 0;
    const horizon = watermark - config.staleAfterSec;
    for (const [key, c] of candidates) {
      if (c.merges === 0 && c.lastTs < horizon) candidates.delete(key);
    }
  }

  function newCandidate(): Candidate {
    return { senders: [], assets: [], forwards: undefined, merges: 0, lastTs: 0 };
  }

  return {
    get candidates() {
      return candidates.size;
    },
    get busy() {
      return busy.size;
    },
    observe(t) {
      if (t.amountBase <= 0n || t.from === t.to || !appliesTo(t.chain)) return [];
      if (t.timestamp > watermark) watermark = t.timestamp;
      if (++sincePrune >= Math.max(4096, candidates.size)) prune();
      const leg: Leg = {
        tx: t.tx ?? t.id,
        from: t.from,
        to: t.to,
        chain: t.chain,
        asset: t.asset,
        assetKey: `${t.chain}/${t.asset}`,
        amountBase: t.amountBase,
        timestamp: t.timestamp,
      };
      const out: DepositReuseFinding[] = [];
      // Outgoing side: t.from as a possible deposit address.
      if (!busy.has(t.from)) {
        const toExchange = exchangeOf(t.to);
        let c = candidates.get(t.from);
        if (c === undefined && toExchange !== undefined && !isAttributed(t.from)) {
          c = newCandidate();
          candidates.set(t.from, c);
        }
        if (c !== undefined) {
          c.lastTs = Math.max(c.lastTs, t.timestamp);
          if (toExchange !== undefined) out.push(...onForward(t.from, c, leg, toExchange));
          else {
            totals(c, leg.assetKey).other += leg.amountBase;
            const broken = brokenReason(c);
            if (broken !== undefined) out.push(...retire(t.from, c, broken));
          }
        }
      }
      // Incoming side: t.to as a possible deposit address, t.from as a customer.
      if (!busy.has(t.to) && !isService(t.from)) {
        let c = candidates.get(t.to);
        if (c === undefined && !isAttributed(t.to)) {
          c = newCandidate();
          candidates.set(t.to, c);
        }
        if (c !== undefined) {
          c.lastTs = Math.max(c.lastTs, t.timestamp);
          out.push(...onDeposit(t.to, c, leg));
        }
      }
      return out;
    },
  };
}
