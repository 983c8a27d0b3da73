/**
 * Demo incidents of "Acme", a fictional online shop, kept as import documents
 * in `incidents/*.json` (the body of `POST /v1/incidents/import`). They are
 * loaded on first start when `postmortems.demoData` is set, so that a fresh
 * portal has incidents, timelines and alerts to write post-mortems from.
 *
 * - INC-1: critical, resolved. A payments-service deploy broke TLS to the card processor.
 * - INC-2: high, resolved, crosses midnight UTC. A batch job exhausted the orders-db pool.
 * - INC-3: medium, resolved. Search got slow after the weekly product index rebuild.
 * - INC-4: low, canceled. A false alarm on notification-service.
 * - INC-5: high, still acknowledged. Login errors on auth-service, under investigation.
 * - INC-6: medium, resolved, in August, before the others. An index template
 *   change dropped the name analyzer. Its post-mortem is published, filed under
 *   `configuration`, with its action items done (demoPostmortems.ts): INC-3
 *   shows what a recurrence looks like once its cause is filed the same way.
 *
 * The chat messages deliberately contain a few things a post-mortem generator
 * must not copy as they are: an internal IP address, an e-mail address, a
 * pasted bearer token and an attempt at prompt injection.
 */
import {
  IncidentImportDocument,
  incidentImportBodySchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import inc1 from './incidents/inc-1.json';
import inc2 from './incidents/inc-2.json';
import inc3 from './incidents/inc-3.json';
import inc4 from './incidents/inc-4.json';
import inc5 from './incidents/inc-5.json';
import inc6 from './incidents/inc-6.json';

/**
 * Each document is checked against the import schema when the module loads,
 * so a fixture that drifts from the API fails at once, naming its field.
 */
function validated(name: string, document: unknown): IncidentImportDocument {
  const result = incidentImportBodySchema.safeParse(document);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `Demo incident ${name} is not a valid import document: ${issue.path.join(
        '.',
      )}: ${issue.message}`,
    );
  }
  // The parsed value has defaults filled in; the document as written is what
  // an API client would send, and what the import route parses again.
  return document as IncidentImportDocument;
}

/** @public */
export const demoIncidents: IncidentImportDocument[] = [
  validated('inc-1.json', inc1),
  validated('inc-2.json', inc2),
  validated('inc-3.json', inc3),
  validated('inc-4.json', inc4),
  validated('inc-5.json', inc5),
  validated('inc-6.json', inc6),
];
