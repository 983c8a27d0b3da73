import type { Entity } from '@backstage/catalog-model';
import { figuresPeriod, toPeriodFigures } from './figures';
import { incidentIdOf, isIncidentEntity } from './incidentEntity';
import { sideBySide } from './revisionDiff';
import { formatDuration } from './time';
import { isOverdue } from './actionItems';
import { makeActionItem } from '../__testUtils__/demoData';

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

describe('figures of a period', () => {
  const now = new Date('2025-06-30T12:00:00Z');

  it('asks for weeks over a quarter and months over a year', () => {
    expect(figuresPeriod(90, now)).toEqual({
      from: '2025-04-01T12:00:00.000Z',
      to: '2025-06-30T12:00:00.000Z',
      bucketDays: 7,
    });
    expect(figuresPeriod(365, now).bucketDays).toBe(30);
  });

  it("shows the backend's figures, labelling buckets by day for weeks and by month for months", () => {
    const answer = {
      from: '2025-06-16T12:00:00.000Z',
      to: '2025-06-30T12:00:00.000Z',
      incidents: 3,
      by_severity: { critical: 1, high: 2, medium: 0, low: 0 },
      resolved: 2,
      mttr_ms: null,
      mttd_ms: null,
      mtta_ms: null,
      published: 1,
      action_items_done: 1,
      action_items_open: 4,
      buckets: [
        {
          start: '2025-06-16T12:00:00.000Z',
          end: '2025-06-23T12:00:00.000Z',
          count: 1,
        },
        {
          start: '2025-06-23T12:00:00.000Z',
          end: '2025-06-30T12:00:00.000Z',
          count: 2,
        },
      ],
    };
    const weekly = toPeriodFigures(answer);
    expect(weekly).toMatchObject({
      incidents: 3,
      resolved: 2,
      mttrMs: undefined,
      published: 1,
      actionItemsDone: 1,
      actionItemsOpen: 4,
      bySeverity: answer.by_severity,
    });
    expect(weekly.buckets.map(b => [b.start.toISOString(), b.count])).toEqual([
      ['2025-06-16T12:00:00.000Z', 1],
      ['2025-06-23T12:00:00.000Z', 2],
    ]);
    expect(weekly.buckets[0].label).toMatch(/16/);
    const monthly = toPeriodFigures({
      ...answer,
      mttr_ms: 7_200_000,
      mttd_ms: 120_000,
      mtta_ms: 300_000,
      buckets: [
        {
          start: '2025-05-01T12:00:00.000Z',
          end: '2025-05-31T12:00:00.000Z',
          count: 3,
        },
      ],
    });
    expect(monthly.mttrMs).toBe(7_200_000);
    expect(monthly.mttdMs).toBe(120_000);
    expect(monthly.mttaMs).toBe(300_000);
    expect(weekly.mttdMs).toBeUndefined();
    expect(monthly.buckets[0].label).not.toMatch(/\d/);
  });
});
