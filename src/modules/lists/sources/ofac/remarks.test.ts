import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyEntity } from '../../model.js';
import {
  applyLabelled,
  applyRemarks,
  countryCode,
  looksCut,
  parseOfacDate,
  parseRemarks,
} from './remarks.js';

// Remarks strings below are copied verbatim from the real files in ../shared/data/ofac_sdn/
// (sdn_2024-05-03.csv, sdn_comments_2025-12-24.csv and the watchman_ofactest_subset_* files).

/** LAZARUS GROUP (ent 27307): sdn.csv cuts Remarks at 1,000 characters, mid-alias. */
const LAZARUS_2024 =
  "Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96; alt. Digital Currency Address - ETH 0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B; alt. Digital Currency Address - ETH 0x3Cffd56B47B7b41c56258D9C7731ABaDc360E073; alt. Digital Currency Address - ETH 0x53b6936513e738f44FB50d2b9476730C0Ab3Bfc1; alt. Digital Currency Address - ETH 0x35fB6f6DB4fb05e6A4cE86f2C93691425626d4b1; alt. Digital Currency Address - ETH 0xF7B31119c2682c88d88D455dBb9d5932c65Cf1bE; alt. Digital Currency Address - ETH 0x3e37627dEAA754090fBFbb8bd226c1CE66D255e9; alt. Digital Currency Address - ETH 0x08723392Ed15743cc38513C4925f5e6be5c17243; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; a.k.a. 'HIDDEN COBRA'; a.k.a. 'OFFICE 91'; a.k.a. 'GUARDIANS OF PEACE'; a.k.a. 'THE NEW ROMANTIC CYBER ARMY TEAM'; a.k.a. 'WHOIS HACKIN";
/** Its overflow in sdn_comments.csv, continuing mid-word. */
const LAZARUS_OVERFLOW =
  "G TEAM'; a.k.a. 'RED DOT'; a.k.a. 'TEMP.HERMIT'; a.k.a. 'GROUP 77'; a.k.a. 'ZINC'; a.k.a. 'APT-C-26'; a.k.a. 'APPLEWORM'.";

const LIFSHITS =
  'DOB 26 Dec 1992; nationality Russia; Email Address mycryptodeals@yandex.ru; alt. Email Address artemlv@hotmail.com; Gender Male; Digital Currency Address - XBT 12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz; alt. Digital Currency Address - XBT 1DT3tenf14cxz9WFNxmYrXFbB6TFiVWA9U; Digital Currency Address - ETH 0x901bb9583b24d97e995513c6778dc6888ab6870e; alt. Digital Currency Address - ETH 0xa7e5d5a720f06526557c513402f2e6b5fa20b008; Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201; Phone Number 79110354982; Digital Currency Address - LTC Leo3j36nn1JcsUQruytQhFUdCdCH5YHMR3; Digital Currency Address - DASH Xs3vzQmNvAxRa3Xo8XzQqUb3BMgb9EogF4; Passport 719032284.';

/** POTEKHIN (ent 29584): three DOBs, two a.k.a.s, XBT and ETH addresses. */
const POTEKHIN =
  "DOB 14 Sep 1995; alt. DOB 14 Sep 1990; alt. DOB 08 Aug 1990; Email Address potekhinl4@bk.ru; Gender Male; Digital Currency Address - XBT 1Q9UAQbcDezmyouFrzt94t4dSMxgsUfW1X; alt. Digital Currency Address - XBT 1Kys8fqDen8NGFUJ6AFcXfFW5qquuTH4eh; Digital Currency Address - ETH 0x7F367cC41522cE07553e823bf3be79A889DEbe1B; Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201; a.k.a. 'cronuswar'; a.k.a. 'SERGEY, Kireev Valerievich'.";

/** KHORASHADIZADEH (ent 26137): passport with issue and expiry dates. */
const KHORASHADIZADEH =
  "DOB 21 Sep 1979; POB Tehran, Iran; nationality Iran; Email Address iranvisacart@yahoo.com; alt. Email Address mastercartaria@yahoo.com; alt. Email Address alikhorashadi@yahoo.com; alt. Email Address toppglasses@gmail.com; alt. Email Address iranian_boy5@yahoo.com; Additional Sanctions Information - Subject to Secondary Sanctions; Gender Male; Digital Currency Address - XBT 149w62rY42aZBox8fGcmqNsXUzSStKeq8C; Passport T14553558 (Iran) issued 28 Oct 2008 expires 29 Oct 2013; a.k.a. 'Mastercartaria'; a.k.a. 'Iranvisacart'.";

const LOGAN_MOREY =
  "DOB 28 Jul 1963; POB Toledo District, Belize; Passport P0017003 (Belize); SSN 561-77-9011 (United States); a.k.a. 'BURTON BURGESS'.";

const IRAN_AIRCRAFT =
  "Additional Sanctions Information - Subject to Secondary Sanctions; National ID No. 10100722073 (Iran); Registration Number 26740 (Iran); a.k.a. 'HESA'; a.k.a. 'HTC'; a.k.a. 'IAMI'; a.k.a. 'IAMCO'; a.k.a. 'HAVA PEYMA SAZI-E IRAN'; a.k.a. 'HAVAPEYMA SAZI IRAN'; a.k.a. 'HAVAPEYMA SAZHRAN'; a.k.a. 'HEVAPEIMASAZI'; a.k.a. 'SHAHIN CO.'; Linked To: MINISTRY OF DEFENSE AND ARMED FORCES LOGISTICS; Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS.";

const BEL_KAP_STEEL =
  'Organization Established Date 1998; Tax ID No. 52-2083095 (United States); Business Registration Number 0582030 (Connecticut) (United States); alt. Business Registration Number M99000000961 (Florida) (United States); Linked To: OPEN JOINT STOCK COMPANY BYELORUSSIAN STEEL WORKS MANAGEMENT COMPANY OF HOLDING BYELORUSSIAN METALLURGICAL COMPANY.';

const KHOROSHEV =
  "DOB 17 Apr 1993; POB Russian Federation; nationality Russia; citizen Russia; Email Address khoroshev1@icloud.com; alt. Email Address sitedev5@yandex.ru; Gender Male; Digital Currency Address - XBT bc1qvhnfknw852ephxyc5hm4q520zmvf9maphetc9z; Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201; Passport 2018278055 (Russia); alt. Passport 2006801524 (Russia); Tax ID No. 366110340670 (Russia); a.k.a. 'LOCKBITSUPP'.";

const GADDAFI_FOUNDATION =
  'Website www.gicdf.org; Email Address info@gicdf.org; Registration ID CH-660.0.699.004-7 (Switzerland); Telephone No. (218) (0)214778301; Telephone No. (022) 7363030; Fax No. (218) (0)214778766; Fax No. (022) 7363196.';

const IRIS_MAKRAN =
  "Additional Sanctions Information - Subject to Secondary Sanctions; Vessel Registration Identification IMO 9486910; a.k.a. 'MAKRAN'.";

const P_532 =
  'Aircraft Manufacture Date 1974; Aircraft Model AN24-RV; Aircraft Operator Air Koryo; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214.';

const DIALOG_REGIONS =
  "Website www.dialog.info; alt. Website www.dialog-regions.ru; Secondary sanctions risk: See Section 11 of Executive Order 14024.; Organization Established Date 21 Jul 2020; Tax ID No. 9709063550 (Russia); Business Registration Number 1207700248030 (Russia); a.k.a. 'DIALOGUE REGIONS'; a.k.a. 'DIALOG REGIONY'; a.k.a. 'DIALOGUE'; Linked To: AUTONOMOUS NON-PROFIT ORGANIZATION DIALOG.";

describe('parseRemarks on real OFAC remarks', () => {
  const cases: Array<{ name: string; text: string; check: (f: ReturnType<typeof parseRemarks>) => void }> = [
    {
      name: 'LAZARUS GROUP (27307), 2024 Remarks joined with its 2025 sdn_comments overflow',
      text: LAZARUS_2024 + LAZARUS_OVERFLOW,
      check: (f) => {
        assert.equal(f.cryptoAddresses.length, 8);
        assert.ok(f.cryptoAddresses.every((c) => c.currency === 'ETH'));
        assert.deepEqual(f.cryptoAddresses[0], {
          currency: 'ETH',
          address: '0x098B716B8Aaf21512996dC57EB0615e2383E2f96',
        });
        assert.deepEqual(
          f.names.map((n) => n.value),
          [
            'HIDDEN COBRA',
            'OFFICE 91',
            'GUARDIANS OF PEACE',
            'THE NEW ROMANTIC CYBER ARMY TEAM',
            'WHOIS HACKING TEAM',
            'RED DOT',
            'TEMP.HERMIT',
            'GROUP 77',
            'ZINC',
            'APT-C-26',
            'APPLEWORM',
          ],
        );
        assert.ok(f.names.every((n) => n.kind === 'weak_alias'));
        assert.deepEqual(f.identifiers, [], 'sanctions-risk notes are not identifiers');
      },
    },
    {
      name: 'LIFSHITS, Artem (29702): XBT, ETH, LTC and DASH addresses',
      text: LIFSHITS,
      check: (f) => {
        assert.deepEqual(
          f.cryptoAddresses.map((c) => `${c.currency} ${c.address}`),
          [
            'XBT 12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz',
            'XBT 1DT3tenf14cxz9WFNxmYrXFbB6TFiVWA9U',
            'ETH 0x901bb9583b24d97e995513c6778dc6888ab6870e',
            'ETH 0xa7e5d5a720f06526557c513402f2e6b5fa20b008',
            'LTC Leo3j36nn1JcsUQruytQhFUdCdCH5YHMR3',
            'DASH Xs3vzQmNvAxRa3Xo8XzQqUb3BMgb9EogF4',
          ],
        );
        assert.deepEqual(f.dates, [{ kind: 'birth', value: '1992-12-26' }]);
        assert.deepEqual(f.countries, [{ country: 'RU', role: 'nationality' }]);
        assert.equal(f.gender, 'male');
        assert.deepEqual(f.identifiers, [
          { type: 'email', value: 'mycryptodeals@yandex.ru' },
          { type: 'email', value: 'artemlv@hotmail.com' },
          { type: 'phone', value: '79110354982' },
          { type: 'passport', value: '719032284' },
        ]);
      },
    },
    {
      name: 'POTEKHIN (29584): several DOBs and several a.k.a.s',
      text: POTEKHIN,
      check: (f) => {
        assert.deepEqual(
          f.dates.map((d) => d.value),
          ['1995-09-14', '1990-09-14', '1990-08-08'],
        );
        assert.deepEqual(f.names, [
          { value: 'cronuswar', kind: 'weak_alias' },
          { value: 'SERGEY, Kireev Valerievich', kind: 'weak_alias' },
        ]);
        assert.equal(f.cryptoAddresses.length, 3);
      },
    },
    {
      name: 'KHORASHADIZADEH (26137): passport issued/expires, POB with country',
      text: KHORASHADIZADEH,
      check: (f) => {
        assert.ok(
          f.identifiers.some((i) => i.type === 'passport' && i.value === 'T14553558' && i.issuer === 'Iran'),
        );
        assert.equal(f.identifiers.filter((i) => i.type === 'email').length, 5);
        assert.deepEqual(f.placesOfBirth, ['Tehran, Iran']);
        assert.deepEqual(f.countries, [
          { country: 'IR', role: 'birth' },
          { country: 'IR', role: 'nationality' },
        ]);
        assert.deepEqual(f.cryptoAddresses, [
          { currency: 'XBT', address: '149w62rY42aZBox8fGcmqNsXUzSStKeq8C' },
        ]);
        assert.deepEqual(
          f.names.map((n) => n.value),
          ['Mastercartaria', 'Iranvisacart'],
        );
      },
    },
    {
      name: 'LOGAN MOREY (10278): POB, passport and SSN with issuers',
      text: LOGAN_MOREY,
      check: (f) => {
        assert.deepEqual(f.dates, [{ kind: 'birth', value: '1963-07-28' }]);
        assert.deepEqual(f.placesOfBirth, ['Toledo District, Belize']);
        assert.deepEqual(f.countries, [{ country: 'BZ', role: 'birth' }]);
        assert.deepEqual(f.identifiers, [
          { type: 'passport', value: 'P0017003', issuer: 'Belize' },
          { type: 'ssn', value: '561-77-9011', issuer: 'United States' },
        ]);
        assert.deepEqual(f.names, [{ value: 'BURTON BURGESS', kind: 'weak_alias' }]);
      },
    },
    {
      name: 'IRAN AIRCRAFT MANUFACTURING (11195): nine a.k.a.s and two Linked To',
      text: IRAN_AIRCRAFT,
      check: (f) => {
        assert.equal(f.names.length, 9);
        assert.equal(f.names.at(-1)?.value, 'SHAHIN CO.');
        assert.deepEqual(f.identifiers, [
          { type: 'national_id', value: '10100722073', issuer: 'Iran' },
          { type: 'registration', value: '26740', issuer: 'Iran' },
        ]);
        assert.deepEqual(f.relations, [
          {
            type: 'related',
            target: 'ofac-sdn:name:MINISTRY OF DEFENSE AND ARMED FORCES LOGISTICS',
            note: 'Linked To: MINISTRY OF DEFENSE AND ARMED FORCES LOGISTICS',
          },
          {
            type: 'related',
            target: 'ofac-sdn:name:ISLAMIC REVOLUTIONARY GUARD CORPS',
            note: 'Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS',
          },
        ]);
      },
    },
    {
      name: 'BEL-KAP-STEEL (44525): establishment year, two-part issuers',
      text: BEL_KAP_STEEL,
      check: (f) => {
        assert.deepEqual(f.dates, [{ kind: 'incorporation', value: '1998' }]);
        assert.deepEqual(f.identifiers, [
          { type: 'tax_id', value: '52-2083095', issuer: 'United States' },
          { type: 'registration', value: '0582030', issuer: 'Connecticut, United States' },
          { type: 'registration', value: 'M99000000961', issuer: 'Florida, United States' },
        ]);
        assert.equal(f.relations.length, 1);
        assert.equal(
          f.relations[0]?.target,
          'ofac-sdn:name:OPEN JOINT STOCK COMPANY BYELORUSSIAN STEEL WORKS MANAGEMENT COMPANY OF HOLDING BYELORUSSIAN METALLURGICAL COMPANY',
        );
      },
    },
    {
      name: 'KHOROSHEV (48603): nationality and citizenship, POB mapped to a country',
      text: KHOROSHEV,
      check: (f) => {
        assert.deepEqual(f.countries, [
          { country: 'RU', role: 'birth' },
          { country: 'RU', role: 'nationality' },
          { country: 'RU', role: 'citizenship' },
        ]);
        assert.deepEqual(
          f.identifiers.filter((i) => i.type === 'passport').map((i) => i.value),
          ['2018278055', '2006801524'],
        );
        assert.ok(f.identifiers.some((i) => i.type === 'tax_id' && i.value === '366110340670'));
        assert.deepEqual(f.names, [{ value: 'LOCKBITSUPP', kind: 'weak_alias' }]);
      },
    },
    {
      name: 'GADDAFI FOUNDATION (12685): website, e-mail, phones and faxes',
      text: GADDAFI_FOUNDATION,
      check: (f) => {
        assert.deepEqual(
          f.identifiers.map((i) => `${i.type} ${i.value}${i.issuer ? ` (${i.issuer})` : ''}`),
          [
            'website www.gicdf.org',
            'email info@gicdf.org',
            'registration CH-660.0.699.004-7 (Switzerland)',
            'phone (218) (0)214778301',
            'phone (022) 7363030',
            'fax (218) (0)214778766',
            'fax (022) 7363196',
          ],
        );
      },
    },
    {
      name: 'IRIS MAKRAN (40716): vessel IMO number',
      text: IRIS_MAKRAN,
      check: (f) => {
        assert.deepEqual(f.identifiers, [{ type: 'imo', value: '9486910' }]);
        assert.deepEqual(f.names, [{ value: 'MAKRAN', kind: 'weak_alias' }]);
      },
    },
    {
      name: 'P-532 (20540): aircraft details are not identifiers',
      text: P_532,
      check: (f) => {
        assert.deepEqual(f.identifiers, []);
        assert.deepEqual(f.dates, []);
      },
    },
    {
      name: 'DIALOG REGIONS (50544): websites, date of establishment, several a.k.a.s',
      text: DIALOG_REGIONS,
      check: (f) => {
        assert.deepEqual(f.dates, [{ kind: 'incorporation', value: '2020-07-21' }]);
        assert.deepEqual(
          f.identifiers.filter((i) => i.type === 'website').map((i) => i.value),
          ['www.dialog.info', 'www.dialog-regions.ru'],
        );
        assert.equal(f.names.length, 3);
        assert.equal(f.relations[0]?.target, 'ofac-sdn:name:AUTONOMOUS NON-PROFIT ORGANIZATION DIALOG');
      },
    },
  ];
  for (const c of cases) it(c.name, () => c.check(parseRemarks(c.text)));
});

describe('remarks cut at 1,000 characters', () => {
  it('recognises a cut text by its missing closing period', () => {
    assert.equal(looksCut(LAZARUS_2024), true);
    assert.equal(looksCut(LAZARUS_2024 + LAZARUS_OVERFLOW), false);
    assert.equal(looksCut(LIFSHITS), false);
  });

  it('ignores the incomplete last item of a cut text instead of keeping half a value', () => {
    const f = parseRemarks(LAZARUS_2024, { cut: true });
    assert.equal(f.cryptoAddresses.length, 8);
    assert.ok(!f.names.some((n) => n.value.startsWith('WHOIS')));
    assert.equal(f.names.length, 4);
    // SUEX OTC (33151) in the 2024 file ends with half a bitcoin address.
    const suex = parseRemarks(
      'Website suex.io; Digital Currency Address - XBT 12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx; alt. Digital Currency Address - XBT 1B64QRxf',
      { cut: true },
    );
    assert.deepEqual(suex.cryptoAddresses, [
      { currency: 'XBT', address: '12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx' },
    ]);
  });
});

describe('remark items', () => {
  it('keeps a company abbreviation that ends a Linked To name, drops the closing period otherwise', () => {
    const f = parseRemarks('Linked To: SAGAX INVESTMENT GROUP LTD.; Linked To: HIZBALLAH.');
    assert.deepEqual(
      f.relations.map((r) => r.target),
      ['ofac-sdn:name:SAGAX INVESTMENT GROUP LTD.', 'ofac-sdn:name:HIZBALLAH'],
    );
  });

  it('reads aliases with apostrophes inside the quotes, and f.k.a. as a weak name', () => {
    const f = parseRemarks("a.k.a. 'ABU 'ABD AL-RAHMAN'; f.k.a. 'TARHUNA 7TH BRIGADE'.");
    assert.deepEqual(f.names, [
      { value: "ABU 'ABD AL-RAHMAN", kind: 'weak_alias' },
      { value: 'TARHUNA 7TH BRIGADE', kind: 'weak_alias' },
    ]);
  });

  it('reads identifiers with spaces, label variants and unknown labels', () => {
    const f = parseRemarks(
      'V.A.T. Number BG 121024920 (Bulgaria); Company Number IMO 5055293; SWIFT/BIC HAVIGB2L; Legal Entity Number 253400V1H6ART1UQ0N98 (Russia); Pilot License Number PL00825 (Barbados); Temple Permit 123-45 (Nepal); National ID No. CNIC: 35202-5400413-9 (Pakistan).',
    );
    assert.deepEqual(f.identifiers, [
      { type: 'vat', value: 'BG 121024920', issuer: 'Bulgaria' },
      { type: 'imo_company', value: '5055293' },
      { type: 'swift', value: 'HAVIGB2L' },
      { type: 'lei', value: '253400V1H6ART1UQ0N98', issuer: 'Russia' },
      { type: 'pilot_license', value: 'PL00825', issuer: 'Barbados' },
      { type: 'temple_permit', value: '123-45', issuer: 'Nepal' },
      { type: 'national_id', value: 'CNIC: 35202-5400413-9', issuer: 'Pakistan' },
    ]);
  });

  it('does not read prose with numbers as identifiers', () => {
    const f = parseRemarks(
      'Executive Order 13662 Directive Determination - Subject to Directive 1; Listing Date (EO 14024 Directive 2): 24 Feb 2022; President since 1979; Commander of FDLR 1st Division; Vessel Year of Build 1999; arrested 23 Apr 2002; CAATSA Section 235 Information: EXPORT SANCTIONS Sec. 235(a)(2).',
    );
    assert.deepEqual(f.identifiers, []);
    assert.deepEqual(f.dates, []);
  });

  it('reads Gender, Nationality of Registration and the digital currency codes as given', () => {
    const f = parseRemarks(
      'Gender Female; Nationality of Registration Korea, North; Digital Currency Address - USDT TFdTr9C9BqQrzKBXqSxJfAZFTh9UwBAfSg.',
    );
    assert.equal(f.gender, 'female');
    assert.deepEqual(f.countries, [{ country: 'KP', role: 'registration' }]);
    assert.deepEqual(f.cryptoAddresses, [
      { currency: 'USDT', address: 'TFdTr9C9BqQrzKBXqSxJfAZFTh9UwBAfSg' },
    ]);
  });

  it('keeps the raw remarks on the entity and does not duplicate facts already there', () => {
    const e = emptyEntity('ofac-sdn', '1', 'person');
    e.names.push({ value: 'BURTON BURGESS', kind: 'strong_alias' });
    applyRemarks(e, LOGAN_MOREY);
    assert.equal(e.remarks, LOGAN_MOREY);
    assert.deepEqual(e.names, [{ value: 'BURTON BURGESS', kind: 'strong_alias' }]);
    applyRemarks(e, LOGAN_MOREY);
    assert.equal(e.identifiers.length, 2);
  });
});

describe('applyLabelled (sdn.xml idList and advanced features)', () => {
  it('maps labelled values as the structured formats give them', () => {
    const e = emptyEntity('ofac-sdn', '1', 'vessel');
    assert.equal(applyLabelled(e, 'Vessel Registration Identification', 'IMO 9339301'), true);
    assert.equal(
      applyLabelled(e, 'Digital Currency Address - ETH', '0x2f389ce8bd8ff92de3402ffce4691d17fc4f6535'),
      true,
    );
    assert.equal(applyLabelled(e, 'Passport', '2018278055', { issuer: 'Russia' }), true);
    assert.equal(applyLabelled(e, 'Organization Established Date', '25 Sep 2018'), true);
    assert.equal(
      applyLabelled(e, 'Secondary sanctions risk:', 'Ukraine-/Russia-Related Sanctions Regulations'),
      false,
    );
    assert.equal(applyLabelled(e, 'Some Future Feature', 'X1'), false);
    assert.equal(applyLabelled(e, 'Some Future Document', 'X1', { document: true }), true);
    assert.deepEqual(e.identifiers, [
      { type: 'imo', value: '9339301' },
      { type: 'passport', value: '2018278055', issuer: 'Russia' },
      { type: 'some_future_document', value: 'X1' },
    ]);
    assert.deepEqual(e.cryptoAddresses, [
      { currency: 'ETH', address: '0x2f389ce8bd8ff92de3402ffce4691d17fc4f6535' },
    ]);
    assert.deepEqual(e.dates, [{ kind: 'incorporation', value: '2018-09-25' }]);
  });
});

describe('parseOfacDate', () => {
  const cases: Array<[string, ReturnType<typeof parseOfacDate>]> = [
    ['12 Jan 1970', { value: '1970-01-12' }],
    ['01 Dec 1992.', { value: '1992-12-01' }],
    ['Jan 1970', { value: '1970-01' }],
    ['1970', { value: '1970' }],
    ['circa 1970', { value: '1970', note: 'circa 1970' }],
    ['circa 12 Jan 1970', { value: '1970-01-12', note: 'circa 12 Jan 1970' }],
    ['1960 to 1965', { value: '1960', note: '1960 to 1965' }],
    ['01 Jan 1960 to 31 Dec 1965', { value: '1960-01-01', note: '01 Jan 1960 to 31 Dec 1965' }],
    ['Jan 1960 to Mar 1961', { value: '1960-01', note: 'Jan 1960 to Mar 1961' }],
    ['circa 1970-1972', { value: '1970', note: 'circa 1970-1972' }],
    ['1970-01-12', { value: '1970-01-12' }],
    ['sometime', undefined],
    ['32 Jan 1970', undefined],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => assert.deepEqual(parseOfacDate(text), expected));
  }
});

describe('countryCode', () => {
  const cases: Array<[string, string]> = [
    ['Russia', 'RU'],
    ['Korea, North', 'KP'],
    ['Burma', 'MM'],
    ['Congo, Democratic Republic of the', 'CD'],
    ['Cote d Ivoire', 'CI'],
    ['Man, Isle of', 'IM'],
    ['Virgin Islands, British', 'VG'],
    ['Kosovo', 'XK'],
    ['United Kingdom.', 'GB'],
    ['undetermined', 'undetermined'],
    ['Region: Crimea', 'Region: Crimea'],
  ];
  for (const [name, code] of cases) it(`${name} → ${code}`, () => assert.equal(countryCode(name), code));
});
