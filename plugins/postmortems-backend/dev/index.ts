import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// A minimal backend that runs only this plugin, with mocked auth so that the
// API can be called with curl without a token:
//   curl http://localhost:7007/api/postmortems/health
const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('../src'));

backend.start();
