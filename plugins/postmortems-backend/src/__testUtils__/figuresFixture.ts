import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { TimelineKeyMoment } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ActionItemStore } from '../database/ActionItemStore';
import { IncidentStore } from '../database/IncidentStore';
import { PostmortemStore } from '../database/PostmortemStore';
import { TimelineCurationStore } from '../database/TimelineCurationStore';
import { storedPostmortem } from './storeFixtures';

const MINUTE = 60_000;

export const CHECKOUT = 'component:default/checkout-api';
export const BILLING = 'component:default/billing';
export const SEARCH = 'component:default/search-api';
/** A service the catalog does not know. */
export const LEGACY = 'component:default/legacy-batch';
export const PAYMENTS = 'group:default/payments';
export const SEARCH_TEAM = 'group:default/search';

/** The period the fixture's incidents fall in: January and February 2026. */
export const FIXTURE_PERIOD = {
  from: new Date('2026-01-01T00:00:00Z'),
  to: new Date('2026-02-28T23:59:59Z'),
};

/** Who owns what, as the catalog would answer for the fixture's services. */
export const FIXTURE_OWNERS = [
  { service: CHECKOUT, team: PAYMENTS },
  { service: BILLING, team: PAYMENTS },
  { service: SEARCH, team: SEARCH_TEAM },
];

/**
 * The fixture's services and teams as catalog entities: services titled or
 * not, a team with a display name and one without.
 */
export function fixtureEntities(): Entity[] {
  const component = (name: string, owner: string, title?: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', ...(title ? { title } : {}) },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  });
  const group = (name: string, displayName?: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'team',
      children: [],
      ...(displayName ? { profile: { displayName } } : {}),
    },
  });
  return [
    component('checkout-api', PAYMENTS, 'Checkout API'),
    component('billing', PAYMENTS),
    component('search-api', SEARCH_TEAM, 'Search API'),
    group('payments', 'Payments team'),
    group('search'),
  ];
}

/**
 * Incidents over two months and three known services (two owned by one
 * team), one unknown service and one incident without a service, with key
 * moments, post-mortems and action items:
 *
 * - A, 10 Jan, checkout + billing: resolved after 60 min, detected marked at
 *   10 min, acknowledged marked at 20 min; published; items done, done,
 *   open, and an AI proposal nobody accepted.
 * - B, 31 Jan 23:30 UTC, checkout: resolved after 120 min, acknowledged (its
 *   own time) at 30 min; a draft; one open item.
 * - C, 5 Feb, search: resolved after 30 min, detected marked at 5 min;
 *   published; one done item.
 * - D, 15 Feb, no service: still open.
 * - E, 20 Feb, the unknown service (written with capitals): resolved after
 *   10 min.
 * - Before the period (31 Dec), checkout: counted nowhere.
 */
export async function writeFiguresFixture(knex: Knex) {
  const incidents = new IncidentStore(knex);
  const postmortems = new PostmortemStore(knex);
  const actionItems = new ActionItemStore(knex);
  const curation = new TimelineCurationStore(knex);
  const at = (iso: string, minutes: number) =>
    new Date(Date.parse(iso) + minutes * MINUTE).toISOString();

  const incident = (
    title: string,
    triggeredAt: string,
    services: string[],
    times: { resolved?: number; acknowledged?: number } = {},
  ) =>
    incidents.create({
      title,
      severity: 'high',
      status: times.resolved === undefined ? 'triggered' : 'resolved',
      services,
      triggeredAt,
      acknowledgedAt:
        times.acknowledged === undefined
          ? undefined
          : at(triggeredAt, times.acknowledged),
      resolvedAt:
        times.resolved === undefined
          ? undefined
          : at(triggeredAt, times.resolved),
    });
  const mark = async (
    incidentId: string,
    triggeredAt: string,
    keyMoment: TimelineKeyMoment,
    minutes: number,
  ) => {
    const [entry] = await incidents.timeline.addTimelineEntries(incidentId, [
      {
        type: 'message',
        actor: 'user:default/alice',
        timestamp: at(triggeredAt, minutes),
        content: { text: keyMoment },
      },
    ]);
    await curation.change(
      incidentId,
      entry.id,
      { keyMoment },
      'user:default/alice',
    );
  };
  const publish = (postmortemId: string) =>
    postmortems.update(
      postmortemId,
      1,
      {
        status: 'published',
        publishedAt: '2026-03-01T00:00:00Z',
        publishedBy: 'user:default/bob',
      },
      { kind: 'human', reason: 'publish', author: 'user:default/bob' },
    );
  const items = (
    postmortemId: string,
    incidentId: string,
    list: Array<{ status: 'done' | 'open'; accepted?: boolean }>,
  ) =>
    Promise.all(
      list.map((item, i) =>
        actionItems.create({
          postmortemId,
          incidentId,
          description: `Item ${i}`,
          status: item.status,
          source: item.accepted === false ? 'ai' : 'manual',
          accepted: item.accepted ?? true,
        }),
      ),
    );

  const aAt = '2026-01-10T09:00:00Z';
  const a = await incident('A', aAt, [CHECKOUT, BILLING], { resolved: 60 });
  await mark(a.id, aAt, 'detected', 10);
  await mark(a.id, aAt, 'acknowledged', 20);
  const aPm = await storedPostmortem(knex, a.id);
  await publish(aPm.id);
  await items(aPm.id, a.id, [
    { status: 'done' },
    { status: 'done' },
    { status: 'open' },
    { status: 'open', accepted: false },
  ]);

  const b = await incident('B', '2026-01-31T23:30:00Z', [CHECKOUT], {
    resolved: 120,
    acknowledged: 30,
  });
  const bPm = await storedPostmortem(knex, b.id);
  await items(bPm.id, b.id, [{ status: 'open' }]);

  const cAt = '2026-02-05T12:00:00Z';
  const c = await incident('C', cAt, [SEARCH], { resolved: 30 });
  await mark(c.id, cAt, 'detected', 5);
  const cPm = await storedPostmortem(knex, c.id);
  await publish(cPm.id);
  await items(cPm.id, c.id, [{ status: 'done' }]);

  await incident('D', '2026-02-15T08:00:00Z', []);
  await incident(
    'E',
    '2026-02-20T08:00:00Z',
    ['Component:default/Legacy-Batch'],
    {
      resolved: 10,
    },
  );

  const before = await incident('Before', '2025-12-31T23:00:00Z', [CHECKOUT], {
    resolved: 5,
  });
  const beforePm = await storedPostmortem(knex, before.id);
  await items(beforePm.id, before.id, [{ status: 'done' }]);
}

/** Clears what {@link writeFiguresFixture} writes. */
export async function clearFiguresFixture(knex: Knex) {
  await knex('timeline_curation').delete();
  await knex('timeline_entries').delete();
  await knex('action_items').delete();
  await knex('postmortem_revisions').delete();
  await knex('postmortems').delete();
  await knex('incident_services').delete();
  await knex('incidents').delete();
}
