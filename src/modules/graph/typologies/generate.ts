/**
 * A generator of chain-like transfer data with planted, labelled typologies, for tests and the
 * benchmark. Seeded: the same options and seed give the same data.
 *
 * The background has three ledgers (TRON with USDT and TRX, Ethereum with USDT and ETH, and an
 * off-chain `ledger` in USD). Users have Pareto-distributed activity, so degrees follow a power
 * law; a few contacts each, so counterparties repeat. Exchanges are hubs: users deposit (half of
 * the time through a personal deposit address that the exchange sweeps to its hot wallet within
 * hours) and withdraw; exchanges rebalance between themselves. Merchants collect payments and
 * sweep each day's takings to an exchange. Some users pay on part of what they just withdrew.
 * These are the hard negatives: every one of them looks like some typology to a naive detector.
 *
 * Planted patterns use fresh addresses or quiet existing users (so a pattern may sit in ordinary
 * traffic), laundering-sized amounts, and parameters drawn from wide ranges. Each has a label:
 * the subject a detector should name, the typology, and the transfers of the pattern.
 */
import { normalizeAddress } from '../../chains/index.js';
import type { Transfer } from '../transfer.js';
import { TYPOLOGIES, type Typology, type TypologyLabel } from './model.js';
import { logNormal, logUniform, pareto, pick, type Rng, randomBetween, randomInt } from './random.js';

/** What to generate. */
export interface GenerateOptions {
  readonly rng: Rng;
  /** Total transfers, background and planted. */
  readonly transfers: number;
  /** Unix seconds of the first day (default 2024-03-01). */
  readonly startTs?: number;
  readonly days?: number;
  /** Planted instances per typology (default: one per 6,000 transfers, at least 3). */
  readonly planted?: Partial<Record<Typology, number>>;
  /**
   * Where patterns are planted: `mixed` (default) on fresh addresses or quiet users; `busy` mostly
   * (nine in ten) on existing users with a few to a few dozen counterparties of their own.
   */
  readonly plantedIn?: 'mixed' | 'busy';
  /** `large` (default) laundering-sized amounts; `ordinary` amounts like the background's. */
  readonly plantedAmounts?: 'large' | 'ordinary';
}

/** Transfers in time order (ids `t000001`, …) and the answers. */
export interface GeneratedData {
  readonly transfers: Transfer[];
  readonly labels: TypologyLabel[];
}

const HOUR = 3600;
const DAY = 86_400;
const MIN = 60;

interface AssetSpec {
  readonly symbol: string;
  readonly decimals: number;
  /** Decimal places amounts are rounded to. */
  readonly places: number;
  /** Median of an ordinary payment, and the range of a laundering-sized amount. */
  readonly median: number;
  readonly dirty: readonly [number, number];
  readonly stable: boolean;
}

interface World {
  readonly chain: string;
  readonly share: number;
  readonly assets: readonly AssetSpec[];
  readonly assetWeights: readonly number[];
  readonly exchanges: number;
  readonly txHashes: boolean;
  readonly address: (rng: Rng) => string;
}

const USDT: AssetSpec = {
  symbol: 'USDT',
  decimals: 6,
  places: 2,
  median: 120,
  dirty: [2_000, 60_000],
  stable: true,
};

const WORLDS: readonly World[] = [
  {
    chain: 'tron',
    share: 0.7,
    assets: [
      USDT,
      { symbol: 'TRX', decimals: 6, places: 2, median: 800, dirty: [20_000, 600_000], stable: false },
    ],
    assetWeights: [0.8, 0.2],
    exchanges: 5,
    txHashes: true,
    address: (rng) => {
      const r = normalizeAddress(`41${hex(rng, 20)}`, 'tron');
      if (!r.ok) throw new Error(r.reason);
      return r.key;
    },
  },
  {
    chain: 'ethereum',
    share: 0.2,
    assets: [USDT, { symbol: 'ETH', decimals: 18, places: 6, median: 0.15, dirty: [2, 40], stable: false }],
    assetWeights: [0.6, 0.4],
    exchanges: 3,
    txHashes: true,
    address: (rng) => `evm:0x${hex(rng, 20)}`,
  },
  {
    chain: 'ledger',
    share: 0.1,
    assets: [{ symbol: 'USD', decimals: 2, places: 2, median: 150, dirty: [2_000, 50_000], stable: true }],
    assetWeights: [1],
    exchanges: 2,
    txHashes: false,
    address: (rng) => `ledger:acct-${hex(rng, 5)}`,
  },
];

function hex(rng: Rng, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++)
    s += Math.floor(rng.next() * 256)
      .toString(16)
      .padStart(2, '0');
  return s;
}

interface Row {
  readonly from: string;
  readonly to: string;
  readonly chain: string;
  readonly asset: AssetSpec;
  readonly value: number;
  readonly ts: number;
  readonly hashed: boolean;
}

/** Weighted choice over a fixed population in O(log n). */
class Weighted<T> {
  private readonly cumulative: Float64Array;
  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
  }
  pick(rng: Rng): T {
    const x = rng.next() * (this.cumulative[this.cumulative.length - 1] as number);
    let a = 0;
    let b = this.cumulative.length - 1;
    while (a < b) {
      const m = (a + b) >>> 1;
      if ((this.cumulative[m] as number) <= x) a = m + 1;
      else b = m;
    }
    return this.items[a] as T;
  }
}

/** One ledger's population. */
interface Population {
  readonly world: World;
  readonly exchanges: string[];
  readonly exchangePick: Weighted<string>;
  readonly users: string[];
  readonly userPick: Weighted<string>;
  readonly quiet: string[];
  /** Users with a few to a few dozen counterparties. */
  readonly active: string[];
  readonly merchants: string[];
  readonly merchantPick: Weighted<string>;
  readonly contacts: Map<string, string[]>;
  readonly home: Map<string, string>;
  readonly depositAddress: Map<string, string>;
}

/**
 * Generates background traffic and planted patterns.
 *
 * @example const { transfers, labels } = generateTypologyData({ rng: createRng(1), transfers: 20_000 })
 */
export function generateTypologyData(options: GenerateOptions): GeneratedData {
  const { rng } = options;
  const start = options.startTs ?? 1_709_251_200;
  const span = (options.days ?? 30) * DAY;
  const rows: Row[] = [];
  const labels: { typology: Typology; subject: string; chain: string; asset: string; rows: number[] }[] = [];
  const used = new Set<string>();

  const populations = WORLDS.map((world) => populate(rng, world, options.transfers));

  // Planted patterns first (so the background knows how many rows are left).
  const perTypology = Math.max(3, Math.round(options.transfers / 6000));
  const counts = TYPOLOGIES.map((t) => [t, options.planted?.[t] ?? perTypology] as const);
  for (const [typology, count] of counts) {
    for (let i = 0; i < count; i++) {
      const pop = pickWorld(rng, populations, typology === 'structuring');
      const asset =
        typology === 'structuring'
          ? (pop.world.assets.find((a) => a.stable) as AssetSpec)
          : rng.next() < 0.8
            ? (pop.world.assets[0] as AssetSpec)
            : (pop.world.assets[pop.world.assets.length - 1] as AssetSpec);
      const t0 = start + DAY + rng.next() * (span - 9 * DAY);
      const plant = new Planter(
        rng,
        pop,
        asset,
        rows,
        used,
        options.plantedIn ?? 'mixed',
        options.plantedAmounts ?? 'large',
      );
      const subject = PLANTERS[typology](plant, t0);
      labels.push({ typology, subject, chain: pop.world.chain, asset: asset.symbol, rows: plant.labelled });
    }
  }

  const background = Math.max(0, options.transfers - rows.length);
  for (const pop of populations) {
    const target = rows.length + Math.round(background * pop.world.share);
    backgroundTraffic(rng, pop, start, span, target, rows);
  }

  // Time order, stable; ids follow it.
  const order = rows.map((_, i) => i).sort((a, b) => (rows[a] as Row).ts - (rows[b] as Row).ts || a - b);
  const idOf = new Array<string>(rows.length);
  const width = String(rows.length).length;
  const transfers = order.map((i, k) => {
    const r = rows[i] as Row;
    const id = `t${String(k + 1).padStart(Math.max(6, width), '0')}`;
    idOf[i] = id;
    const t: Transfer = {
      id,
      chain: r.chain,
      asset: r.asset.symbol,
      decimals: r.asset.decimals,
      from: r.from,
      to: r.to,
      amountBase: toBase(r.value, r.asset),
      timestamp: Math.floor(r.ts),
    };
    return r.hashed ? { ...t, tx: hex(rng, 32) } : t;
  });
  return {
    transfers,
    labels: labels.map((l) => ({
      subject: display(l.subject),
      typology: l.typology,
      chain: l.chain,
      asset: l.asset,
      transfers: l.rows.map((i) => idOf[i] as string),
    })),
  };
}

function display(key: string): string {
  return key.slice(key.indexOf(':') + 1);
}

function toBase(value: number, asset: AssetSpec): bigint {
  const scaled = BigInt(Math.max(1, Math.round(value * 10 ** asset.places)));
  return scaled * 10n ** BigInt(asset.decimals - asset.places);
}

function round(value: number, asset: AssetSpec): number {
  const f = 10 ** asset.places;
  return Math.max(1 / f, Math.round(value * f) / f);
}

function pickWorld(rng: Rng, pops: readonly Population[], stableOnly: boolean): Population {
  const eligible = pops.filter((p) => !stableOnly || p.world.assets.some((a) => a.stable));
  const total = eligible.reduce((s, p) => s + p.world.share, 0);
  let x = rng.next() * total;
  for (const p of eligible) {
    x -= p.world.share;
    if (x < 0) return p;
  }
  return eligible[eligible.length - 1] as Population;
}

function populate(rng: Rng, world: World, transfers: number): Population {
  const userCount = Math.max(200, Math.round((transfers * world.share) / 4));
  const exchanges = Array.from({ length: world.exchanges }, () => world.address(rng));
  const users = Array.from({ length: userCount }, () => world.address(rng));
  const weights = users.map(() => pareto(rng, 1.3, 400));
  const merchantCount = Math.max(3, Math.round(userCount * 0.004));
  const merchants = Array.from({ length: merchantCount }, () => world.address(rng));
  const userPick = new Weighted(users, weights);
  const contacts = new Map<string, string[]>();
  const home = new Map<string, string>();
  const exchangePick = new Weighted(
    exchanges,
    exchanges.map((_, i) => 1 / (i + 1)),
  );
  for (const u of users) {
    contacts.set(
      u,
      Array.from({ length: randomInt(rng, 1, 4) }, () => userPick.pick(rng)).filter((c) => c !== u),
    );
    home.set(u, exchangePick.pick(rng));
  }
  return {
    world,
    exchanges,
    exchangePick,
    users,
    userPick,
    quiet: users.filter((_, i) => (weights[i] as number) < 2.5),
    active: users.filter((_, i) => (weights[i] as number) >= 2 && (weights[i] as number) < 15),
    merchants,
    merchantPick: new Weighted(
      merchants,
      merchants.map(() => pareto(rng, 1.1, 50)),
    ),
    contacts,
    home,
    depositAddress: new Map(),
  };
}

function backgroundTraffic(
  rng: Rng,
  pop: Population,
  start: number,
  span: number,
  target: number,
  rows: Row[],
) {
  const { world } = pop;
  const assetPick = new Weighted(world.assets, world.assetWeights);
  const add = (from: string, to: string, asset: AssetSpec, value: number, ts: number) => {
    if (from !== to && ts < start + span)
      rows.push({
        from,
        to,
        chain: world.chain,
        asset,
        value: round(value, asset),
        ts,
        hashed: world.txHashes,
      });
  };
  const when = () => {
    // Busier in the (UTC+8) day than at night.
    for (;;) {
      const ts = start + rng.next() * span;
      const hour = ((ts / HOUR + 8) % 24) / 24;
      if (rng.next() < 0.55 + 0.45 * Math.sin(Math.PI * hour)) return ts;
    }
  };
  const merchantTakings = new Map<string, Map<number, number>>();
  while (rows.length < target) {
    const asset = assetPick.pick(rng);
    const ts = when();
    const kind = rng.next();
    if (kind < 0.27) {
      // Deposit, half of the time through the user's deposit address, swept within hours.
      const u = pop.userPick.pick(rng);
      const x = pop.home.get(u) as string;
      const value = logNormal(rng, asset.median * 1.5, 1.3);
      if (rng.next() < 0.5) {
        const key = `${u}>${x}`;
        let dep = pop.depositAddress.get(key);
        if (dep === undefined) {
          dep = world.address(rng);
          pop.depositAddress.set(key, dep);
        }
        add(u, dep, asset, value, ts);
        add(dep, x, asset, value, ts + logUniform(rng, 2 * MIN, 4 * HOUR));
      } else add(u, x, asset, value, ts);
    } else if (kind < 0.54) {
      // Withdrawal; sometimes part of it is paid on at once.
      const u = pop.userPick.pick(rng);
      const value = logNormal(rng, asset.median * 1.5, 1.3);
      add(pop.home.get(u) as string, u, asset, value, ts);
      if (rng.next() < 0.08) {
        const to = pick(rng, pop.contacts.get(u) ?? []) ?? pop.userPick.pick(rng);
        add(u, to, asset, value * randomBetween(rng, 0.5, 1), ts + logUniform(rng, 5 * MIN, 6 * HOUR));
      }
    } else if (kind < 0.8) {
      // Person to person, often to a contact.
      const u = pop.userPick.pick(rng);
      const contacts = pop.contacts.get(u) ?? [];
      const to = contacts.length > 0 && rng.next() < 0.5 ? pick(rng, contacts) : pop.userPick.pick(rng);
      add(u, to, asset, logNormal(rng, asset.median, 1.4), ts);
    } else if (kind < 0.97) {
      // Payment to a merchant, who sweeps the day's takings to an exchange.
      const u = pop.userPick.pick(rng);
      const m = pop.merchantPick.pick(rng);
      const value = round(logNormal(rng, asset.median * 0.5, 1), asset);
      add(u, m, asset, value, ts);
      const day = Math.floor((ts - start) / DAY);
      const key = `${m}\u0000${asset.symbol}`;
      const byDay = merchantTakings.get(key) ?? new Map<number, number>();
      byDay.set(day, (byDay.get(day) ?? 0) + value);
      merchantTakings.set(key, byDay);
    } else {
      // Exchanges rebalance hot wallets.
      const x = pick(rng, pop.exchanges);
      const y = pick(rng, pop.exchanges);
      add(x, y, asset, logNormal(rng, asset.median * 2000, 0.8), ts);
    }
  }
  for (const [key, byDay] of merchantTakings) {
    const [m, symbol] = key.split('\u0000') as [string, string];
    const asset = world.assets.find((a) => a.symbol === symbol) as AssetSpec;
    const x = pop.exchanges[0] as string;
    for (const [day, sum] of byDay)
      add(m, x, asset, sum, start + (day + 1) * DAY + randomBetween(rng, HOUR, 6 * HOUR));
  }
}

/** Helpers for planting one pattern; rows it adds with `label` become the label's transfers. */
class Planter {
  readonly labelled: number[] = [];
  constructor(
    readonly rng: Rng,
    readonly pop: Population,
    readonly asset: AssetSpec,
    private readonly rows: Row[],
    private readonly used: Set<string>,
    private readonly plantedIn: 'mixed' | 'busy',
    private readonly amounts: 'large' | 'ordinary',
  ) {}

  /** A new address. */
  fresh(): string {
    return this.pop.world.address(this.rng);
  }

  /** A quiet (or, when planting in busy users, active) user not used by another pattern, or a fresh address. */
  quiet(): string {
    const pool = this.plantedIn === 'busy' ? this.pop.active : this.pop.quiet;
    for (let i = 0; i < 20; i++) {
      const u = pick(this.rng, pool);
      if (u !== undefined && !this.used.has(u)) {
        this.used.add(u);
        return u;
      }
    }
    return this.fresh();
  }

  /** Fresh with probability `p` (0.1 when planting in busy users), else an existing user. */
  party(p = 0.5): string {
    return this.rng.next() < (this.plantedIn === 'busy' ? 0.1 : p) ? this.fresh() : this.quiet();
  }

  exchange(): string {
    return this.pop.exchangePick.pick(this.rng);
  }

  /** An amount to launder: laundering-sized, or like an ordinary payment. */
  dirty(): number {
    if (this.amounts === 'ordinary')
      return logUniform(this.rng, this.asset.median * 0.4, this.asset.median * 12);
    return logUniform(this.rng, this.asset.dirty[0], this.asset.dirty[1]);
  }

  /** Adds a transfer; part of the label unless `label` is false. Returns the rounded amount. */
  send(from: string, to: string, value: number, ts: number, label = true): number {
    const v = round(value, this.asset);
    if (label) this.labelled.push(this.rows.length);
    this.rows.push({
      from,
      to,
      chain: this.pop.world.chain,
      asset: this.asset,
      value: v,
      ts,
      hashed: this.pop.world.txHashes,
    });
    return v;
  }

  between(lo: number, hi: number): number {
    return randomBetween(this.rng, lo, hi);
  }

  /** `n` positive shares of `total`, uneven. */
  split(total: number, n: number, even: boolean): number[] {
    const w = Array.from({ length: n }, () => (even ? this.between(0.85, 1.15) : this.between(0.2, 1.8)));
    const sum = w.reduce((s, x) => s + x, 0);
    return w.map((x) => (total * x) / sum);
  }
}

const PLANTERS: Record<Typology, (p: Planter, t0: number) => string> = {
  'fan-in': (p, t0) => {
    const subject = p.party();
    const k = randomInt(p.rng, 5, 14);
    const duration = logUniform(p.rng, HOUR, 48 * HOUR);
    const amounts = p.split(p.dirty() * k * 0.5, k, p.rng.next() < 0.5);
    let total = 0;
    for (const a of amounts) total += p.send(p.party(0.6), subject, a, t0 + p.rng.next() * duration);
    if (p.rng.next() < 0.5)
      p.send(
        subject,
        p.party(),
        total * p.between(0.97, 1),
        t0 + duration + p.between(4 * DAY, 7 * DAY),
        false,
      );
    return subject;
  },
  'fan-out': (p, t0) => {
    const subject = p.party();
    const k = randomInt(p.rng, 5, 14);
    const total = p.dirty() * k * 0.5;
    p.send(
      p.rng.next() < 0.5 ? p.exchange() : p.fresh(),
      subject,
      total,
      t0 - p.between(HOUR, 12 * HOUR),
      false,
    );
    const duration = logUniform(p.rng, HOUR, 48 * HOUR);
    for (const a of p.split(total * p.between(0.95, 1), k, p.rng.next() < 0.5))
      p.send(subject, p.party(0.6), a, t0 + p.rng.next() * duration);
    return subject;
  },
  cycle: (p, t0) => {
    const origin = p.party();
    const hops = randomInt(p.rng, 2, 6);
    const nodes = [origin, ...Array.from({ length: hops - 1 }, () => p.party(0.7))];
    let value = p.dirty();
    let ts = t0;
    for (let i = 0; i < hops; i++) {
      p.send(nodes[i] as string, nodes[(i + 1) % hops] as string, value, ts);
      value *= p.between(0.9, 0.995);
      ts += logUniform(p.rng, 5 * MIN, 18 * HOUR);
    }
    return origin;
  },
  'scatter-gather': (p, t0) => {
    const source = p.party();
    const sink = p.rng.next() < 0.2 ? p.exchange() : p.party();
    const k = randomInt(p.rng, 3, 8);
    const total = p.dirty() * k * 0.5;
    p.send(p.exchange(), source, total * p.between(1, 1.05), t0 - p.between(HOUR, 2 * DAY), false);
    const scatter = logUniform(p.rng, 10 * MIN, 24 * HOUR);
    for (const a of p.split(total, k, p.rng.next() < 0.5)) {
      const via = p.party(0.8);
      const ts = t0 + p.rng.next() * scatter;
      const sent = p.send(source, via, a, ts);
      p.send(via, sink, sent * p.between(0.9, 1), ts + logUniform(p.rng, 5 * MIN, 24 * HOUR));
    }
    return source;
  },
  'gather-scatter': (p, t0) => {
    const hub = p.party();
    const gather = logUniform(p.rng, 30 * MIN, 24 * HOUR);
    let total = 0;
    let last = t0;
    for (const a of p.split(p.dirty() * 3, randomInt(p.rng, 3, 8), p.rng.next() < 0.5)) {
      const ts = t0 + p.rng.next() * gather;
      last = Math.max(last, ts);
      total += p.send(p.party(0.6), hub, a, ts);
    }
    const begin = last + logUniform(p.rng, 5 * MIN, 12 * HOUR);
    const scatter = logUniform(p.rng, 30 * MIN, 24 * HOUR);
    for (const a of p.split(total * p.between(0.9, 1), randomInt(p.rng, 3, 8), p.rng.next() < 0.5))
      p.send(hub, p.party(0.6), a, begin + p.rng.next() * scatter);
    return hub;
  },
  'peel-chain': (p, t0) => {
    const origin = p.party(0.7);
    let value = p.dirty() * 8;
    if (p.rng.next() < 0.7)
      p.send(p.rng.next() < 0.5 ? p.exchange() : p.fresh(), origin, value, t0 - p.between(MIN, DAY), false);
    let at = origin;
    let ts = t0;
    const hops = randomInt(p.rng, 4, 10);
    for (let i = 0; i < hops; i++) {
      const peel = value * p.between(0.02, 0.15);
      const r = p.rng.next();
      const to = r < 0.4 ? p.exchange() : r < 0.8 ? p.quiet() : p.fresh();
      p.send(at, to, peel, ts + p.between(0, 30));
      const next = p.fresh();
      value = (value - peel) * p.between(0.998, 1);
      p.send(at, next, value, ts);
      at = next;
      ts += logUniform(p.rng, 5 * MIN, 12 * HOUR);
    }
    return origin;
  },
  'rapid-pass-through': (p, t0) => {
    const subject = p.party();
    const rounds = randomInt(p.rng, 1, 3);
    let ts = t0;
    for (let i = 0; i < rounds; i++) {
      const received = p.send(p.party(), subject, p.dirty(), ts);
      const out = received * p.between(0.95, 1);
      const at = ts + logUniform(p.rng, MIN, 8 * HOUR);
      if (p.rng.next() < 0.3) {
        const first = out * p.between(0.3, 0.7);
        p.send(subject, p.party(), first, at);
        p.send(subject, p.party(), out - first, at + p.between(MIN, HOUR));
      } else p.send(subject, p.party(), out, at);
      ts += p.between(12 * HOUR, 3 * DAY);
    }
    return subject;
  },
  structuring: (p, t0) => {
    const subject = p.party(0.4);
    const threshold = p.rng.next() < 0.7 ? 10_000 : 3_000;
    const m = randomInt(p.rng, 3, 7);
    const targets = Array.from({ length: randomInt(p.rng, 1, 3) }, () =>
      p.rng.next() < 0.4 ? p.exchange() : p.party(),
    );
    const spread = p.between(DAY, 10 * DAY);
    for (let i = 0; i < m; i++) {
      const raw = threshold * p.between(0.9, 0.999);
      const amount = p.rng.next() < 0.5 ? Math.floor(raw) : raw;
      p.send(subject, pick(p.rng, targets), amount, t0 + p.rng.next() * spread);
    }
    return subject;
  },
};
