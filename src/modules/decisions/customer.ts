/**
 * The customer: who they are (person or organisation, names, dates, countries), which of the
 * exchange's legal entities serves them (and so which jurisdiction's rules apply), how well they
 * are known (KYC level, declared profile), and the risk rating that follows from all of it. Pure.
 */

/** The four ratings, from least to most severe. */
export const RISK_RATINGS = ['low', 'medium', 'high', 'prohibited'] as const;
/** One of RISK_RATINGS. */
export type RiskRating = (typeof RISK_RATINGS)[number];

/** A person or an organisation. */
export type CustomerType = 'person' | 'organization';

/** Outcome of screening the customer's names against the active lists. */
export type ScreeningStatus = 'unscreened' | 'clear' | 'review' | 'match' | 'failed';

/** One listed entity a customer's name matched. */
export interface CustomerNameMatch {
  entityId: string;
  /** The listed entity's primary name and the listed name that matched. */
  name: string;
  matchedName: string;
  /** The customer's name that was screened. */
  queryName: string;
  source: string;
  versionId: string;
  score: number;
  decision: 'match' | 'review';
  programs: string[];
}

/** The latest screening of a customer (the full history is in the customer_screenings table). */
export interface CustomerScreening {
  status: ScreeningStatus;
  screenedAt: Date | null;
  /** Active list version labels by source at screening time. */
  versions: Record<string, string>;
  matches: CustomerNameMatch[];
  error?: string;
}

/** One reason behind a rating. */
export interface RiskReason {
  /** `jurisdiction`, `screening`, `exposure`, `behaviour` or `kyc`. */
  factor: 'jurisdiction' | 'screening' | 'exposure' | 'behaviour' | 'kyc';
  code: string;
  rating: RiskRating;
  detail: string;
}

/**
 * What the rating is computed from besides the profile, kept with the customer so that each change
 * (a decision, a look-back alert) recomputes the rating from the whole picture.
 */
export interface RiskSignals {
  /** The most severe decision action the customer's transfers received, and which decision. */
  worstDecision?: { action: string; decisionId: string; at: string };
  /** Look-back alerts opened on the customer (new links to listed entities). */
  lookbackAlerts?: number;
  /** 30-day volume against the declared monthly volume, at the last decision that changed it. */
  volumeRatio?: number;
}

/** A customer as cordon keeps it. */
export interface Customer {
  id: string;
  type: CustomerType;
  names: { primary: string; aliases: string[] };
  /** Date of birth (person) or incorporation (organisation): `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  birthDate: string | null;
  /** ISO 3166-1 alpha-2: nationalities of a person, country of incorporation of an organisation. */
  nationality: string[];
  /** ISO 3166-1 alpha-2: country of residence or of main operations. */
  residence: string | null;
  /** The exchange's legal entity serving the customer, e.g. `cordon-us`. */
  legalEntity: string;
  /** Decided by the legal entity (configuration), e.g. `US`. */
  jurisdiction: string;
  /** 0 none, 1 basic, 2 verified identity, 3 enhanced due diligence. */
  kycLevel: number;
  /** Declared expected monthly volume in USD (null when not declared). */
  expectedMonthlyVolumeUsd: number | null;
  screening: CustomerScreening;
  risk: { rating: RiskRating; reasons: RiskReason[]; assessedAt: Date; signals: RiskSignals };
  /** Incremented on every change. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Which jurisdiction each of the exchange's legal entities answers to. */
export type LegalEntityMap = Readonly<Record<string, string>>;

/**
 * The default legal entities (override in configuration): `cordon-us` → US, `cordon-eu` → EU,
 * `cordon-uk` → GB. The jurisdiction selects the policy pack; the global baseline always applies.
 */
export const DEFAULT_LEGAL_ENTITIES: LegalEntityMap = {
  'cordon-us': 'US',
  'cordon-eu': 'EU',
  'cordon-uk': 'GB',
};

/** Country lists behind the jurisdiction factor of the rating. */
export interface RiskSettings {
  /** Residence or nationality here makes the customer prohibited. */
  prohibitedCountries: readonly string[];
  /** Residence or nationality here makes the customer high risk. */
  highRiskCountries: readonly string[];
  /** 30-day volume above this multiple of the declared monthly volume is a medium behaviour factor; above three times it, high. */
  volumeRatioMedium: number;
}

/**
 * A starting set, to be reviewed and kept current in configuration: KP and IR (FATF call for
 * action, comprehensive embargoes) prohibited; MM (FATF call for action) and SY, CU, RU, BY (broad
 * sanctions programmes) high risk.
 */
export const DEFAULT_RISK_SETTINGS: RiskSettings = {
  prohibitedCountries: ['KP', 'IR'],
  highRiskCountries: ['MM', 'SY', 'CU', 'RU', 'BY'],
  volumeRatioMedium: 3,
};

const RANK: Record<RiskRating, number> = { low: 0, medium: 1, high: 2, prohibited: 3 };

/** The more severe of two ratings. */
export function maxRating(a: RiskRating, b: RiskRating): RiskRating {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The rating from jurisdiction (countries), screening (name matches), exposure (the worst decision
 * and look-back alerts) and behaviour (volume against the declared profile), with a reason for
 * every factor that raised it. A customer with no factor is low risk.
 */
export function assessRisk(
  c: Pick<Customer, 'nationality' | 'residence' | 'screening' | 'kycLevel'>,
  signals: RiskSignals,
  settings: RiskSettings,
): { rating: RiskRating; reasons: RiskReason[] } {
  const reasons: RiskReason[] = [];
  const countries = [...new Set([...(c.residence ? [c.residence] : []), ...c.nationality])];
  for (const cc of countries) {
    if (settings.prohibitedCountries.includes(cc))
      reasons.push({
        factor: 'jurisdiction',
        code: 'jurisdiction.prohibited_country',
        rating: 'prohibited',
        detail: `${cc} is a prohibited country`,
      });
    else if (settings.highRiskCountries.includes(cc))
      reasons.push({
        factor: 'jurisdiction',
        code: 'jurisdiction.high_risk_country',
        rating: 'high',
        detail: `${cc} is a high-risk country`,
      });
  }
  const s = c.screening;
  if (s.status === 'match') {
    const best = s.matches.find((m) => m.decision === 'match') ?? s.matches[0];
    reasons.push({
      factor: 'screening',
      code: 'screening.match',
      rating: 'high',
      detail: best
        ? `name "${best.queryName}" matches ${best.name} (${best.source}, score ${best.score.toFixed(2)}); pending analyst review`
        : 'name matches a listed entity',
    });
  } else if (s.status === 'review') {
    reasons.push({
      factor: 'screening',
      code: 'screening.possible_match',
      rating: 'medium',
      detail: `${s.matches.length} possible name match(es) to review`,
    });
  } else if (s.status === 'failed' || s.status === 'unscreened') {
    reasons.push({
      factor: 'screening',
      code: `screening.${s.status}`,
      rating: 'medium',
      detail: s.status === 'failed' ? `screening failed: ${s.error ?? 'unknown error'}` : 'not screened yet',
    });
  }
  const worst = signals.worstDecision;
  if (worst && (worst.action === 'freeze' || worst.action === 'block'))
    reasons.push({
      factor: 'exposure',
      code: `exposure.${worst.action}`,
      rating: 'high',
      detail: `a transfer was refused (${worst.action}, decision ${worst.decisionId})`,
    });
  else if (worst && worst.action === 'hold')
    reasons.push({
      factor: 'exposure',
      code: 'exposure.hold',
      rating: 'medium',
      detail: `a transfer was held (decision ${worst.decisionId})`,
    });
  if ((signals.lookbackAlerts ?? 0) > 0)
    reasons.push({
      factor: 'exposure',
      code: 'exposure.lookback',
      rating: 'high',
      detail: `${signals.lookbackAlerts} past transfer(s) or name(s) newly linked to listed entities`,
    });
  const ratio = signals.volumeRatio ?? 0;
  if (ratio > settings.volumeRatioMedium)
    reasons.push({
      factor: 'behaviour',
      code: 'behaviour.volume_above_profile',
      rating: ratio > settings.volumeRatioMedium * 3 ? 'high' : 'medium',
      detail: `30-day volume is ${ratio.toFixed(1)}x the declared monthly volume`,
    });
  if (c.kycLevel < 2)
    reasons.push({
      factor: 'kyc',
      code: 'kyc.unverified',
      rating: 'medium',
      detail: `KYC level ${c.kycLevel}: identity not verified`,
    });
  const rating = reasons.reduce<RiskRating>((r, x) => maxRating(r, x.rating), 'low');
  return { rating, reasons };
}
