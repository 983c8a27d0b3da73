/*
 * The backend of the post-mortems demo portal: the Backstage core plugins the
 * product builds on (catalog, search, auth, permissions, notifications) and the
 * post-mortems plugins themselves.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// Serves the built frontend in production-like runs (e2e tests, Docker).
backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Incidents as catalog entities, related to the services they affected.
backend.add(
  import('@postmortems-oss/backstage-plugin-catalog-backend-module-incidents'),
);

backend.add(import('@backstage/plugin-permission-backend'));
// Drafts for the people of their incident and postmortems.permissions.admins;
// every other permission allowed.
backend.add(
  import(
    '@postmortems-oss/backstage-plugin-permission-backend-module-postmortems-policy'
  ),
);

backend.add(import('@backstage/plugin-search-backend'));
// The PostgreSQL engine is used when the database is PostgreSQL; Lunr otherwise.
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// Published post-mortems in Backstage Search (drafts never).
backend.add(
  import('@postmortems-oss/backstage-plugin-search-backend-module-postmortems'),
);

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@postmortems-oss/backstage-plugin-postmortems-backend'));
// Export targets and issue trackers, one module per integration; a portal
// adds only those it configures under postmortems.exports and .trackers.
backend.add(
  import('@postmortems-oss/backstage-plugin-postmortems-backend-module-confluence'),
);
backend.add(
  import('@postmortems-oss/backstage-plugin-postmortems-backend-module-notion'),
);
backend.add(
  import('@postmortems-oss/backstage-plugin-postmortems-backend-module-pdf'),
);
backend.add(
  import('@postmortems-oss/backstage-plugin-postmortems-backend-module-github'),
);
backend.add(
  import('@postmortems-oss/backstage-plugin-postmortems-backend-module-jira'),
);
// Incidents' Slack threads as evidence, when postmortems.slack.botToken is set.
backend.add(
  import('@postmortems-oss/backstage-plugin-postmortems-backend-module-slack'),
);
// Regen as the home of incidents, when postmortems.regen.baseUrl is set.
backend.add(
  import('@postmortems-oss/backstage-plugin-postmortems-backend-module-regen'),
);
// Drafts by a model when postmortems.openai.apiKey is set; deterministic otherwise.
backend.add(
  import('@postmortems-oss/backstage-plugin-postmortems-backend-module-openai'),
);

backend.start();
