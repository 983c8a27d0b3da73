import { createApp } from '@backstage/frontend-defaults';
import { navModule } from './modules/nav';

/**
 * The demo portal on the new frontend system. Its plugins (catalog, search,
 * org, catalog graph, notifications, signals, user settings and Post-Mortems)
 * are not listed here: `app.packages: all` in app-config.yaml makes the build
 * discover every frontend plugin in this package's dependencies. Only the
 * portal's own sidebar is code.
 */
export default createApp({
  features: [navModule],
});
