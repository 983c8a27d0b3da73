import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { postmortemsPlugin } from './plugin';

describe('postmortemsPlugin', () => {
  it('answers the health check without credentials', async () => {
    const { server } = await startTestBackend({
      features: [postmortemsPlugin],
    });

    const response = await request(server).get('/api/postmortems/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('refuses other routes without credentials', async () => {
    const { server } = await startTestBackend({
      features: [postmortemsPlugin],
    });

    const response = await request(server)
      .get('/api/postmortems/v1/incidents')
      .set('Authorization', 'Bearer mock-none-token');

    expect(response.status).toBe(401);
  });
});
