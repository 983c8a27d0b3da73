import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../api';
import { figuresPeriod, toPeriodFigures } from '../domain/figures';

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
