import {
  type EntityAddress,
  type EntityCountry,
  type EntityDate,
  type EntityIdentifier,
  type EntityName,
  type EntityRelation,
  emptyEntity,
  type ListEntity,
  type ListRecord,
} from '../../model.js';

/**
 * The Huione Group designation set cordon ships, curated from FinCEN's public documents:
 * - FR 2025-07837, notice of proposed rulemaking (Section 311 finding on the Huione Group, May 2025);
 * - FR 2025-19571, final rule imposing the special measure;
 * - FR 2026-12794, definition of the Huione Group financial institution (naming H-Pay Service PLC).
 * Ids are the slugs the curated FinCEN 311 CSV parser gives the same names, so both agree.
 */

const SOURCE = 'fincen-311';
const PROGRAMS = ['FinCEN-311', 'FinCEN-311:Huione Group'];

const NPRM = 'https://www.federalregister.gov/d/2025-07837';
const FINAL_RULE = 'https://www.federalregister.gov/d/2025-19571';
const DEFINITION = 'https://www.federalregister.gov/d/2026-12794';

const GROUP = 'huione-group';
const PAY = 'huione-pay-plc';
const HPAY = 'h-pay-service-plc';
const CRYPTO = 'huione-crypto';
const HAOWANG = 'haowang-guarantee';
const TUDOU = 'tudou-guarantee';
const LABS = 'huione-labs';
const INTL_PAYMENTS = 'huione-international-payments';
const PAY_INC = 'huione-pay-inc';
const LTD = 'huione-ltd';
const PANDA = 'panda-commercial-bank-plc';

interface Designation {
  id: string;
  names: EntityName[];
  countries?: EntityCountry[];
  dates?: EntityDate[];
  identifiers?: EntityIdentifier[];
  addresses?: EntityAddress[];
  relations: [EntityRelation['type'], string, string?][];
  sourceUrl: string;
  remarks: string;
}

const primary = (value: string): EntityName => ({ value, kind: 'primary' });
const alias = (value: string): EntityName => ({ value, kind: 'strong_alias' });

const DESIGNATIONS: Designation[] = [
  {
    id: GROUP,
    names: [
      primary('Huione Group'),
      alias('Huione Group Limited'),
      { value: '汇旺', kind: 'original_script', lang: 'zh' },
      // The romanised Chinese name; weak because "Hui Wang" is a common personal name.
      { value: 'Huiwang', kind: 'weak_alias' },
    ],
    countries: [
      { country: 'KH', role: 'location' },
      { country: 'HK', role: 'registration' },
    ],
    dates: [
      { kind: 'incorporation', value: '2018', note: 'incorporated in Hong Kong as Huione Group Limited' },
    ],
    addresses: [{ full: 'Phnom Penh, Cambodia', city: 'Phnom Penh', country: 'KH' }],
    relations: [
      ['parent_of', PAY],
      ['parent_of', HPAY, 'H-Pay is described as a newly operational component of the Huione Group'],
      ['parent_of', CRYPTO],
      ['parent_of', HAOWANG],
      ['parent_of', LABS],
      ['parent_of', INTL_PAYMENTS],
      ['related', PAY_INC, 'likely related entity'],
      ['related', LTD, 'uses the same Denver, Colorado mail forwarding service as Huione Pay Inc.'],
      ['related', PANDA, 'reportedly linked to Huione Pay PLC and the Huione Group'],
      ['related', TUDOU, 'Haowang Guarantee bought a stake in Tudou Guarantee in December 2024'],
    ],
    sourceUrl: FINAL_RULE,
    remarks:
      'Financial services conglomerate based in Phnom Penh, Cambodia; originally incorporated in Hong Kong in 2018 as ' +
      'Huione Group Limited. Found to be a financial institution of primary money laundering concern under Section 311 ' +
      `(proposed rule ${NPRM}; final rule ${FINAL_RULE}; definition extended to H-Pay Service PLC ${DEFINITION}).`,
  },
  {
    id: PAY,
    names: [primary('Huione Pay PLC')],
    countries: [{ country: 'KH', role: 'registration' }],
    relations: [
      ['subsidiary_of', GROUP],
      ['rebranded_as', HPAY, "H-Pay has been publicly characterized as a 'rebrand' of Huione Pay"],
      ['related', INTL_PAYMENTS, 'Huione International Payments is described as part of Huione Pay PLC'],
      ['related', PANDA, 'Panda Commercial Bank is reportedly linked to Huione Pay PLC'],
    ],
    sourceUrl: FINAL_RULE,
    remarks:
      'Payment services institution registered with the National Bank of Cambodia; branches in Battambang, Phnom Penh, ' +
      'Poipet, Siem Reap and Sihanoukville, formerly also Laukkaing, Burma. Its payment services licence and corporate ' +
      'registration were revoked as of March 2025.',
  },
  {
    id: HPAY,
    names: [primary('H-Pay Service PLC'), alias('H-Pay'), alias('H-PAY SERVICE PLC.')],
    countries: [{ country: 'KH', role: 'registration' }],
    dates: [{ kind: 'incorporation', value: '2024', note: 'incorporated in Cambodia' }],
    identifiers: [{ type: 'registration', value: '00074959', issuer: 'KH' }],
    relations: [
      ['subsidiary_of', GROUP, 'newly operational component of the Huione Group'],
      ['rebrand_of', PAY, 'assumed Huione Pay PLC’s physical and operational footprint'],
    ],
    sourceUrl: DEFINITION,
    remarks:
      'Rebrand of Huione Pay PLC, incorporated in Cambodia in 2024; licensed as a payment services institution by the ' +
      'National Bank of Cambodia by June 2025, the licence reportedly revoked on 10 April 2026. Included in the ' +
      'definition of the Huione Group financial institution by FR 2026-12794.',
  },
  {
    id: CRYPTO,
    names: [
      primary('Huione Crypto'),
      alias('Huione Exchange'),
      alias('Huione Crypto Sp. z o.o.'),
      alias('Huione Crypto Spółka Z Ograniczoną Odpowiedzialnością'),
    ],
    countries: [
      { country: 'PL', role: 'registration' },
      { country: 'KH', role: 'location' },
    ],
    identifiers: [{ type: 'registration', value: '0001043802', issuer: 'PL' }],
    relations: [['subsidiary_of', GROUP]],
    sourceUrl: FINAL_RULE,
    remarks:
      'Crypto exchange registered in Poland (National Court Register, KRS 0001043802); FinCEN assesses that it ' +
      'operates in and from Cambodia.',
  },
  {
    id: HAOWANG,
    names: [
      primary('Haowang Guarantee'),
      { value: 'Huione Guarantee', kind: 'former_name' },
      // The Chinese name it traded under as Huione Guarantee (Huiwang Danbao).
      { value: '汇旺担保', kind: 'former_name', lang: 'zh' },
    ],
    countries: [{ country: 'KH', role: 'location' }],
    relations: [
      ['subsidiary_of', GROUP],
      [
        'related',
        TUDOU,
        'bought a stake in Tudou Guarantee in December 2024; FinCEN believes Tudou subsumed it',
      ],
    ],
    sourceUrl: FINAL_RULE,
    remarks:
      'Online guarantee marketplace, formerly known as Huione Guarantee (汇旺担保), renamed Haowang Guarantee on ' +
      '19 October 2024.',
  },
  {
    id: TUDOU,
    names: [primary('Tudou Guarantee')],
    relations: [
      ['related', GROUP],
      [
        'related',
        HAOWANG,
        'Haowang Guarantee bought a stake in December 2024; FinCEN believes Tudou subsumed it',
      ],
    ],
    sourceUrl: DEFINITION,
    remarks:
      'Illicit online marketplace in which Haowang Guarantee bought a stake in December 2024; FinCEN believes Tudou ' +
      'Guarantee subsumed Haowang Guarantee.',
  },
  {
    id: LABS,
    names: [primary('Huione Labs')],
    relations: [['subsidiary_of', GROUP]],
    sourceUrl: FINAL_RULE,
    remarks: 'Issuer of the USDH stablecoin, launched under the Huione Group.',
  },
  {
    id: INTL_PAYMENTS,
    names: [primary('Huione International Payments')],
    relations: [
      ['subsidiary_of', GROUP],
      ['related', PAY, 'described as part of Huione Pay PLC'],
    ],
    sourceUrl: NPRM,
    remarks: "Described as part of Huione Pay PLC, acting as a merchant on Haowang Guarantee's platform.",
  },
  {
    id: PAY_INC,
    names: [primary('Huione Pay Inc')],
    countries: [{ country: 'CA', role: 'registration' }],
    relations: [['related', GROUP, 'likely related entity']],
    sourceUrl: NPRM,
    remarks: 'Likely related entity, registered as a money services business in Canada until December 2023.',
  },
  {
    id: LTD,
    names: [primary('Huione LTD')],
    countries: [{ country: 'US', role: 'location' }],
    relations: [['related', GROUP]],
    sourceUrl: NPRM,
    remarks:
      'Registered with FinCEN in February 2025 as a dealer in foreign exchange, money transmitter and seller of money ' +
      'orders, using the same Denver, Colorado mail forwarding service as Huione Pay Inc.',
  },
  {
    id: PANDA,
    names: [primary('Panda Commercial Bank PLC'), alias('Panda Bank')],
    countries: [{ country: 'KH', role: 'registration' }],
    relations: [
      ['related', GROUP, 'reportedly linked to the Huione Group'],
      ['related', PAY, 'reportedly linked to Huione Pay PLC'],
    ],
    sourceUrl: DEFINITION,
    remarks:
      'Financial institution in Cambodia reportedly linked to Huione Pay PLC and the Huione Group; its licence was ' +
      'revoked and it was forced into liquidation by the National Bank of Cambodia.',
  },
];

function toEntity(d: Designation): ListEntity {
  const e = emptyEntity(SOURCE, d.id, 'organization');
  e.names = d.names;
  e.countries = d.countries ?? [];
  e.dates = d.dates ?? [];
  e.identifiers = d.identifiers ?? [];
  e.addresses = d.addresses ?? [];
  e.programs = [...PROGRAMS];
  e.relations = d.relations.map(([type, target, note]) => ({
    type,
    target: `${SOURCE}:${target}`,
    ...(note ? { note } : {}),
  }));
  e.sourceUrl = d.sourceUrl;
  e.remarks = d.remarks;
  return e;
}

/** The Huione Group and its arms as designated under FinCEN Section 311 (source `fincen-311`). */
export const HUIONE_DESIGNATIONS: ListEntity[] = DESIGNATIONS.map(toEntity);

/** The built-in Huione designation set as parser records (fresh copies, safe to modify). */
export function builtinHuioneSource(): ListRecord[] {
  return HUIONE_DESIGNATIONS.map((entity) => ({ type: 'entity', entity: structuredClone(entity) }));
}
