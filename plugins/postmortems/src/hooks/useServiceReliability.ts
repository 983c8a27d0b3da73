import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../api';
import { BreakdownRow, toBreakdownRows } from '../domain/figures';

/** How many calendar months a service's reliability covers, this one included. */
export const RELIABILITY_MONTHS = 12;

/**
 * The last {@link RELIABILITY_MONTHS} calendar months (UTC) up to `now`: from
 * the first day of the month eleven months back, so that the breakdown by
 * month has exactly twelve rows, the current month last.
 */
export function reliabilityPeriod(now = new Date()) {
  const from = new Date(
    Date.UTC(
      now.getUTCFullYear(),
      now.getUTCMonth() - (RELIABILITY_MONTHS - 1),
      1,
    ),
  );
  return { from: from.toISOString(), to: now.toISOString() };
}

/** What a service's reliability card shows. */
export interface ServiceReliability {
  /** Oldest month first, every month of the period included. */
  months: BreakdownRow[];
  /** By cause category, most incidents first; the unfiled ones have no key. */
  causes: BreakdownRow[];
  /** Incidents that affected the service in the period. */
  incidents: number;
  /** Mean time to resolve over the period's resolved incidents. */
  mttrMs: number | undefined;
  /** The service's action items not done yet (open or in progress). */
  openActionItems: number;
  /** Those of them past their due date. */
  overdueActionItems: number;
}

/** The mean of the months' means, each weighted by its resolved incidents. */
function overallMttr(months: BreakdownRow[]): number | undefined {
  let resolved = 0;
  let total = 0;
  for (const month of months) {
    if (month.mttrMs === undefined || !month.resolved) continue;
    resolved += month.resolved;
    total += month.mttrMs * month.resolved;
  }
  return resolved ? total / resolved : undefined;
}

/**
 * A service's last twelve months as the backend counts them: its incidents
 * and MTTR by month, its incidents by cause with their recurrences, and how
 * many of its action items are open and overdue (counts only: no list is
 * read).
 */
export function useServiceReliability(entityRef: string) {
  const api = useApi(postmortemsApiRef);
  return useAsync(async (): Promise<ServiceReliability> => {
    const { from, to } = reliabilityPeriod();
    const [byMonth, byCause, open, overdue] = await Promise.all([
      api.getFiguresBreakdown({ from, to, by: 'month', entity_ref: entityRef }),
      api.getFiguresBreakdown({ from, to, by: 'cause', entity_ref: entityRef }),
      api.listActionItems({
        entityRef,
        status: ['open', 'in_progress'],
        limit: 1,
      }),
      api.listActionItems({ entityRef, overdue: true, limit: 1 }),
    ]);
    const months = toBreakdownRows(byMonth);
    return {
      months,
      causes: toBreakdownRows(byCause),
      incidents: months.reduce((sum, month) => sum + month.incidents, 0),
      mttrMs: overallMttr(months),
      openActionItems: open.total,
      overdueActionItems: overdue.total,
    };
  }, [api, entityRef]);
}
