/*
 * A labelled set for "related post-mortems": a small catalog (services,
 * their dependencies and systems), published post-mortems of its services
 * and of services it does not know, and new incidents being written up, each
 * labelled with the post-mortems a reader would want beside the draft: those
 * of the same service, of a service it depends on or that depends on it, of
 * the same system, and those of the same cause whatever the service.
 * Synthetic, written for this evaluation.
 */

/** A component of the catalog: what it depends on and the system it is part of. */
export interface CatalogComponent {
  name: string;
  dependsOn?: string[];
  system?: string;
}

export const relatedCatalog: CatalogComponent[] = [
  {
    name: 'payments-api',
    dependsOn: ['card-gateway', 'ledger'],
    system: 'payments',
  },
  { name: 'card-gateway', system: 'payments' },
  { name: 'ledger', system: 'payments' },
  { name: 'search-api', dependsOn: ['indexer'], system: 'search' },
  { name: 'indexer', system: 'search' },
  { name: 'auth-service', dependsOn: ['session-store'], system: 'identity' },
  { name: 'session-store', system: 'identity' },
  { name: 'mailer' },
  {
    name: 'checkout-web',
    dependsOn: ['payments-api', 'auth-service'],
    system: 'storefront',
  },
];

/** A published post-mortem: its incident's services and its cause. */
export interface LabelledPostmortem {
  id: string;
  services: string[];
  rootCause: string;
  contributingFactors?: string;
}

export const relatedCorpus: LabelledPostmortem[] = [
  {
    id: 'P1',
    services: ['payments-api'],
    rootCause:
      'The TLS certificate of the connection to the card network expired. Its renewal cron job had failed silently for a month.',
    contributingFactors: 'Certificate expiry dates were not monitored.',
  },
  {
    id: 'P2',
    services: ['payments-api'],
    rootCause:
      'A migration added a slow query that held database connections; the connection pool was exhausted and requests queued.',
  },
  {
    id: 'P3',
    services: ['card-gateway'],
    rootCause:
      'The card processor rate limited us after a retry storm: clients retried immediately, without backoff.',
  },
  {
    id: 'P4',
    services: ['ledger'],
    rootCause:
      'A manual vacuum locked the ledger table and writes were delayed for twenty minutes.',
  },
  {
    id: 'P5',
    services: ['search-api'],
    rootCause:
      'The certificate of the search cluster expired because the renewal job had been failing.',
    contributingFactors: 'Nobody was alerted about the expiry.',
  },
  {
    id: 'P6',
    services: ['indexer'],
    rootCause:
      'The indexer disks filled up after debug logging was left enabled.',
  },
  {
    id: 'P7',
    services: ['auth-service'],
    rootCause:
      'A signing key rotation was misconfigured and tokens signed with the new key were rejected.',
  },
  {
    id: 'P8',
    services: ['session-store'],
    rootCause:
      'Redis evicted session keys under memory pressure after the maxmemory setting was lowered.',
  },
  {
    id: 'P9',
    services: ['mailer'],
    rootCause:
      'DNS lookups from the mail workers timed out because the resolver was overloaded.',
  },
  {
    id: 'P10',
    services: ['checkout-web'],
    rootCause:
      'The CDN kept serving a JavaScript bundle with a syntax error from its cache after the fix was deployed.',
  },
  {
    id: 'P11',
    services: ['reporting'],
    rootCause:
      'The client certificate used by reporting to reach the warehouse expired; the renewal automation was not monitored.',
  },
  {
    id: 'P12',
    services: ['search-api'],
    rootCause:
      'A query with a regular expression that backtracks catastrophically pinned every search node at full CPU.',
  },
  {
    id: 'P13',
    services: ['indexer'],
    rootCause:
      'A slow query held database connections and exhausted the connection pool of the indexer.',
  },
  {
    id: 'P14',
    services: ['billing-batch'],
    rootCause:
      'After a short partner outage, a retry storm without backoff overloaded the partner API.',
  },
  {
    id: 'P15',
    services: ['session-store'],
    rootCause:
      'Failover took twelve minutes because the sentinel quorum was misconfigured.',
  },
  {
    id: 'P16',
    services: ['auth-service'],
    rootCause:
      'The SAML signing certificate of the identity provider expired and logins failed.',
  },
  {
    id: 'P17',
    services: ['push-worker'],
    rootCause:
      'Clients retried at once without jitter or backoff; the retry storm overloaded the push gateway.',
  },
  {
    id: 'P18',
    services: ['orders-api'],
    rootCause:
      'Database connection pool starvation: a long-running query held connections until the pool was exhausted.',
  },
  {
    id: 'P19',
    services: ['webhooks'],
    rootCause:
      'Outgoing webhooks were delayed by slow DNS lookups from an overloaded resolver.',
  },
  {
    id: 'P20',
    services: ['api-gateway'],
    rootCause:
      'Upstream calls timed out when the internal DNS resolver stopped answering lookups.',
  },
  {
    id: 'P21',
    services: ['ci-runners'],
    rootCause:
      'Runner disks filled up with logs because debug logging stayed enabled after an investigation.',
  },
  {
    id: 'P22',
    services: ['analytics'],
    rootCause:
      'The volume of debug logging filled the disks of the log collector.',
  },
  // Words in common with some incidents below, causes not.
  {
    id: 'P23',
    services: ['job-scheduler'],
    rootCause:
      'A storm of jobs scheduled for midnight started at once and overloaded the database.',
  },
  {
    id: 'P24',
    services: ['dns-admin'],
    rootCause:
      'A validation bug in the DNS records editor rejected valid entries.',
  },
  {
    id: 'P25',
    services: ['docs-site'],
    rootCause:
      'The certificate download page linked to a file that had been removed.',
  },
];

/** An incident being written up, and the post-mortems that are related to it. */
export interface RelatedQuery {
  id: string;
  services: string[];
  rootCause: string;
  relevant: string[];
}

export const relatedQueries: RelatedQuery[] = [
  {
    id: 'Q1 payments-api, expired certificate',
    services: ['payments-api'],
    rootCause:
      'The certificate for the card network connection expired; its renewal had failed.',
    relevant: ['P1', 'P2', 'P3', 'P4', 'P5', 'P11', 'P16'],
  },
  {
    id: 'Q2 unknown service, expired certificate',
    services: ['warehouse-sync'],
    rootCause:
      'The TLS certificate of the warehouse connection expired because the renewal job had been failing unnoticed.',
    relevant: ['P1', 'P5', 'P11', 'P16'],
  },
  {
    id: 'Q3 unknown service, retry storm',
    services: ['inventory-client'],
    rootCause:
      'A retry storm without exponential backoff overloaded the inventory API after a brief outage.',
    relevant: ['P3', 'P14', 'P17'],
  },
  {
    id: 'Q4 unknown service, connection pool',
    services: ['reports-db'],
    rootCause:
      'Connection pool exhausted: a slow query held database connections during the nightly migration.',
    relevant: ['P2', 'P13', 'P18'],
  },
  {
    id: 'Q5 search-api, regex CPU',
    services: ['search-api'],
    rootCause:
      'A regular expression with catastrophic backtracking exhausted the CPU of the search nodes.',
    relevant: ['P5', 'P12', 'P6', 'P13'],
  },
  {
    id: 'Q6 session-store, evictions',
    services: ['session-store'],
    rootCause:
      'Redis evicted keys under memory pressure after the eviction policy changed.',
    relevant: ['P8', 'P15', 'P7', 'P16'],
  },
  {
    id: 'Q7 mailer, DNS',
    services: ['mailer'],
    rootCause:
      'DNS lookups timed out because the internal resolver was overloaded.',
    relevant: ['P9', 'P19', 'P20'],
  },
  {
    id: 'Q8 checkout-web, CDN cache',
    services: ['checkout-web'],
    rootCause:
      'A stale CDN cache served a broken JavaScript bundle after the deploy.',
    relevant: ['P10', 'P1', 'P2', 'P7', 'P16'],
  },
  {
    id: 'Q9 unknown service, debug logs',
    services: ['billing-api'],
    rootCause:
      'The batch hosts ran out of disk after verbose debug logging was left enabled.',
    relevant: ['P6', 'P21', 'P22'],
  },
  {
    id: 'Q10 ledger, table lock',
    services: ['ledger'],
    rootCause:
      'An index rebuild locked the ledger table during business hours.',
    relevant: ['P4', 'P1', 'P2', 'P3'],
  },
];
