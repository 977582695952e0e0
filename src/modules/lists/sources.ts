/** Where `cordon lists update` fetches a source from, and in which format. */
export interface ListSourceConfig {
  source: string;
  format: string;
  urls: string[];
}

/**
 * The publishers' official download addresses. Override them with `CORDON_LIST_SOURCES` (a JSON
 * array of `{source, format, urls}`), e.g. to use a mirror or a local copy.
 */
export const DEFAULT_LIST_SOURCES: readonly ListSourceConfig[] = [
  {
    source: 'ofac-sdn',
    format: 'ofac-csv',
    urls: ['SDN.CSV', 'ADD.CSV', 'ALT.CSV', 'SDN_COMMENTS.CSV'].map(
      (f) => `https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/${f}`,
    ),
  },
  {
    source: 'un-sc',
    format: 'un-xml',
    urls: ['https://scsanctions.un.org/resources/xml/en/consolidated.xml'],
  },
  {
    source: 'uk-sanctions',
    format: 'uk-xml',
    urls: ['https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml'],
  },
  {
    source: 'eu-fsf',
    format: 'eu-xml',
    urls: [
      'https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw',
    ],
  },
];
