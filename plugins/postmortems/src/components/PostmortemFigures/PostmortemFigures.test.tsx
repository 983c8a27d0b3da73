import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { figuresSchema } from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { PostmortemFigures } from './PostmortemFigures';

const server = setupBackend();
const DAY = 24 * 60 * 60 * 1000;

describe('PostmortemFigures', () => {
  it('shows the figures the backend counted for the last 90 days, reading no lists', async () => {
    const queries: URLSearchParams[] = [];
    // Only /v1/figures answers: reading incident or post-mortem lists fails the test.
    server.use(
      http.get(backendUrl('/v1/figures'), ({ request }) => {
        const query = new URL(request.url).searchParams;
        queries.push(query);
        return HttpResponse.json(
          figuresSchema.parse({
            from: query.get('from'),
            to: query.get('to'),
            incidents: 2412,
            by_severity: { critical: 12, high: 400, medium: 1000, low: 1000 },
            resolved: 2400,
            mttr_ms: 90 * 60_000,
            mttd_ms: 4 * 60_000,
            mtta_ms: null,
            published: 321,
            action_items_done: 30,
            action_items_open: 10,
            buckets: [
              { start: query.get('from'), end: query.get('to'), count: 2412 },
            ],
          }),
        );
      }),
    );
    await renderWithApis(<PostmortemFigures />, { api: createTestClient() });
    const incidents = await screen.findByRole('group', { name: 'Incidents' });
    expect(incidents).toHaveTextContent('2412');
    expect(
      within(
        screen.getByRole('group', { name: 'Post-mortems published' }),
      ).getByText('321'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'Action items done' }),
    ).toHaveTextContent('30 / 40');
    expect(
      screen.getByRole('group', { name: 'Mean time to detect' }),
    ).toHaveTextContent(/4m/);
    // No incident acknowledged in the period: no figure, not zero.
    expect(
      screen.getByRole('group', { name: 'Mean time to acknowledge' }),
    ).toHaveTextContent('—');
    expect(queries).toHaveLength(1);
    const from = Date.parse(queries[0].get('from')!);
    const to = Date.parse(queries[0].get('to')!);
    expect(Math.round((to - from) / DAY)).toBe(90);
    expect(queries[0].get('bucket_days')).toBe('7');
  });
});
