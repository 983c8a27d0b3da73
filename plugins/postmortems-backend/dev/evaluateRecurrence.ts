import { DEFAULT_CAUSE_CATEGORIES } from '@postmortems-oss/backstage-plugin-postmortems-common';
import knexFactory, { Knex } from 'knex';
import { ActionItemStore } from '../src/database/ActionItemStore';
import { IncidentStore } from '../src/database/IncidentStore';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { PostmortemStore } from '../src/database/PostmortemStore';
import { CauseStore } from '../src/recurrence/CauseStore';
import { suggestCauses } from '../src/recurrence/causeSuggestions';
import { RecurrenceStore } from '../src/recurrence/RecurrenceStore';
import { RecurrenceCase, recurrenceCases } from './recurrenceSet';

const DAY_MS = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-01-01T00:00:00Z');
const at = (day: number) => new Date(START + day * DAY_MS).toISOString();
const serviceRef = (name: string) => `component:default/${name}`;

export interface RecurrenceScore {
  rows: string[][];
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/**
 * The recurrence detector end to end on the labelled set, in the embedded
 * database (SQLite in memory, the real migrations and stores): each
 * post-mortem is filed under the categories its root cause suggests (what an
 * author who accepts the suggestions files), its action item done on its
 * day or left open, and the detector's candidates are compared with the
 * labels.
 */
export async function scoreRecurrence(): Promise<RecurrenceScore> {
  const db: Knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  try {
    await applyDatabaseMigrations(db);
    const subjects = new Map<
      string,
      { postmortemId: string; incidentId: string; categories: string[] }
    >();
    const idOf = new Map<string, string>();
    for (const c of recurrenceCases) {
      const filed = await file(db, c);
      subjects.set(c.id, filed);
      idOf.set(filed.postmortemId, c.id);
    }

    const store = new RecurrenceStore(db);
    const rows = [['post-mortem', 'filed as', 'found', 'labelled']];
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    for (const c of recurrenceCases) {
      const subject = subjects.get(c.id)!;
      const found = (
        await store.candidates({
          ...subject,
          triggeredAt: at(c.day),
          services: [serviceRef(c.service)],
        })
      ).map(candidate => idOf.get(candidate.earlierPostmortemId)!);
      const hits = found.filter(id => c.recurrenceOf.includes(id));
      truePositives += hits.length;
      falsePositives += found.length - hits.length;
      falseNegatives += c.recurrenceOf.filter(id => !found.includes(id)).length;
      rows.push([
        c.id,
        subject.categories.join(', ') || '-',
        found
          .map(id => (c.recurrenceOf.includes(id) ? id : `${id}(x)`))
          .join(' ') || '-',
        c.recurrenceOf.join(' ') || '-',
      ]);
    }
    return { rows, truePositives, falsePositives, falseNegatives };
  } finally {
    await db.destroy();
  }
}

/** One case as its authors left it: incident, post-mortem, causes, an action item. */
async function file(db: Knex, c: RecurrenceCase) {
  const incident = await new IncidentStore(db).create({
    title: `${c.id} on ${c.service}`,
    severity: 'high',
    status: 'resolved',
    services: [serviceRef(c.service)],
    triggeredAt: at(c.day),
    resolvedAt: at(c.day + 0.1),
  });
  const sections = [
    { key: 'root_cause', title: 'Root cause', markdown: c.rootCause },
  ];
  const postmortem = await new PostmortemStore(db).create(
    {
      incidentId: incident.id,
      content: `## Root cause\n\n${c.rootCause}`,
      sections,
      templateId: null,
      templateName: null,
      generatedBy: 'manual',
      generatedAt: null,
      createdBy: null,
    },
    { kind: 'human', reason: 'create', author: null },
  );
  await new ActionItemStore(db).create({
    postmortemId: postmortem.id,
    incidentId: incident.id,
    description: `Prevent ${c.id} from happening again`,
    status: c.itemsDoneDay === undefined ? 'open' : 'done',
    doneAt: c.itemsDoneDay === undefined ? undefined : at(c.itemsDoneDay),
  });
  const categories = suggestCauses(sections, [...DEFAULT_CAUSE_CATEGORIES]);
  await new CauseStore(db).replace(postmortem.id, categories);
  return { postmortemId: postmortem.id, incidentId: incident.id, categories };
}
