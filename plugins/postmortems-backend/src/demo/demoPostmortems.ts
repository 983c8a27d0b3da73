/**
 * Post-mortems the demo starts with: one written, reviewed and published
 * before the other demo incidents happened, its cause filed and its action
 * items done. It gives a fresh portal a finished post-mortem to read and to
 * find through Search, a related post-mortem beside INC-3's draft (the same
 * search service), and a recurrence once INC-3's cause is filed the same way.
 */
export interface DemoPostmortem {
  incidentNumber: number;
  author: string;
  publishedAt: string;
  /** Cause categories of the Standard template. */
  causes: string[];
  /** The document, one `##` heading per section of the Standard template. */
  markdown: string;
  actionItems: Array<{
    description: string;
    owner: string;
    dueDate: string;
    category: string;
    /** When it was done; before INC-3 began. */
    doneAt: string;
  }>;
}

export const demoPostmortems: DemoPostmortem[] = [
  {
    incidentNumber: 6,
    author: 'user:default/frank.li',
    publishedAt: '2026-08-21T15:00:00Z',
    causes: ['configuration'],
    markdown: `# INC-6: New products missing from search after an index template change

## Summary

For about two and a half hours on 2026-08-18, products added that morning could not be found by name in storefront search: zero-result searches rose from 3% to 11%. A change to the product index template had split it into a shared base and a products part, and the name analyzer was left behind in the base. The morning rebuild indexed product names without it. Restoring the analyzer in the products template and rebuilding the index ended the impact.

## Timeline

| Time (UTC) | Event |
| --- | --- |
| 2026-08-18 09:40 | search-service 3.8.0 splits the index template; the rebuild runs |
| 10:03 | SearchZeroResultsRateHigh fires |
| 10:05 | Incident declared by Carla Mendes |
| 10:11 | Frank Li takes command and acknowledges |
| 10:31 | The missing analyzer reference is found |
| 11:02 | search-service 3.8.1 restores it; the rebuild starts |
| 12:31 | Rebuild done; zero-result rate back to 3% |
| 12:40 | Resolved |

## Root cause

The product index template was split into a shared base template and a products template in search-service 3.8.0. The custom name analyzer stayed defined in the base file, and nothing checked that the products template still referenced it. Elasticsearch accepted the template and fell back to the default analyzer, so the rebuild succeeded while indexing names in a way searches could not match.

## Contributing factors

- Template changes are reviewed as configuration, without a test that indexes and searches a sample of products.
- The rebuild deletes the previous index once the alias moves, so there was no index to swap back to.

## Action items

See the action items below: a CI check that indexes and searches sample products with the template, and keeping the previous index for a day after each rebuild.

## Detection

SearchZeroResultsRateHigh fired at 10:03, 23 minutes after the rebuild; support reports arrived at the same time.

## Resolution

search-service 3.8.1 referenced the analyzer again at 11:02 and a full rebuild restored search by name at 12:31.
`,
    actionItems: [
      {
        description:
          'Index and search a sample of products with the template in CI before it can be deployed',
        owner: 'user:default/erin.walsh',
        dueDate: '2026-09-01',
        category: 'prevention',
        doneAt: '2026-08-28T14:20:00Z',
      },
      {
        description:
          'Keep the previous product index for 24 hours after each rebuild so the alias can be swapped back',
        owner: 'user:default/frank.li',
        dueDate: '2026-09-08',
        category: 'mitigation',
        doneAt: '2026-09-04T09:10:00Z',
      },
    ],
  },
];
