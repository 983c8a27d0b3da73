import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../api';
import type { FiguresBreakdownBy } from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  figuresPeriod,
  toBreakdownRows,
  toPeriodFigures,
} from '../domain/figures';

/**
 * Figures over the last `days` days, counted by the backend over the whole
 * period (nothing is read row by row into the browser).
 */
export function useFigures(days: number) {
  const api = useApi(postmortemsApiRef);
  return useAsync(async () => {
    const figures = await api.getFigures(figuresPeriod(days));
    return { figures: toPeriodFigures(figures) };
  }, [api, days]);
}

/**
 * The figures of the last `days` days by service, team or month, grouped by
 * the backend.
 */
export function useFiguresBreakdown(days: number, by: FiguresBreakdownBy) {
  const api = useApi(postmortemsApiRef);
  return useAsync(async () => {
    const { from, to } = figuresPeriod(days);
    return toBreakdownRows(await api.getFiguresBreakdown({ from, to, by }));
  }, [api, days, by]);
}
