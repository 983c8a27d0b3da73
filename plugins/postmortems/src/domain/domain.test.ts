import type { Entity } from '@backstage/catalog-model';
import { computeFigures } from './figures';
import { incidentIdOf, isIncidentEntity } from './incidentEntity';
import { sideBySide } from './revisionDiff';
import { formatDuration } from './time';
import { isOverdue } from './actionItems';
import {
  makeActionItem,
  makeIncident,
  makePostmortem,
} from '../__testUtils__/demoData';

describe('incident entities', () => {
  const entity = (
    name: string,
    annotations?: Record<string, string>,
  ): Entity => ({
    apiVersion: 'postmortems.io/v1alpha1',
    kind: 'Incident',
    metadata: { name, annotations },
  });

  it('reads the id from the annotation, else from the name', () => {
    expect(incidentIdOf(entity('inc-3'))).toBe('INC-3');
    expect(incidentIdOf(entity('checkout-outage'))).toBe('checkout-outage');
    expect(
      incidentIdOf(
        entity('inc-3', { 'postmortems.io/incident-id': 'abc-123' }),
      ),
    ).toBe('abc-123');
    expect(isIncidentEntity(entity('inc-3'))).toBe(true);
    expect(isIncidentEntity({ ...entity('x'), kind: 'Component' })).toBe(false);
  });
});

describe('formatDuration', () => {
  it('says how long, for people', () => {
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(45 * 60_000)).toBe('45m');
    expect(formatDuration(83 * 60_000)).toBe('1h 23m');
    expect(formatDuration(2 * 3600_000)).toBe('2h');
    expect(formatDuration(52 * 3600_000)).toBe('2d 4h');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('isOverdue', () => {
  const pm = { id: 'pm', incident_id: 'i' };
  it('is past due and not done', () => {
    expect(
      isOverdue(
        makeActionItem(pm, 'a', { due_date: '2025-01-01' }),
        '2025-01-02',
      ),
    ).toBe(true);
    expect(
      isOverdue(
        makeActionItem(pm, 'a', { due_date: '2025-01-02' }),
        '2025-01-02',
      ),
    ).toBe(false);
    expect(
      isOverdue(
        makeActionItem(pm, 'a', { due_date: '2025-01-01', status: 'done' }),
        '2025-01-02',
      ),
    ).toBe(false);
    expect(isOverdue(makeActionItem(pm, 'a'), '2025-01-02')).toBe(false);
  });
});

describe('sideBySide', () => {
  it('pairs replaced lines and keeps lone additions and removals on their side', () => {
    expect(
      sideBySide([
        { kind: 'unchanged', text: '# Title\n' },
        { kind: 'removed', text: 'old a\nold b\n' },
        { kind: 'added', text: 'new a\n' },
        { kind: 'added', text: 'extra\n' },
        { kind: 'unchanged', text: 'end' },
      ]),
    ).toEqual([
      { left: '# Title', right: '# Title', kind: 'unchanged' },
      { left: 'old a', right: 'new a', kind: 'changed' },
      { left: 'old b', right: undefined, kind: 'removed' },
      { right: 'extra', kind: 'added' },
      { left: 'end', right: 'end', kind: 'unchanged' },
    ]);
  });
});

describe('computeFigures', () => {
  const now = new Date('2025-06-30T12:00:00Z');
  const daysAgo = (d: number, h = 0) =>
    new Date(now.getTime() - d * 86400_000 + h * 3600_000).toISOString();

  it('counts the period only, excludes canceled incidents from the MTTR', () => {
    const resolved = makeIncident(1, {
      triggered_at: daysAgo(10),
      created_at: daysAgo(10),
      resolved_at: daysAgo(10, 1),
    });
    const resolved2 = makeIncident(2, {
      severity: 'critical',
      triggered_at: daysAgo(3),
      created_at: daysAgo(3),
      resolved_at: daysAgo(3, 3),
    });
    const canceled = makeIncident(3, {
      status: 'canceled',
      triggered_at: daysAgo(2),
      created_at: daysAgo(2),
      resolved_at: null,
      canceled_at: daysAgo(2, 10),
    });
    const old = makeIncident(4, {
      triggered_at: daysAgo(60),
      created_at: daysAgo(60),
    });
    const published = makePostmortem(resolved, {
      status: 'published',
      published_at: daysAgo(5),
    });
    const oldPublished = makePostmortem(old, {
      status: 'published',
      published_at: daysAgo(50),
    });
    const items = [
      makeActionItem(published, 'a', {
        status: 'done',
        created_at: daysAgo(5),
      }),
      makeActionItem(published, 'b', {
        status: 'in_progress',
        created_at: daysAgo(5),
      }),
      makeActionItem(published, 'c', {
        status: 'open',
        created_at: daysAgo(50),
      }),
    ];
    const figures = computeFigures({
      days: 30,
      now,
      incidents: [resolved, resolved2, canceled, old],
      postmortems: [published, oldPublished],
      actionItems: items,
    });
    expect(figures.incidents).toBe(3);
    expect(figures.resolved).toBe(2);
    expect(figures.mttrMs).toBe(2 * 3600_000);
    expect(figures.published).toBe(1);
    expect(figures.actionItemsDone).toBe(1);
    expect(figures.actionItemsOpen).toBe(1);
    expect(figures.bySeverity).toEqual({
      critical: 1,
      high: 2,
      medium: 0,
      low: 0,
    });
    expect(figures.buckets).toHaveLength(5);
    expect(figures.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(3);
  });

  it('has no MTTR without resolved incidents and uses months for a year', () => {
    const figures = computeFigures({
      days: 365,
      now,
      incidents: [],
      postmortems: [],
      actionItems: [],
    });
    expect(figures.mttrMs).toBeUndefined();
    expect(figures.buckets).toHaveLength(13);
  });
});
