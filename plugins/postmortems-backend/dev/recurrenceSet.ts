/*
 * A labelled set for recurrence: post-mortems of a few services over half a
 * year, each with its root cause as its authors wrote it and the day its
 * action items were all done (or not). Each is labelled with the earlier
 * post-mortems a reliability lead would call it a recurrence of: the same
 * kind of cause came back on the same service after the earlier action
 * items were all done. Same cause on another service, another cause on the
 * same service, and a cause that came back before its items were done are
 * not. Synthetic, written for this evaluation.
 */

/** A post-mortem of the set. */
export interface RecurrenceCase {
  id: string;
  service: string;
  /** Days after the start of the set when the incident began. */
  day: number;
  rootCause: string;
  /** The day its action items were all done; undefined while one is open. */
  itemsDoneDay?: number;
  /** The earlier post-mortems this one is a recurrence of. */
  recurrenceOf: string[];
}

export const recurrenceCases: RecurrenceCase[] = [
  {
    id: 'R1',
    service: 'payments-api',
    day: 10,
    rootCause:
      'The TLS certificate of the card network connection expired. Its renewal job had failed silently for a month. Certificate expiry was not monitored.',
    itemsDoneDay: 20,
    recurrenceOf: [],
  },
  {
    id: 'R2',
    service: 'payments-api',
    day: 60,
    rootCause:
      'The client certificate for the card processor expired again. The renewal job ran, but the service kept the old certificate until it restarted. The expiry alert watched the wrong certificate.',
    itemsDoneDay: 70,
    recurrenceOf: ['R1'],
  },
  {
    id: 'R3',
    service: 'payments-api',
    day: 90,
    rootCause:
      'The deploy of payments-api 5.2.0 introduced a regression in retry handling. The bug doubled requests to the processor. The release skipped the canary stage.',
    itemsDoneDay: 100,
    recurrenceOf: [],
  },
  {
    id: 'R4',
    service: 'payments-api',
    day: 140,
    rootCause:
      'Release 5.4.1 shipped a regression in currency rounding. The bug passed review because no test covered it. The deploy went straight to all pods.',
    recurrenceOf: ['R3'],
  },
  {
    id: 'S1',
    service: 'search-api',
    day: 15,
    rootCause:
      'An index template change dropped the analyzer setting. The configuration change was not validated before the rebuild. The template had moved between repositories.',
    itemsDoneDay: 30,
    recurrenceOf: [],
  },
  {
    id: 'S2',
    service: 'search-api',
    day: 80,
    rootCause:
      'The shard count setting was lost when the index template configuration moved to the new config repository. The template was not validated before the rebuild.',
    itemsDoneDay: 95,
    recurrenceOf: ['S1'],
  },
  {
    id: 'S3',
    service: 'search-api',
    day: 120,
    rootCause:
      'Search nodes ran out of memory under a traffic spike. The cluster had no capacity headroom. Autoscaling was capped at six nodes.',
    recurrenceOf: [],
  },
  {
    id: 'A1',
    service: 'auth-service',
    day: 20,
    rootCause:
      'The session store connection pool was exhausted during a login spike. Its size had not been raised when traffic doubled.',
    itemsDoneDay: 35,
    recurrenceOf: [],
  },
  {
    id: 'A2',
    service: 'auth-service',
    day: 70,
    rootCause:
      'Login latency rose when the session store pool was exhausted again under peak load. Capacity planning did not include the traffic of the new mobile app.',
    recurrenceOf: ['A1'],
  },
  {
    id: 'A3',
    service: 'auth-service',
    day: 100,
    rootCause:
      'An expired signing key broke token validation. Key rotation was a manual step nobody owned. The key expiry date was not tracked.',
    recurrenceOf: [],
  },
  {
    id: 'M1',
    service: 'mailer',
    day: 25,
    rootCause:
      'The e-mail provider had an outage. Our third-party dependency had no fallback provider, and the vendor status page was not watched.',
    recurrenceOf: [],
  },
  {
    id: 'M2',
    service: 'mailer',
    day: 75,
    rootCause:
      'The e-mail provider failed again and mail queued for hours. The dependency still had no fallback provider.',
    // The same cause, but M1's action items were not done: not the kind of
    // recurrence that asks whether they were enough.
    recurrenceOf: [],
  },
  {
    id: 'C1',
    service: 'checkout-web',
    day: 30,
    rootCause:
      'A CDN configuration change cached error pages. The cache rule setting applied to 5xx responses as well.',
    itemsDoneDay: 40,
    recurrenceOf: [],
  },
  {
    id: 'C2',
    service: 'checkout-web',
    day: 95,
    rootCause:
      'A deploy of checkout-web broke the payment button. The bug was in new frontend code that the release tests did not cover.',
    itemsDoneDay: 105,
    recurrenceOf: [],
  },
  {
    id: 'C3',
    service: 'checkout-web',
    day: 150,
    rootCause:
      'The CDN cache rules were changed again by a configuration push and cached a broken page. The settings change was not reviewed.',
    recurrenceOf: ['C1'],
  },
  {
    id: 'L1',
    service: 'ledger',
    day: 40,
    rootCause:
      'A long-running migration locked the ledger table. The schema change ran during business hours.',
    itemsDoneDay: 50,
    recurrenceOf: [],
  },
  {
    id: 'L2',
    service: 'ledger',
    day: 110,
    rootCause:
      'A data backfill held a table lock on the ledger and writes queued. The migration tool did not work in batches.',
    recurrenceOf: ['L1'],
  },
  {
    id: 'L3',
    service: 'ledger',
    day: 130,
    rootCause:
      'The ledger database host lost its disk. The replica ran in the same availability zone.',
    recurrenceOf: [],
  },
  // Harder: other words for the same cause, two causes in one sentence, a
  // cause described with another kind's vocabulary.
  {
    id: 'R5',
    service: 'payments-api',
    day: 170,
    rootCause:
      "Card payments failed because the gateway's cert lapsed over the weekend; nobody got paged about the approaching date.",
    recurrenceOf: ['R1', 'R2'],
  },
  {
    id: 'S4',
    service: 'search-api',
    day: 160,
    rootCause:
      'A template configuration change and a traffic spike together overloaded search: the new setting disabled the query cache, and load doubled.',
    recurrenceOf: ['S1', 'S2'],
  },
  {
    id: 'A4',
    service: 'auth-service',
    day: 160,
    rootCause:
      "A deploy changed the session store client's pool settings; the release notes did not mention it. Logins failed under normal load.",
    // A change, not a lack of capacity: no recurrence of A1.
    recurrenceOf: [],
  },
];
